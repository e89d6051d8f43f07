"""The backtest on a small fixed-seed demo company: the scorecard and the model both rank churners well
above chance. Not exact figures: the point is the score predicts churn, not its third decimal."""

from __future__ import annotations

from datetime import date

import pytest

from tenure.demo.make import make_demo_workspace

# Builds a 300-account demo company and backtests it.
pytestmark = pytest.mark.slow
TODAY = date(2026, 6, 30)


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    ws = make_demo_workspace(tmp_path_factory.mktemp("demo"), accounts=300, months=24, seed=7, end=TODAY)
    try:
        yield ws.backtest(horizon="90d", snapshots=8, as_of=TODAY)
    finally:
        ws.close()


def test_the_scorecard_auc_is_well_above_chance(result):
    assert result.auc > 0.65


def test_the_model_auc_is_well_above_chance_on_the_later_snapshots(result):
    assert result.comparison["model_auc"] > 0.65


def test_the_model_trains_only_on_windows_closed_before_the_test_snapshots(result):
    first_test = result.comparison["test_days"][0]
    assert all((first_test - day).days >= 90 for day in result.comparison["train_days"])


def test_red_customers_churn_more_than_average(result):
    assert result.red_lift > 1.5


def test_the_report_is_json_ready(result):
    import json

    data = json.loads(json.dumps(result.to_dict()))
    assert data["snapshot_days"][-1] == "2026-04-01" and len(data["by_band"]) == 3
