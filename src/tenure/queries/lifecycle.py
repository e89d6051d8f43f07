"""Lifecycle (docs/queries.md): per period, how many units are new, returning, resurrecting or dormant.

    active        at least one qualifying event in the period (any event unless names are given)
    new           active, and created in this period
    returning     active in this period and the previous one, not new
    resurrecting  active, inactive in the previous period, not new; so a unit created before its first
                  activity is resurrecting when it first shows up, as in PostHog
    dormant       inactive, active in the previous period (a positive count; PostHog plots it negative)

The runner has three steps, as every query runner: `validate` the options into a LifecycleQuery,
build the expression (`statuses`, one row per unit and period, then `lifecycle`, the counts), run it
(the caller's `to_pyarrow`). `actors` drills down from a cell to the units behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Sequence

import ibis
import ibis.expr.types as ir

from tenure.errors import UsageError
from tenure.queries import intervals
from tenure.queries.units import UNIT_ID, UNITS, activity, created
from tenure.warehouse import Warehouse

STATUSES = ("new", "returning", "resurrecting", "dormant")
COLUMNS = ("period", *STATUSES)


@dataclass(frozen=True)
class LifecycleQuery:
    unit: str
    range: intervals.Range
    events: tuple[str, ...] = ()  # empty: any event


def validate(*, unit: str = "user", interval: str = "week", events: Sequence[str] = (),
             start: date | str | None = None, end: date | str | None = None, timezone: str) -> LifecycleQuery:
    intervals.choice("unit", unit, UNITS)
    names = tuple(events)
    if any(not name or not name.strip() for name in names):
        raise UsageError("{events}: an event name cannot be empty")
    return LifecycleQuery(unit, intervals.resolve(interval, start, end, timezone=timezone), names)


def statuses(warehouse: Warehouse, query: LifecycleQuery) -> ir.Table:
    """(period, unit_id, status) for every unit with a status in a period of the range."""
    interval, first, last = query.range.interval, query.range.first, query.range.last
    # The period before --from decides whether the first row's units are returning or dormant.
    active = activity(warehouse, query.unit, interval, query.events, intervals.shift(first, interval, -1), last)
    # A unit active in period p was "active in the previous period" of p + 1.
    before = active.select(UNIT_ID, period=intervals.following(active.period, interval), was_active=ibis.literal(True))
    now = active.filter(active.period >= first)
    now = now.left_join(before, [UNIT_ID, "period"]).left_join(created(warehouse, query.unit, interval), UNIT_ID)
    status = (
        ibis.cases(
            (now.created_period == now.period, "new"),
            (now.was_active.notnull(), "returning"),
            else_="resurrecting",
        )
    )
    present = now.select("period", UNIT_ID, status=status)
    gone = before.filter(before.period <= last).anti_join(active, [UNIT_ID, "period"])
    dormant = gone.select("period", UNIT_ID, status=ibis.literal("dormant"))
    return present.union(dormant)


def lifecycle(warehouse: Warehouse, query: LifecycleQuery) -> ir.Table:
    """One row per period from --from to --to, in order; an empty period is zeros."""
    units = statuses(warehouse, query)
    counts = units.group_by("period").aggregate(
        **{name: units.count(where=units.status == name) for name in STATUSES}
    )
    spine = intervals.spine(counts.aggregate(periods=counts.count()), query.range.periods)
    rows = spine.left_join(counts, "period")
    return rows.order_by("period").select(
        period=intervals.label(rows.period),
        **{name: rows[name].fill_null(0).cast("int64") for name in STATUSES},
    )


def actors(warehouse: Warehouse, query: LifecycleQuery, period: date | str, status: str) -> ir.Table:
    """The unit ids behind one cell (period, status), sorted."""
    intervals.choice("status", status, STATUSES)
    chosen = query.range.locate(period, "period")
    units = statuses(warehouse, query)
    units = units.filter((units.period == chosen) & (units.status == status))
    return units.select(UNIT_ID).order_by(UNIT_ID)
