"""Does the health score predict churn? The scorecard on past snapshots against what happened next, the
churn model beside it, and churn risk today (docs/backtest.md). `as_of` is "today": snapshots end
`horizon` before it, so every window they are judged on has elapsed."""

from __future__ import annotations

from datetime import date

import ibis.expr.types as ir

from tenure.config.settings import Settings
from tenure.warehouse import Warehouse


def backtest(warehouse: Warehouse, *, settings: Settings, as_of: date, horizon: str | int = "90d",
             snapshots: int = 12, every: str = "month", model: bool = True):
    """A tenure.backtest.Backtest: .auc, .by_band, .calibration, .lead_time, .comparison, .to_dict()."""
    from tenure.backtest import default_score, default_signals, parse_horizon, run_backtest

    return run_backtest(
        warehouse, today=as_of, signals=default_signals(settings), score=default_score(settings.health),
        workspace=settings.workspace, horizon_days=parse_horizon(horizon), count=snapshots, every=every, model=model,
    )


def snapshots(warehouse: Warehouse, *, settings: Settings, as_of: date, horizon: str | int = "90d",
              snapshots: int = 12, every: str = "month") -> ir.Table:
    """Every snapshot row (signals, score, band, outcomes) as one expression, for its SQL."""
    from tenure.backtest import default_score, default_signals, parse_horizon, snapshot_days, snapshots_expr

    days = parse_horizon(horizon)
    return snapshots_expr(warehouse, snapshot_days(as_of, days, snapshots, every), days, today=as_of,
                          signals=default_signals(settings), score=default_score(settings.health),
                          workspace=settings.workspace)


def churn_risk(warehouse: Warehouse, *, settings: Settings, as_of: date, horizon: str | int = "90d",
               snapshots: int = 12, every: str = "month", by: str = "segment"):
    """Per customer today: probability of churn within the horizon, top drivers, expected ARR at risk; and
    expected ARR at risk per `by` group (a tenure.backtest.ChurnRisk: .accounts, .groups)."""
    from tenure.backtest import churn_risk as risk, default_score, default_signals, parse_horizon

    return risk(
        warehouse, today=as_of, signals=default_signals(settings), score=default_score(settings.health),
        workspace=settings.workspace, horizon_days=parse_horizon(horizon), count=snapshots, every=every, by=by,
    )
