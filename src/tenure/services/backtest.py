"""Does the health score predict churn? The scorecard on past snapshots against what happened next, the
churn model beside it, and churn risk today (docs/backtest.md). `as_of` is "today": snapshots end
`horizon` before it, so every window they are judged on has elapsed."""

from __future__ import annotations

from datetime import date

import ibis.expr.types as ir

from tenure.config.settings import Settings
from tenure.errors import UsageError, did_you_mean
from tenure.warehouse import Warehouse


def backtest(warehouse: Warehouse, *, settings: Settings, as_of: date, horizon: str | int = "90d",
             snapshots: int = 12, every: str = "month", model: bool = True):
    """A tenure.backtest.Backtest: .auc, .by_band, .calibration, .lead_time, .comparison, .to_dict()."""
    from tenure.backtest import default_score, default_signals, parse_horizon, run_backtest

    return run_backtest(
        warehouse, today=as_of, signals=default_signals(settings), score=default_score(warehouse, settings.health),
        workspace=settings.workspace, horizon_days=parse_horizon(horizon), count=snapshots, every=every, model=model,
    )


def snapshots(warehouse: Warehouse, *, settings: Settings, as_of: date, horizon: str | int = "90d",
              snapshots: int = 12, every: str = "month") -> ir.Table:
    """Every snapshot row (signals, score, band, outcomes) as one expression, for its SQL."""
    from tenure.backtest import default_score, default_signals, parse_horizon, snapshot_days, snapshots_expr

    days = parse_horizon(horizon)
    return snapshots_expr(warehouse, snapshot_days(as_of, days, snapshots, every), days, today=as_of,
                          signals=default_signals(settings), score=default_score(warehouse, settings.health),
                          workspace=settings.workspace)


def churn_risk(warehouse: Warehouse, *, settings: Settings, as_of: date, horizon: str | int = "90d",
               snapshots: int = 12, every: str = "month", by: str = "segment"):
    """Per customer today: probability of churn within the horizon, top drivers, expected ARR at risk; and
    expected ARR at risk per `by` group (a tenure.backtest.ChurnRisk: .accounts, .groups)."""
    from tenure.backtest import churn_risk as risk, default_score, default_signals, parse_horizon

    days = parse_horizon(horizon)
    check_group(warehouse, by)  # before the minutes of training, not after them
    return risk(
        warehouse, today=as_of, signals=default_signals(settings), score=default_score(warehouse, settings.health),
        workspace=settings.workspace, horizon_days=days, count=snapshots, every=every, by=by,
    )


def check_group(warehouse: Warehouse, by: str) -> None:
    """A UsageError unless `by` is a text signal of the day (segment, owner, attr_<key>, ...), naming the
    closest one: read from the vocabulary and the attribute keys loaded, so nothing is computed."""
    from tenure.conditions.types import SignalType
    from tenure.metrics.breakdown import attribute_names
    from tenure.vocabulary.catalogue import ATTRIBUTE_PREFIX
    from tenure.vocabulary.scopes import day

    text = [name for name, kind in day().items() if kind is SignalType.TEXT and name not in ("account_id", "name")]
    text += [ATTRIBUTE_PREFIX + key for key in attribute_names(warehouse)]
    if by not in text:
        raise UsageError(f"{{by}} {by}: not a text signal; the text signals are: {', '.join(sorted(text))}"
                         f"{did_you_mean(by, text)}")
