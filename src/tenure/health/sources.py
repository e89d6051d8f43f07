"""Stale and missing sources: a feed that stopped makes the scores that read it untrustworthy, a feed
never loaded makes them unknown (docs/health.md).

A source is stale on a day when it has rows dated on or before that day, but none in the
`stale_after_days` days ending it. A source with no rows at all was never loaded: it is not stale but
**missing**, and so are the signals that read it. Their counts come out as 0 (no tickets, no active
days), which a scorecard would take for a measurement; `missing_signals` names them so that scoring
drops them like a null. Each signal's source is its catalogue entry's (tenure.signals.CATALOGUE), plus
the second source a few signals are computed from (ALSO_READS).
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


# Sources a workspace may leave empty (accounts and subscriptions are what every workspace has).
OPTIONAL = {"events": "events", "tickets": "tickets", "surveys": "surveys", "messages": "messages",
            "milestones": "milestones"}
# Signals read from a second source besides their catalogue one: active users per seat needs events.
ALSO_READS = {"seat_utilisation": "events"}


def missing_sources(warehouse: Warehouse) -> set[str]:
    """The optional sources without a single row: never loaded, whatever the day."""
    parts = [
        warehouse.table(name).limit(1).aggregate(rows=ibis._.count()).mutate(source=ibis.literal(source))
        for source, name in OPTIONAL.items()
    ]
    rows = ibis.union(*parts).to_pyarrow().to_pylist()  # five rows, one per source
    return {row["source"] for row in rows if row["rows"] == 0}


def missing_signals(warehouse: Warehouse) -> set[str]:
    """The signal names that read a missing source (missing_sources)."""
    missing = missing_sources(warehouse)
    return {
        name for name, signal in CATALOGUE.items()
        if signal.source in missing or ALSO_READS.get(name) in missing
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
