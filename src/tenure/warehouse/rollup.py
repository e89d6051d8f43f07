"""The daily activity rollup: `events` compacted to one row per account, user and day.

    _daily_activity(account_id, user_id, day, events, active, logins, password_resets, kb_views,
                    content_views, features)

`day` is the event's day in the workspace time zone (the session zone). `active` follows
[events] activity (any event when the list is empty); logins, password_resets, kb_views and
content_views count the events of the matching [events] lists; `features` lists the names of the
[[events.features]] used that day, in configuration order. Events without a user_id roll up into a
row whose user_id is null: they make the account active, never a user.

The usage families read this table instead of `events`: a product sends tens of events per active
user-day, so the rollup is an order of magnitude smaller than the events it summarises, and one scan
of `events` per refresh replaces one per metric.
"""

from __future__ import annotations

import json

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from tenure.config.settings import Settings
from tenure.warehouse import Warehouse

TABLE = "_daily_activity"
COLUMNS = (
    "account_id", "user_id", "day", "events", "active", "logins", "password_resets", "kb_views", "content_views",
    "features",
)
_LISTS = (  # rollup column <- [events] list
    ("logins", "login"),
    ("password_resets", "password_reset"),
    ("kb_views", "knowledge_base"),
    ("content_views", "content"),
)


def definition(settings: Settings) -> str:
    """Everything the rollup's contents depend on besides the events themselves, as canonical JSON:
    a refresh records it, and a different one later means the rollup is stale."""
    events = settings.events
    return json.dumps(
        {
            "timezone": settings.workspace.timezone,
            "activity": events.activity,
            **{name: getattr(events, name) for _, name in _LISTS},
            "features": [[f.name, f.events] for f in events.features],
        },
        sort_keys=True,
    )


def daily_activity(warehouse: Warehouse) -> ir.Table:
    """The rollup as an expression over `events`: one scan, every count a filtered aggregate."""
    events_settings = warehouse.settings.events
    events = warehouse.table("events")
    events = events.mutate(day=events.timestamp.date())  # the session zone is the workspace's

    def counted(names: list[str]) -> ir.IntegerValue:
        # An empty list counts nothing (`IN ()` is not valid SQL; a FALSE filter keeps the column BIGINT).
        return events.count(where=events.event.isin(names) if names else ibis.literal(False))

    measures = {column: counted(getattr(events_settings, name)) for column, name in _LISTS}
    if events_settings.activity:
        measures["_activity"] = counted(events_settings.activity)
    features = events_settings.features
    measures.update({f"_feature_{i}": counted(f.events) for i, f in enumerate(features)})
    rolled = events.group_by(["account_id", "user_id", "day"]).aggregate(events=events.count(), **measures)

    active = rolled["_activity"] > 0 if events_settings.activity else ibis.literal(True)
    used = [ibis.ifelse(rolled[f"_feature_{i}"] > 0, f.name, ibis.null(dt.string)) for i, f in enumerate(features)]
    names = (
        ibis.array(used).filter(lambda name: name.notnull()) if used else ibis.literal([], type=dt.Array(dt.string))
    )
    rolled = rolled.mutate(active=active, features=names)
    return rolled.select(*COLUMNS)
