"""Backtest figures over literal snapshot rows, expected values worked by hand (docs/backtest.md#figures)."""

from __future__ import annotations

from datetime import date

import ibis
import pytest

from tenure.backtest import evaluate

D1, D2, D3 = date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)


def snapshot_rows(rows: list[tuple]) -> ibis.Table:
    """(day, account, band, churned_at or None) -> snapshot rows; every row holds ARR 1200, all lost on a churn."""
    columns = {"day": [], "account_id": [], "score": [], "band": [], "churned": [], "churned_at": [],
               "contracted": [], "renewal_due": [], "renewed": [], "arr": [], "arr_lost": []}
    for day, account, band, churned_at in rows:
        for key, value in (("day", day), ("account_id", account), ("score", {"red": 20.0, "yellow": 50.0, "green": 80.0}[band]),
                           ("band", band), ("churned", churned_at is not None), ("churned_at", churned_at),
                           ("contracted", False), ("renewal_due", False), ("renewed", None),
                           ("arr", 1200.0), ("arr_lost", 1200.0 if churned_at else 0.0)):
            columns[key].append(value)
    return ibis.memtable(columns, schema={"day": "date", "account_id": "string", "score": "float64", "band": "string",
                                          "churned": "boolean", "churned_at": "date", "contracted": "boolean",
                                          "renewal_due": "boolean", "renewed": "boolean", "arr": "float64",
                                          "arr_lost": "float64"})


@pytest.fixture
def snaps():
    # a turns red on D2 and churns 10 March; d churns twice (red both times, a missed snapshot between);
    # e churns from green; b and c never churn.
    return snapshot_rows([
        (D1, "a", "yellow", date(2024, 3, 10)), (D2, "a", "red", date(2024, 3, 10)), (D3, "a", "red", date(2024, 3, 10)),
        (D1, "b", "green", None), (D2, "b", "green", None), (D3, "b", "green", None),
        (D1, "c", "red", None), (D2, "c", "green", None), (D3, "c", "green", None),
        (D1, "d", "red", date(2024, 1, 15)), (D3, "d", "red", date(2024, 3, 20)),
        (D3, "e", "green", date(2024, 3, 25)),
    ])


def test_auc_counts_the_pairs_ranked_right():
    # Pairs (churner, stayer): (0.9, 0.1), (0.9, 0.6), (0.4, 0.1) right, (0.4, 0.6) wrong: 3 of 4.
    assert evaluate.auc([True, False, True, False], [0.9, 0.1, 0.4, 0.6]) == 0.75


def test_auc_is_none_without_both_outcomes():
    assert evaluate.auc([False, False], [0.2, 0.3]) is None


def test_churn_rate_lift_and_arr_lost_share_by_band(snaps):
    rows = {r["band"]: r for r in evaluate.by_band(snaps).to_pyarrow().to_pylist()}
    # Red: 5 rows, 4 churned = 0.8; overall 6 of 12 = 0.5; lift 1.6. Red lost 4 x 1200 of 6 x 1200.
    assert (rows["red"]["rows"], rows["red"]["churn_rate"], rows["red"]["lift"]) == (5, 0.8, 1.6)
    assert rows["red"]["arr_lost_share"] == pytest.approx(4 / 6)
    assert (rows["green"]["rows"], rows["green"]["churned"]) == (6, 1)


def test_bands_come_red_yellow_green(snaps):
    assert evaluate.by_band(snaps).to_pyarrow().column("band").to_pylist() == ["red", "yellow", "green"]


def test_lead_time_runs_from_turning_red_and_a_missed_snapshot_breaks_the_run(snaps):
    # Churns: a on 10 March (red since D2: 38 days), d on 15 January (red since D1: 14 days), d on 20 March
    # (red on D3, not a customer on D2: 19 days), e on 25 March (green: not flagged). Median of 38, 14, 19.
    row = evaluate.lead_time(snaps).to_pyarrow().to_pylist()[0]
    assert (row["churns"], row["flagged"], row["median_lead_days"], row["flagged_share"]) == (4, 3, 19.0, 0.75)


def test_calibration_deciles_hold_the_mean_and_the_observed_churn_rate():
    table = snapshot_rows([(D1, "a", "red", D2), (D1, "b", "yellow", D2), (D1, "c", "green", None), (D2, "c", "green", None)])
    table = table.mutate(score=ibis.cases((table.account_id == "b", 30.0), (table.day == D2, 90.0), else_=table.score))
    rows = evaluate.calibration(table, "score", deciles=2).to_pyarrow().to_pylist()
    assert [(r["decile"], r["rows"], r["mean_score"], r["churn_rate"]) for r in rows] == [(1, 2, 25.0, 1.0), (2, 2, 85.0, 0.0)]
