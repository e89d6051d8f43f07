"""The units the product-usage queries count (a user or an account), their activity and creation.

    user     events.user_id; created at users.created_at, else at the user's first event
    account  events.account_id; created at accounts.created_at, else at the account's first event

Events without the unit's id (an account-level event has no user_id) never make a user active.
"""

from __future__ import annotations

from datetime import date
from typing import Sequence

import ibis.expr.types as ir

from tenure.queries.intervals import bucket
from tenure.warehouse import Warehouse

UNITS = {"user": ("user_id", "users"), "account": ("account_id", "accounts")}
UNIT_ID = "unit_id"  # the output name of the unit's id, whichever the unit


def events_of(warehouse: Warehouse, unit: str, names: Sequence[str] = ()) -> ir.Table:
    """(unit_id, timestamp) of every event carrying the unit's id; only events named `names` when given."""
    column, _ = UNITS[unit]
    events = warehouse.table("events")
    events = events.filter(events[column].notnull())
    if names:
        events = events.filter(events.event.isin(list(names)))
    return events.select(events[column].name(UNIT_ID), events.timestamp)


def activity(warehouse: Warehouse, unit: str, interval: str, names: Sequence[str],
             first: date | None = None, last: date | None = None) -> ir.Table:
    """Distinct (unit_id, period) with a qualifying event, for periods from `first` to `last` when given."""
    events = events_of(warehouse, unit, names)
    active = events.select(UNIT_ID, period=bucket(events.timestamp, interval))
    if first is not None:
        active = active.filter(active.period >= first)
    if last is not None:
        active = active.filter(active.period <= last)
    return active.distinct()


def created(warehouse: Warehouse, unit: str, interval: str) -> ir.Table:
    """(unit_id, created_period) of every unit with an event: its table's created_at when set, else its
    first event of any kind (so the event filter never changes when a unit was created)."""
    column, table_name = UNITS[unit]
    events = events_of(warehouse, unit)
    first_seen = events.group_by(UNIT_ID).aggregate(first_event_at=events.timestamp.min())
    table = warehouse.table(table_name)
    declared = table.select(table[column].name("declared_id"), declared_at=table.created_at)
    joined = first_seen.left_join(declared, first_seen[UNIT_ID] == declared.declared_id)
    created_at = joined.declared_at.fill_null(joined.first_event_at)
    return joined.select(UNIT_ID, created_period=bucket(created_at, interval))
