"""Monthly voice-of-the-customer rows (NPS, CSAT, CES) and the per-account rolling windows."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import put_rows


def answer(response_id: str, kind: str, score: int, day: str = "2024-01-10", account: str = "a") -> dict:
    return {"response_id": response_id, "account_id": account, "kind": kind, "score": score, "responded_at": day}


def january(ws) -> dict:
    return ws.surveys("2024-01", "2024-01").to_pylist()[0]


def test_nps_counts_passives_in_the_denominator(workspace):
    put_rows(workspace, "surveys", [answer(f"r{i}", "nps", s) for i, s in enumerate([10, 9, 9, 8, 3])])
    jan = january(workspace)
    assert (jan["responses"], jan["promoters"], jan["passives"], jan["detractors"]) == (5, 3, 1, 1)
    assert jan["nps"] == pytest.approx(40.0)  # 100 x (3 - 1) / 5


def test_csat_is_top_two_box(workspace):
    put_rows(workspace, "surveys", [answer(f"r{i}", "csat", s) for i, s in enumerate([5, 4, 3, 1])])
    jan = january(workspace)
    assert (jan["csat_responses"], jan["csat"]) == (4, 0.5)
    assert jan["nps"] is None  # no NPS responses this month


def test_ces_is_the_mean_score(workspace):
    put_rows(workspace, "surveys", [answer(f"r{i}", "ces", s) for i, s in enumerate([7, 5, 4])])
    jan = january(workspace)
    assert (jan["ces_responses"], jan["ces"]) == (3, pytest.approx(16 / 3))


def test_an_empty_month_is_zero_responses_and_null_scores(workspace):
    rows = workspace.surveys("2024-01", "2024-01").to_pylist()
    assert rows == [{"month": "2024-01", "responses": 0, "promoters": 0, "passives": 0, "detractors": 0, "nps": None,
                     "csat_responses": 0, "csat": None, "ces_responses": 0, "ces": None}]


def test_account_voice_windows_end_on_the_as_of_day(workspace):
    # As of 2024-07-01: 180 days back is 2024-01-03 (excluded), 90 days back is 2024-04-02 (excluded).
    put_rows(workspace, "surveys", [
        answer("n-old", "nps", 0, "2024-01-03"), answer("n1", "nps", 10, "2024-01-04"),
        answer("n2", "nps", 7, "2024-07-01"), answer("n-later", "nps", 0, "2024-07-02"),
        answer("c-old", "csat", 1, "2024-04-02"), answer("c1", "csat", 5, "2024-04-03"),
        answer("c2", "csat", 2, "2024-06-30"),
        answer("b1", "nps", 3, "2024-06-01", account="b"),
    ])
    rows = workspace.account_voice(date(2024, 7, 1)).to_pylist()
    assert rows == [
        {"account_id": "a", "nps_responses": 2, "nps": 50.0, "csat_responses": 2, "csat": 0.5},
        {"account_id": "b", "nps_responses": 1, "nps": -100.0, "csat_responses": 0, "csat": None},
    ]


def test_account_voice_windows_are_settings(workspace, reopen):
    ws = reopen(workspace, nps_window_days=10)
    put_rows(ws, "surveys", [answer("n1", "nps", 10, "2024-06-21"), answer("n2", "nps", 0, "2024-06-22")])
    assert ws.account_voice("2024-07-01").to_pylist()[0]["nps"] == -100.0
