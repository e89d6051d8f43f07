"""The health history (`refresh(health=True)`), the diff of a changed scorecard, and config lines."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from tenure import Workspace
from tenure.config import read_settings
from tenure.errors import ConfigError
from tests.conftest import put_rows

# One scorecard on a single measure: paying accounts score their active days over 30 as 0..100.
SCORECARD = """
[health]
history_days = 14
history_cadence = "week"

[[health.scorecards]]
name = "paying"
applies_to = "mrr > 0"

[[health.scorecards.categories]]
name = "revenue"
measures = [
  { signal = "mrr", red = 0, green = 100 },
]
"""


@pytest.fixture
def ws(workspace_folder: Path):
    folder = workspace_folder
    config = folder / "tenure.toml"
    text = config.read_text()
    config.write_text(text[: text.index("# Health scores")] + SCORECARD)
    opened = Workspace.open(folder)
    today = opened._as_of(None)
    start = (today - timedelta(days=30)).isoformat()
    put_rows(opened, "accounts", [{"account_id": a, "name": a, "created_at": start} for a in ("a", "b")])
    # a pays 50 a month from 30 days ago; b pays 100 from 3 days ago (so not a customer a week ago).
    put_rows(opened, "subscriptions", [
        {"subscription_id": "s1", "account_id": "a", "start_date": start, "amount": "50", "currency": "USD", "interval_months": 1},
        {"subscription_id": "s2", "account_id": "b", "start_date": (today - timedelta(days=3)).isoformat(),
         "amount": "100", "currency": "USD", "interval_months": 1},
    ])
    yield opened
    opened.close()


def test_refresh_replays_the_cadence_days_and_scores_today(ws):
    ws.refresh(health=True)
    today = ws._as_of(None)
    rows = [(r["account_id"], r["day"], r["score"], r["band"]) for r in ws.health_history().to_pylist()]
    # Days: today - 14, today - 7 and today; b pays only from today - 3.
    assert rows == [
        ("a", today - timedelta(days=14), 50.0, "yellow"), ("a", today - timedelta(days=7), 50.0, "yellow"),
        ("a", today, 50.0, "yellow"), ("b", today, 100.0, "green"),
    ]


def test_a_changed_scorecard_replays_the_past(ws, tmp_path):
    ws.refresh(health=True)
    config = ws.path / "tenure.toml"
    config.write_text(config.read_text().replace("green = 100", "green = 200"))
    changed = Workspace.open(ws.path)
    ws.close()
    try:
        changed.refresh(health=True)
        scores = [r["score"] for r in changed.health_history("a").to_pylist()]
        assert scores == [25.0, 25.0, 25.0]  # 50 of 200, on every replayed day
    finally:
        changed.close()


def test_diff_counts_the_accounts_moving_band_and_their_arr(ws, tmp_path):
    # With green at 40, a (50) moves yellow -> green; b stays green. ARR moved: 50 x 12.
    ws.refresh()  # the signals read the daily rollup
    proposed = tmp_path / "proposed.toml"
    proposed.write_text(SCORECARD.replace("red = 0, green = 100", "red = 0, green = 40"))
    view = ws.health_diff(proposed)
    assert (view["accounts_moved"], view["arr_moved"]) == (1, 600.0)
    cells = {(c["band_before"], c["band_after"]): c["accounts"] for c in view["matrix"]}
    assert cells == {("yellow", "green"): 1, ("green", "green"): 1}


def test_diff_leaves_out_the_accounts_neither_scorecard_scores(ws, tmp_path):
    # c never paid: no scorecard applies before or after, so there is no 'none -> none' cell.
    put_rows(ws, "accounts", [{"account_id": "c", "name": "c", "created_at": "2024-01-01"}])
    ws.refresh()
    proposed = tmp_path / "proposed.toml"
    proposed.write_text(SCORECARD.replace("red = 0, green = 100", "red = 0, green = 40"))
    cells = {(c["band_before"], c["band_after"]): c["accounts"] for c in ws.health_diff(proposed)["matrix"]}
    assert cells == {("yellow", "green"): 1, ("green", "green"): 1}


def test_a_measure_problem_is_reported_at_its_own_line(tmp_path):
    path = tmp_path / "tenure.toml"
    path.write_text(SCORECARD.replace('{ signal = "mrr", red = 0, green = 100 },',
                                      '{ signal = "mrr", red = 0, green = 100 },\n  { signal = "nope", red = 1, green = 2 },'))
    with pytest.raises(ConfigError) as caught:
        read_settings(path)
    [problem] = caught.value.problems
    assert problem.line == 14 and "unknown signal 'nope'" in problem.message
