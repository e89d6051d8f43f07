"""The journey of every account as of a day, and the stages at a glance (docs/journey.md).

    journey(warehouse, as_of)        per account: stage, since, days_in_stage, milestone figures,
                                     journey_status, expansion/advocacy moments with their reasons
    stage_summary(warehouse, as_of)  per configured stage, in order: accounts in it, their share,
                                     median days of completed spells and of current ones (history)
"""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from tenure.journey.history import HISTORY, history_as_of
from tenure.config.journey import MOMENTS
from tenure.config.settings import Settings
from tenure.journey.day import day_signals
from tenure.metrics.numbers import ratio
from tenure.warehouse import Warehouse
from tenure.warehouse.inline import inline_table

COLUMNS = (
    "account_id", "name", "stage", "since", "days_in_stage", "milestones_reached_total", "milestones_applicable",
    "milestone_progress", "journey_status", "expansion_moment", "expansion_reasons", "advocacy_moment",
    "advocacy_reasons",
)
SUMMARY = ("stage", "accounts", "share", "median_days_completed", "median_days_current")


def journey(warehouse: Warehouse, as_of: date, *, settings: Settings) -> ir.Table:
    """One row per account created on or before as_of, ordered by account_id."""
    rows = day_signals(warehouse, as_of, settings=settings).select(
        "account_id", "name", "milestones_reached_total", "milestones_applicable", "milestone_progress",
        "journey_status", "stage", *[f"{m}_{part}" for m in MOMENTS for part in ("moment", "reasons")],
    )
    rows = _with_since(warehouse, rows, as_of)
    return rows.select(*COLUMNS).order_by("account_id")


def _with_since(warehouse: Warehouse, rows: ir.Table, as_of: date) -> ir.Table:
    """since: the entered_on of the history spell covering as_of in the same stage; null without one
    (no history yet, or the stage changed after the last refresh)."""
    if history_as_of(warehouse) is None:
        return rows.mutate(since=ibis.null(dt.date), days_in_stage=ibis.null(dt.int64))
    spells = warehouse.table(HISTORY)
    covering = spells.filter(spells.entered_on <= as_of, spells.left_on.isnull() | (spells.left_on > as_of))
    joined = rows.left_join(covering, (rows.account_id == covering.account_id) & (rows.stage == covering.stage))
    joined = joined.select(rows, since=covering.entered_on)
    return joined.mutate(days_in_stage=ibis.literal(as_of).delta(joined.since, unit="day").cast(dt.int64))


def stage_summary(warehouse: Warehouse, as_of: date, *, settings: Settings) -> ir.Table:
    """One row per [[journey.stages]] entry, in configuration order, 0 accounts when none is in it."""
    spine = inline_table([{"stage": s.name, "position": i} for i, s in enumerate(settings.journey.stages)],
                         schema={"stage": "string", "position": "int64"})
    current = journey(warehouse, as_of, settings=settings)
    counts = current.group_by("stage").aggregate(accounts=current.count())
    rows = spine.left_join(counts, "stage").select(spine, counts.accounts)
    if history_as_of(warehouse) is not None:
        spells = warehouse.table(HISTORY)
        medians = spells.group_by("stage").aggregate(
            median_days_completed=spells.days.cast(dt.float64).median(where=spells.left_on.notnull()),
            median_days_current=spells.days.cast(dt.float64).median(where=spells.left_on.isnull()),
        )
        rows = rows.left_join(medians, "stage").select(rows, medians.median_days_completed, medians.median_days_current)
    else:
        rows = rows.mutate(median_days_completed=ibis.null(dt.float64), median_days_current=ibis.null(dt.float64))
    rows = rows.mutate(accounts=rows.accounts.fill_null(0))
    rows = rows.mutate(share=ratio(rows.accounts, rows.accounts.sum().over()))
    return rows.order_by("position").select(*SUMMARY)
