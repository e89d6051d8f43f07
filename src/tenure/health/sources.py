"""Stale sources: a feed that stopped makes the scores that read it untrustworthy (docs/health.md).

A source is stale on a day when it has rows dated on or before that day, but none in the
`stale_after_days` days ending it. A source with no rows at all is not stale: its measures are simply
missing. Each signal's source is its catalogue entry's (tenure.signals.CATALOGUE).
"""

from __future__ import annotations

from datetime import date, timedelta

import ibis
import ibis.expr.types as ir

from tenure.config.health import HealthSettings
from tenure.signals import CATALOGUE
from tenure.warehouse import Warehouse, rollup

# Source -> (table, the column dating its rows). Events are read from the daily rollup, which is
# an order of magnitude smaller than the events and already holds each event's day.
WATCHED = {
    "events": (rollup.TABLE, "day"),
    "tickets": ("tickets", "created_at"),
    "surveys": ("surveys", "responded_at"),
    "messages": ("messages", "sent_at"),
}


def latest_days(warehouse: Warehouse, as_of: date) -> ir.Table:
    """One row per watched source: `source` and `latest`, the day of its newest row on or before as_of."""
    parts = []
    for source, (name, column) in WATCHED.items():
        table = warehouse.table(name)
        day = table[column] if table[column].type().is_date() else table[column].date()
        table = table.filter(day <= as_of)
        parts.append(table.aggregate(latest=day.max()).mutate(source=ibis.literal(source)))
    return ibis.union(*parts).select("source", "latest")


def stale_sources(warehouse: Warehouse, as_of: date, health: HealthSettings) -> set[str]:
    """The watched sources that are stale on as_of."""
    oldest_fresh = as_of - timedelta(days=health.stale_after_days)
    rows = latest_days(warehouse, as_of).to_pyarrow().to_pylist()  # four rows, one per source
    return {row["source"] for row in rows if row["latest"] is not None and row["latest"] < oldest_fresh}


def stale_signals(warehouse: Warehouse, as_of: date, health: HealthSettings) -> set[str]:
    """The signal names whose source is stale on as_of."""
    stale = stale_sources(warehouse, as_of, health)
    return {name for name, signal in CATALOGUE.items() if signal.source in stale}
