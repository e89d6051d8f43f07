"""Stale sources: a feed that stopped makes the scores that read it untrustworthy (docs/health.md).

A source is stale on a day when it has rows dated on or before that day, but none in the
`stale_after_days` days ending it. A source with no rows at all is not stale: its measures are simply
missing. Each signal's source is its catalogue entry's (tenure.signals.CATALOGUE).
"""

from __future__ import annotations

from datetime import date, timedelta

import ibis

from tenure.config.health import HealthSettings
from tenure.signals import CATALOGUE
from tenure.warehouse import Warehouse, rollup
from tenure.warehouse.localday import on_or_before

# Source -> (table, the column dating its rows). Events are read from the daily rollup, which is
# an order of magnitude smaller than the events and already holds each event's day.
WATCHED = {
    "events": (rollup.TABLE, "day"),
    "tickets": ("tickets", "created_at"),
    "surveys": ("surveys", "responded_at"),
    "messages": ("messages", "sent_at"),
}


def latest_days(warehouse: Warehouse, as_of: date) -> dict[str, date | None]:
    """Per watched source, the day of its newest row on or before as_of (None without one).

    Timestamps are compared with the instant as_of ends (its next local midnight) and only the newest
    is turned into a day: no per-row time-zone conversion, and the engine can skip blocks of rows by
    their min/max."""
    parts = []
    for source, (name, column) in WATCHED.items():
        table = warehouse.table(name)
        value = table[column]
        kept = value <= as_of if value.type().is_date() else on_or_before(value, as_of, warehouse.timezone)
        newest = table.filter(kept).aggregate(at=value.max())
        # One value per source: its day in the session's (the workspace's) time zone.
        latest = newest.at if value.type().is_date() else newest.at.date()
        parts.append(newest.select(source=ibis.literal(source), latest=latest))
    rows = ibis.union(*parts).to_pyarrow().to_pylist()  # four rows, one per source
    return {row["source"]: row["latest"] for row in rows}


def stale_sources(warehouse: Warehouse, as_of: date, health: HealthSettings) -> set[str]:
    """The watched sources that are stale on as_of."""
    oldest_fresh = as_of - timedelta(days=health.stale_after_days)
    return {source for source, latest in latest_days(warehouse, as_of).items() if latest is not None and latest < oldest_fresh}


def stale_signals(warehouse: Warehouse, as_of: date, health: HealthSettings) -> set[str]:
    """The signal names whose source is stale on as_of."""
    stale = stale_sources(warehouse, as_of, health)
    return {name for name, signal in CATALOGUE.items() if signal.source in stale}
