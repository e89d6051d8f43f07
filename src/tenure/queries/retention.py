"""Retention (docs/queries.md): a cohort matrix, PostHog's retention insight.

    cohorts  recurring   a unit joins the cohort of every period in which it did the start event
             first_time  a unit joins only the cohort of its first-ever start event; when that was
                         before --from, it is in no cohort of the range
    count    on          values[k] = cohort units that did the return event in period cohort + k
             on_or_after values[k] = cohort units that did it in period cohort + k or later
    values[0] = size (the cohort itself); returns are seen up to the end of --to, so a fixed range
    always gives the same matrix.

Runner steps, as for lifecycle: `validate` -> `retained` (cohort, unit_id, k: one row per unit counted
in a cell) -> `retention` (the matrix) -> the caller runs it; `actors` drills down into a cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import ibis
import ibis.expr.types as ir

from tenure.errors import UsageError
from tenure.queries import intervals
from tenure.queries.units import UNIT_ID, UNITS, activity
from tenure.warehouse import Warehouse

COHORTS = ("recurring", "first_time")
COUNTS = ("on", "on_or_after")
COLUMNS = ("cohort", "size", "values")


@dataclass(frozen=True)
class RetentionQuery:
    unit: str
    range: intervals.Range
    start_event: str | None  # None: any event
    return_event: str | None
    cohorts: str
    count: str


def validate(*, unit: str = "user", interval: str = "week", start_event: str | None = None,
             return_event: str | None = None, cohorts: str = "recurring", count: str = "on",
             start: date | str | None = None, end: date | str | None = None, timezone: str) -> RetentionQuery:
    intervals.choice("unit", unit, UNITS)
    intervals.choice("cohorts", cohorts, COHORTS)
    intervals.choice("count", count, COUNTS)
    for parameter, name in (("start_event", start_event), ("return_event", return_event)):
        if name is not None and not name.strip():
            raise UsageError(f"{{{parameter}}}: an event name cannot be empty; omit it for any event")
    return RetentionQuery(unit, intervals.resolve(interval, start, end, timezone=timezone), start_event,
                          return_event, cohorts, count)


def members(warehouse: Warehouse, query: RetentionQuery) -> ir.Table:
    """(cohort, unit_id): the units of every cohort of the range."""
    interval, first, last = query.range.interval, query.range.first, query.range.last
    names = [query.start_event] if query.start_event else []
    if query.cohorts == "recurring":
        starts = activity(warehouse, query.unit, interval, names, first, last)
        return starts.select(cohort=starts.period, **{UNIT_ID: starts[UNIT_ID]})
    # first_time: the first start event over all history, then kept only when it falls in the range.
    starts = activity(warehouse, query.unit, interval, names)
    firsts = starts.group_by(UNIT_ID).aggregate(cohort=starts.period.min())
    return firsts.filter(firsts.cohort.between(first, last)).select("cohort", UNIT_ID)


def retained(warehouse: Warehouse, query: RetentionQuery) -> ir.Table:
    """(cohort, unit_id, k) for every cell a unit is counted in; k = 0 holds every member."""
    interval = query.range.interval
    cohort = members(warehouse, query)
    names = [query.return_event] if query.return_event else []
    returns = activity(warehouse, query.unit, interval, names, query.range.first, query.range.last)
    later = cohort.join(returns, [UNIT_ID, returns.period > cohort.cohort])
    later = later.select("cohort", UNIT_ID, k=intervals.index(later.period, interval) - intervals.index(later.cohort, interval))
    if query.count == "on_or_after":
        # Returned in period cohort + k or later <=> the last return is at least k periods after the cohort.
        reach = later.group_by("cohort", UNIT_ID).aggregate(furthest=later.k.max())
        later = reach.select("cohort", UNIT_ID, k=ibis.range(1, reach.furthest + 1).unnest().cast("int64"))
    itself = cohort.select("cohort", UNIT_ID, k=ibis.literal(0, type="int64"))
    return itself.union(later)


def retention(warehouse: Warehouse, query: RetentionQuery) -> ir.Table:
    """One row per cohort period from --from to --to, in order: cohort, size, values (values[0] = size)."""
    cells = retained(warehouse, query)
    counts = cells.group_by("cohort", "k").aggregate(units=cells.count())
    periods = query.range.periods
    spine = intervals.spine(counts.aggregate(cells=counts.count()), periods, name="cohort")
    # Each cohort has a cell for every period from its own to the range's last one.
    position = intervals.index(spine.cohort, query.range.interval) - intervals.index(ibis.literal(query.range.first), query.range.interval)
    grid = spine.select("cohort", k=ibis.range(0, len(periods) - position).unnest().cast("int64"))
    matrix = grid.left_join(counts, ["cohort", "k"])
    matrix = matrix.select("cohort", "k", units=matrix.units.fill_null(0).cast("int64"))
    rows = matrix.group_by("cohort").aggregate(
        size=matrix.units.max(where=matrix.k == 0),
        values=matrix.units.collect(order_by=matrix.k),
    )
    return rows.order_by("cohort").select(cohort=intervals.label(rows.cohort), size=rows.size, values=rows["values"])


def actors(warehouse: Warehouse, query: RetentionQuery, cohort: date | str, k: int) -> ir.Table:
    """The unit ids behind one cell (cohort, k), sorted."""
    chosen = query.range.locate(cohort, "cohort")
    periods_left = len([p for p in query.range.periods if p >= chosen])
    if not 0 <= k < periods_left:
        raise UsageError(f"{{k}}: {k} is not an interval of cohort {chosen}; it has intervals 0 to {periods_left - 1}")
    cells = retained(warehouse, query)
    cells = cells.filter((cells.cohort == chosen) & (cells.k == k))
    return cells.select(UNIT_ID).order_by(UNIT_ID)
