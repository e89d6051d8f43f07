"""Each account's day signals with its health score beside them: the table playbooks run over.

    scored_signals(warehouse, as_of)   tenure.journey.day_signals + scorecard, score, band, confidence,
                                       low_confidence, stale (null where no scorecard applies)
    materialise(warehouse, as_of)      the same, computed once into a temporary table

Building and compiling this expression costs about 3 s of Python, more than running it at 10,000
accounts; a day's refresh (today's score, today's stage, the playbooks) therefore computes it once
with `materialise` and reads the table three times.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

import ibis.expr.types as ir

from tenure.config.settings import Settings
from tenure.health.scorecard import SCORE_COLUMNS, score
from tenure.health.sources import missing_signals, stale_signals
from tenure.journey import day_signals
from tenure.warehouse import Warehouse


def day_scores(
    warehouse: Warehouse, as_of: date | ir.DateValue, signals: ir.Table | None = None, *, settings: Settings,
    stale: Collection[str] | None = None,
) -> ir.Table:
    """The score rows (SCORE_COLUMNS) of every account a scorecard applies to, as of a day. `stale`: the
    signals stale on that day (health.sources.stale_signals), required for a replayed day
    (warehouse.dated.replay_day), which is no date to look the sources up on."""
    health = settings.health
    signals = day_signals(warehouse, as_of, settings=settings) if signals is None else signals
    stale = stale_signals(warehouse, as_of, health) if stale is None else stale
    return score(signals, health, stale=stale, missing=missing_signals(warehouse))


def scored_signals(warehouse: Warehouse, as_of: date, *, settings: Settings) -> ir.Table:
    signals = day_signals(warehouse, as_of, settings=settings)
    scores = day_scores(warehouse, as_of, signals, settings=settings)
    added = [c for c in SCORE_COLUMNS if c != "account_id"]
    joined = signals.left_join(scores, "account_id")
    return joined.select(signals, *[scores[c] for c in added])


MATERIALISED = "_scored_signals"


def materialise(warehouse: Warehouse, as_of: date, *, settings: Settings) -> ir.Table:
    """scored_signals(as_of) as a temporary table of this connection (gone when it closes)."""
    return warehouse.materialise(MATERIALISED, scored_signals(warehouse, as_of, settings=settings))


def scores_of(scored: ir.Table) -> ir.Table:
    """The score rows (SCORE_COLUMNS) in a scored_signals table: the accounts a scorecard applies to."""
    return scored.filter(scored.scorecard.notnull()).select(*SCORE_COLUMNS).order_by("account_id")
