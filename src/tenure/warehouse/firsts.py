"""`_event_firsts`: each account's first occurrences of the events that activation, time to value and
functional milestones look for, built once per refresh.

    _event_firsts(account_id, event, nth, at)   the nth (1..K) occurrence of `event` for the account

The events are those of [events.activation], the [events.value] event and every functional milestone
of [[journey.milestones]]; K is the largest `min_count` among those milestones (1 without any).

Why a table: "was it reached by day d" is the same question for every d. The k-th occurrence of an
event is a fact of history, so it was reached by d exactly when its `at` is on or before d. Signals,
scores, stages and milestones as of a day, and the backtest's past days, read this small table
instead of scanning every event once per day asked.
"""

from __future__ import annotations

import json

import ibis
import ibis.expr.types as ir

from tenure.config.journey import JourneySettings
from tenure.config.settings import EventsSettings
from tenure.warehouse import Warehouse

TABLE = "_event_firsts"
COLUMNS = ("account_id", "event", "nth", "at")
LAYOUT = 1


def watched(events: EventsSettings, journey: JourneySettings) -> tuple[list[str], int]:
    """The event names kept, sorted, and K (occurrences kept per account and event)."""
    names = set(events.activation.events)
    if events.value.event is not None:
        names.add(events.value.event)
    functional = [m for m in journey.milestones if m.functional]
    for milestone in functional:
        names.update(milestone.events)
    depth = max([m.min_count or 1 for m in functional], default=1)
    return sorted(names), depth


def definition(events: EventsSettings, journey: JourneySettings) -> str:
    names, depth = watched(events, journey)
    return json.dumps({"layout": LAYOUT, "events": names, "depth": depth}, sort_keys=True)


def event_firsts(warehouse: Warehouse, *, events: EventsSettings, journey: JourneySettings) -> ir.Table:
    names, depth = watched(events, journey)
    events = warehouse.table("events")
    if not names:
        return events.filter(ibis.literal(False)).select("account_id", "event", nth=ibis.literal(1), at=events.timestamp)
    events = events.filter(events.event.isin(names))
    if depth == 1:  # a plain minimum: no sort of each account's events
        firsts = events.group_by(["account_id", "event"]).aggregate(at=events.timestamp.min())
        return firsts.select("account_id", "event", nth=ibis.literal(1, "int64"), at=firsts.at)
    nth = (ibis.row_number() + 1).over(group_by=["account_id", "event"], order_by="timestamp")
    ranked = events.select("account_id", "event", nth=nth.cast("int64"), at=events.timestamp)
    return ranked.filter(ranked.nth <= depth)
