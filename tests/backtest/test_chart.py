"""The backtest's survival by band and the chart's lines (tenure.backtest.run, tenure.backtest.chart),
on literal snapshot rows with a 90-day horizon; every expected value is worked out by hand.

    band   day          churned_at   days to churn (or censored at 90)
    red    2024-01-01   2024-01-11   10
    red    2024-01-01   2024-02-10   40
    red    2024-01-01   -            90 censored
    green  2024-01-01   2024-03-01   60
    green  2024-01-01   -            90 censored (three of them)

Product-limit: red S(10) = 2/3, S(40) = 2/3 x 1/2 = 1/3; green S(60) = 3/4.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import ibis
import pyarrow as pa
import pytest

from tenure.backtest.chart import chart_series
from tenure.backtest.run import survival_by_band, survival_curves

DAY = date(2024, 1, 1)


@pytest.fixture
def curves() -> pa.Table:
    churns = [("red", date(2024, 1, 11)), ("red", date(2024, 2, 10)), ("red", None), ("green", date(2024, 3, 1)),
              ("green", None), ("green", None), ("green", None)]
    snaps = ibis.memtable({
        "band": [b for b, _ in churns], "day": [DAY] * len(churns), "churned": [c is not None for _, c in churns],
        "churned_at": [c for _, c in churns],
    }, schema={"band": "string", "day": "date", "churned": "boolean", "churned_at": "date"})
    return survival_curves(snaps, 90)


def test_the_survival_curve_has_every_time_of_each_band(curves):
    rows = [(r["band"], r["days"], r["at_risk"]) for r in curves.to_pylist()]
    assert rows == [("red", 0.0, 3), ("red", 10.0, 3), ("red", 40.0, 2), ("red", 90.0, 1),
                    ("green", 0.0, 4), ("green", 60.0, 4), ("green", 90.0, 3)]
    assert curves.column("survival").to_pylist() == pytest.approx([1, 2 / 3, 1 / 3, 1 / 3, 1, 3 / 4, 3 / 4])


def test_the_summary_reads_the_curve_at_30_60_and_90_days(curves):
    rows = survival_by_band(curves, 90).to_pylist()
    assert [(r["band"], r["days"], r["at_risk"]) for r in rows] == [
        ("red", 30, 2), ("red", 60, 1), ("red", 90, 1), ("green", 30, 4), ("green", 60, 4), ("green", 90, 3)]
    assert [r["survival"] for r in rows] == pytest.approx([2 / 3, 1 / 3, 1 / 3, 1.0, 3 / 4, 3 / 4])


def test_the_chart_draws_each_band_s_whole_curve(curves):
    result = SimpleNamespace(calibration=pa.table({"decile": [1], "churn_rate": [0.1]}), model_calibration=None,
                             survival_curve=curves, survival=survival_by_band(curves, 90))
    lines = chart_series(result)["survival"]
    assert lines["red"] == ([0.0, 10.0, 40.0, 90.0], pytest.approx([1, 2 / 3, 1 / 3, 1 / 3]))
    assert lines["green"] == ([0.0, 60.0, 90.0], pytest.approx([1, 3 / 4, 3 / 4]))


def test_the_calibration_lines_both_run_from_the_safest_to_the_riskiest_decile():
    # Score deciles: 1 is the lowest score (riskiest) with a churn rate of 0.5. Model deciles: 1 is the
    # lowest probability (safest). Both read as risk deciles, 3 the riskiest, so both rise.
    result = SimpleNamespace(
        calibration=pa.table({"decile": [1, 2, 3], "churn_rate": [0.5, 0.2, 0.1]}),
        model_calibration=pa.table({"decile": [1, 2, 3], "churn_rate": [0.05, 0.2, 0.6],
                                    "mean_probability": [0.1, 0.25, 0.5]}),
        survival_curve=None, survival=pa.table({"band": [], "days": [], "survival": [], "at_risk": []}),
    )
    lines = chart_series(result)["calibration"]
    assert lines["scorecard: observed"] == ([1, 2, 3], [0.1, 0.2, 0.5])
    assert lines["model (test): observed"] == ([1, 2, 3], [0.05, 0.2, 0.6])
    assert lines["model (test): predicted"] == ([1, 2, 3], [0.1, 0.25, 0.5])
