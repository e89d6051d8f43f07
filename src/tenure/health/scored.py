"""Each account's day signals with its health score beside them: the table playbooks run over.

    scored_signals(warehouse, as_of)   tenure.journey.day_signals + scorecard, score, band, confidence,
                                       low_confidence, stale (null where no scorecard applies)
"""

from __future__ import annotations

from datetime import date

import ibis.expr.types as ir

from tenure.health.scorecard import SCORE_COLUMNS, score
from tenure.health.sources import stale_signals
from tenure.journey import day_signals
from tenure.warehouse import Warehouse


def day_scores(warehouse: Warehouse, as_of: date, signals: ir.Table | None = None) -> ir.Table:
    """The score rows (SCORE_COLUMNS) of every account a scorecard applies to, as of a day."""
    health = warehouse.settings.health
    signals = day_signals(warehouse, as_of) if signals is None else signals
    return score(signals, health, stale=stale_signals(warehouse, as_of, health))


def scored_signals(warehouse: Warehouse, as_of: date) -> ir.Table:
    signals = day_signals(warehouse, as_of)
    scores = day_scores(warehouse, as_of, signals)
    added = [c for c in SCORE_COLUMNS if c != "account_id"]
    joined = signals.left_join(scores, "account_id")
    return joined.select(signals, *[scores[c] for c in added])
