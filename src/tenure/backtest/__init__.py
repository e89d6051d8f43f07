"""Proof that the health score predicts churn: the backtest and the churn model (docs/backtest.md).

    outcomes    what happened to each customer in the horizon after a day (churn, contraction, renewal)
    snapshots   signals, score and outcomes on past days, into one engine table
    evaluate    AUC, figures by band, red lift, calibration, lead time
    run         the backtest, and the model against the scorecard on a time-based split
    risk        churn risk today: probability, drivers, expected ARR at risk by group
    chart       the backtest drawn to PNG or SVG

The model itself is tenure.models.churn.
"""

from tenure.backtest.outcomes import outcomes
from tenure.backtest.risk import ChurnRisk, churn_risk
from tenure.backtest.run import Backtest, run_backtest, split_days
from tenure.backtest.snapshots import (
    default_score, default_signals, materialise, parse_horizon, snapshot_days, snapshot_expr, snapshots_expr,
)

__all__ = [
    "Backtest", "ChurnRisk", "churn_risk", "default_score", "default_signals", "materialise", "outcomes",
    "parse_horizon", "run_backtest", "snapshot_days", "snapshot_expr", "snapshots_expr", "split_days",
]
