"""Snapshots: the health score as it was on past days, next to what happened after each
(docs/backtest.md#snapshots).

For each snapshot day d (monthly or weekly, the last one `horizon` days before today, so that every
window has fully elapsed), one row per customer at the end of d:

    day, the account's signals at d, score, band (and confidence when the scorer gives one),
    then the outcomes of (d, d + horizon] (backtest/outcomes.py)

Customers the scorecard did not score (none applies, or every measure is missing) are left out.
By default the signals are tenure.journey.day_signals and the scorer tenure.health.score with
the workspace's [health] settings; both can be passed in (the tests pass stand-ins).

The backtest passes nothing but d to the signals: keeping them point-in-time is their job, and a
test adds data dated after d to check that the snapshot does not move. The rows are computed by the
engine snapshot by snapshot into one temporary table, so the whole history never has to fit in
Python and every later figure is a query over it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from datetime import date, timedelta

import ibis
import ibis.expr.types as ir

from tenure.backtest.outcomes import outcomes, outcomes_on
from tenure.config.health import HealthSettings
from tenure.config.settings import Settings, WorkspaceSettings
from tenure.errors import UsageError
from tenure.metrics.calendar import days_in, month_of, month_start
from tenure.warehouse import Warehouse, dated

Signals = Callable[[Warehouse, date], ir.Table]
Scorer = Callable[[ir.Table], ir.Table]

EVERY = ("month", "week")
_HORIZON = re.compile(r"^\s*(\d+)\s*([dw]?)\s*$")
_DAYS = {"": 1, "d": 1, "w": 7}
_runs = itertools.count()


def default_signals(settings: Settings) -> Signals:
    """The day's signals health scores (tenure.journey.day_signals): risk flags, stage and moments too,
    so a scorecard chosen by stage is backtested as it runs."""
    from tenure.journey import day_signals

    def signals(warehouse: Warehouse, day: date | ir.DateValue) -> ir.Table:
        return day_signals(warehouse, day, settings=settings)

    signals.replayable = True  # takes warehouse.dated.replay_day() for the day: compiled once (materialise)
    return signals


def default_score(warehouse: Warehouse, health: HealthSettings) -> Scorer:
    """The workspace's scorecards ([health]). Stale sources only lower confidence, never the score, so they
    are not read; a source never loaded drops its measures, as it does today (health.sources.missing_signals)."""
    from tenure.health import score
    from tenure.health.sources import missing_signals

    missing = missing_signals(warehouse)
    return lambda signals: score(signals, health, missing=missing)


MAX_HORIZON_DAYS = 3660  # ten years ahead: past that no snapshot of the data has an outcome


def parse_horizon(text: str | int) -> int:
    """'90d' -> 90, '12w' -> 84, 90 -> 90: a horizon in days, at most MAX_HORIZON_DAYS."""
    found = _HORIZON.match(str(text).lower())
    if not found or int(found.group(1)) == 0:
        raise UsageError(f"{{horizon}} {text}: write a number of days or weeks, for example 90d or 12w")
    days = int(found.group(1)) * _DAYS[found.group(2)]
    if days > MAX_HORIZON_DAYS:
        raise UsageError(f"{{horizon}} {text}: at most {MAX_HORIZON_DAYS} days (10 years)")
    return days


def snapshot_days(today: date, horizon_days: int, count: int, every: str = "month") -> list[date]:
    """`count` days, oldest first, `every` month or week apart, the last `horizon_days` before today."""
    if every not in EVERY:
        raise UsageError(f"{{every}} {every}: choose {' or '.join(EVERY)}")
    if count < 1:
        raise UsageError(f"{{snapshots}} {count}: at least 1")
    last = today - timedelta(days=horizon_days)
    if every == "week":
        return [last - timedelta(weeks=k) for k in reversed(range(count))]
    return [_months_before(last, k) for k in reversed(range(count))]


def _months_before(day: date, months: int) -> date:
    """The same day of the month `months` earlier, clamped to the month's end (31 March -> 28 February)."""
    index = month_of(day) - months
    return month_start(index).replace(day=min(day.day, days_in(index)))


def snapshot_expr(
    warehouse: Warehouse, day: date, horizon_days: int, *, today: date, signals: Signals, score: Scorer,
    workspace: WorkspaceSettings, outcome_rows: ir.Table | None = None,
) -> ir.Table:
    """One snapshot: customers at the end of `day`, their signals and score then, and their outcomes
    (read from `outcome_rows`, outcomes_on's rows for several days, when given)."""
    found = signals(warehouse, day)
    scored = score(found)
    kept = ["account_id", "score", "band"] + [c for c in ("confidence",) if c in scored.columns]
    # An account no scorecard applies to (or with every measure missing) has no score to judge.
    scored = scored.filter(scored.score.notnull()).select(*kept)
    if outcome_rows is None:
        result = outcomes(warehouse, day, horizon_days, today=today, workspace=workspace)
    else:
        result = outcome_rows.filter(outcome_rows.day == ibis.literal(day, "date")).drop("day")
    rows = result.join(found, "account_id").join(scored, "account_id")
    signal_columns = [c for c in found.columns if c != "account_id"]
    return rows.select(
        day=ibis.literal(day, "date"),
        account_id=rows.account_id,
        **{c: rows[c] for c in signal_columns},
        **{c: rows[c] for c in kept[1:]},
        **{c: rows[c] for c in result.columns if c != "account_id"},
    )


def snapshots_expr(
    warehouse: Warehouse, days: Sequence[date], horizon_days: int, *, today: date, signals: Signals, score: Scorer,
    workspace: WorkspaceSettings,
) -> ir.Table:
    """Every snapshot as one union expression (what `materialise` computes, for showing the SQL)."""
    outcome_rows = outcomes_on(warehouse, days, horizon_days, today=today, workspace=workspace)
    parts = [snapshot_expr(warehouse, d, horizon_days, today=today, signals=signals, score=score, workspace=workspace,
                           outcome_rows=outcome_rows)
             for d in days]
    return ibis.union(*parts, distinct=False) if len(parts) > 1 else parts[0]


def materialise(
    warehouse: Warehouse, days: Sequence[date], horizon_days: int, *, today: date, signals: Signals, score: Scorer,
    workspace: WorkspaceSettings,
) -> ir.Table:
    """The snapshots computed into a temporary table of the engine (gone when the workspace closes)."""
    if not days:
        raise UsageError("no snapshot days")
    name = f"_backtest_snapshots_{next(_runs)}"
    run = next(_runs)
    # Every day's outcomes in one query: they all read the same ledger and renewals.
    outcome_rows = warehouse.materialise(f"_backtest_outcomes_{run}",
                                         outcomes_on(warehouse, days, horizon_days, today=today, workspace=workspace))
    # One snapshot at a time: 12 copies of the signals in one plan cost more to optimise than to run.
    # Each day's signals are computed once into a table first: the snapshot reads them twice (to
    # score them, and as the columns beside the score), and the engine would compute them twice.
    # Building and compiling a day's signals costs 10-20x running them: signals that take
    # warehouse.dated.replay_day() are compiled once and run for each day (as the health history's replay).
    replayed = warehouse.sql(signals(warehouse, dated.replay_day())) if getattr(signals, "replayable", False) else None
    for k, day in enumerate(days):
        if replayed is None:
            computed = warehouse.materialise(f"_backtest_signals_{run}", signals(warehouse, day))
        else:
            with dated.replaying(warehouse, day):
                computed = warehouse.materialise(f"_backtest_signals_{run}", replayed)
        part = snapshot_expr(warehouse, day, horizon_days, today=today, signals=lambda *_, found=computed: found,
                             score=score, workspace=workspace, outcome_rows=outcome_rows)
        if k == 0:
            table = warehouse.ibis.create_table(name, part, temp=True, overwrite=True)
        else:
            warehouse.ibis.insert(name, part)
    return table

