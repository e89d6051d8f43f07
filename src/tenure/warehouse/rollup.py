"""The daily activity rollup: `events` compacted to one row per account, user and day.

    _daily_activity(account_id, user_id, day, events, active, logins, password_resets, kb_views,
                    content_views, feature_mask)

`day` is the event's day in the workspace time zone (warehouse/localday.py). `active` follows
[events] activity (any event when the list is empty); logins, password_resets, kb_views and
content_views count the events of the matching [events] lists; bit i of `feature_mask` is set when
the i-th of [[events.features]] (configuration order) was used that day; `feature_uses` turns it
into one row per feature used. Events without a user_id roll up into a row whose user_id is null:
they make the account active, never a user.

A bit mask rather than a list of names: building a list for each of millions of rows cost more
than the rest of the rollup together, while readers only ever ask "was feature i used".

Day-window signals (logins, resets, knowledge-base views, breadth) read this table, and refresh folds
it into the monthly rollups the monthly families read (warehouse/monthly.py), instead of `events`: one
scan of `events` per refresh replaces one per metric. How much it compresses depends on the events
per active user-day (tens in a typical product; about 1.2 in the benchmark, where it keeps 82%).
"""

from __future__ import annotations

import json

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from tenure.config.settings import EventsSettings
from tenure.warehouse import Warehouse
from tenure.warehouse.localday import local_day

TABLE = "_daily_activity"
COLUMNS = (
    "account_id", "user_id", "day", "events", "active", "logins", "password_resets", "kb_views", "content_views",
    "feature_mask",
)
# Bumped whenever the rollup's columns or their meaning change, so an older rollup reads as stale.
LAYOUT = 2
_LISTS = (  # rollup column <- [events] list
    ("logins", "login"),
    ("password_resets", "password_reset"),
    ("kb_views", "knowledge_base"),
    ("content_views", "content"),
)


def definition(events: EventsSettings, timezone: str) -> str:
    """Everything the rollup's contents depend on besides the events themselves, as canonical JSON:
    a refresh records it, and a different one later means the rollup is stale."""
    return json.dumps(
        {
            "layout": LAYOUT,
            "timezone": timezone,
            "activity": events.activity,
            **{name: getattr(events, name) for _, name in _LISTS},
            "features": [[f.name, f.events] for f in events.features],
        },
        sort_keys=True,
    )


def daily_activity(warehouse: Warehouse, *, events: EventsSettings) -> ir.Table:
    """The rollup as an expression over `events`: one scan, every count a filtered aggregate."""
    events_settings = events  # the [events] section: `events` is the table from here on
    events = warehouse.table("events")
    events = events.mutate(day=local_day(events.timestamp, warehouse.timezone))

    def counted(names: list[str]) -> ir.IntegerValue:
        # An empty list counts nothing (`IN ()` is not valid SQL; a FALSE filter keeps the column BIGINT).
        return events.count(where=events.event.isin(names) if names else ibis.literal(False))

    measures = {column: counted(getattr(events_settings, name)) for column, name in _LISTS}
    if events_settings.activity:
        measures["_activity"] = counted(events_settings.activity)
    features = events_settings.features
    # One bit per feature, OR-ed over the day: an event may belong to several features.
    bits = ibis.literal(0, dt.int64)
    for i, feature in enumerate(features):
        bits = bits | ibis.ifelse(events.event.isin(feature.events), 1 << i, 0).cast(dt.int64)
    measures["feature_mask"] = bits.bit_or() if features else ibis.literal(0, dt.int64).max()
    rolled = events.group_by(["account_id", "user_id", "day"]).aggregate(events=events.count(), **measures)

    active = rolled["_activity"] > 0 if events_settings.activity else ibis.literal(True)
    rolled = rolled.mutate(active=active, feature_mask=rolled.feature_mask.cast(dt.int64))
    # Stored in day order, so that a window of days (every day signal reads one) skips the row groups
    # outside it by their min/max day instead of scanning the whole table: at 100M events the 12
    # backtest snapshots took 80 s instead of 140 s, for 35 s more in the refresh (README, Performance).
    return rolled.select(*COLUMNS).order_by("day")


def feature_uses(warehouse: Warehouse, activity: ir.Table, *, events: EventsSettings) -> ir.Table:
    """The rollup rows (or a filtered part of them) with one row per feature used: their columns plus
    `feature` (the name) and `feature_order` (its position in [[events.features]])."""
    names = [f.name for f in events.features]
    if not names:
        return activity.filter(ibis.literal(False)).mutate(
            feature=ibis.null(dt.string), feature_order=ibis.null(dt.int64)
        )
    # The feature list is generated by the engine (no memtable), so the SQL stands alone.
    order = ibis.range(0, len(names)).unnest()
    used = activity.filter(activity.feature_mask != 0)
    used = used.mutate(feature_order=order.cast(dt.int64))
    used = used.filter((used.feature_mask & (ibis.literal(1, dt.int64) << used.feature_order)) != 0)
    return used.mutate(feature=ibis.literal(names, type=dt.Array(dt.string))[used.feature_order])
