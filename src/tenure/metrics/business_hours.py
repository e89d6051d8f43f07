"""Support clocks: elapsed time in calendar hours, or in business hours when `[support.business_hours]` is set.

Both clocks give each instant t a reading in seconds, so the time between a and b is always
clock(b) - clock(a):

    calendar clock   C(t) = epoch seconds of t
    business clock   F(t) = cum(day(t)) + clamp(secs(t) - open, 0, close - open)   on a working day
                     F(t) = cum(day(t))                                              on any other day

where day(t) and secs(t) (seconds since midnight) are read on the wall clock of the schedule's time
zone, and cum(d) is the business seconds of all days before d. cum comes from a day calendar built in
the engine (a running sum over the days the data spans), so every reading is one equi-join and the
work per ticket is constant, however long it stayed open. A working day is a weekday listed in
`days` that is not in `holidays`. On the wall clock a DST change inside opening hours counts as it
reads (08:00-17:00 is 8 hours either way); DST changes normally fall at night, outside them.
"""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from tenure.config.settings import WEEKDAYS, BusinessHours, SupportSettings
from tenure.warehouse import Warehouse

DAY = 86_400
_EPOCH = date(1970, 1, 1)  # a Thursday: weekday index (day number + 3) % 7 counts Monday as 0


@ibis.udf.scalar.builtin(name="epoch")
def _epoch(ts: dt.Timestamp(timezone="UTC")) -> dt.float64:
    """DuckDB: seconds since 1970 of an instant (ibis's epoch_seconds reads the session's wall clock)."""


@ibis.udf.scalar.builtin(name="epoch")
def _wall_epoch(ts: dt.Timestamp()) -> dt.float64:
    """DuckDB: seconds since 1970 of a wall-clock (naive) timestamp, read as if it were UTC."""


@ibis.udf.scalar.builtin(name="timezone")
def _wall_clock(zone: str, ts: dt.Timestamp(timezone="UTC")) -> dt.Timestamp():
    """DuckDB: the wall-clock time of an instant in a time zone."""


def with_clock(warehouse: Warehouse, table: ir.Table, columns: list[str], *, support: SupportSettings) -> ir.Table:
    """The table with `<column>_clock` (seconds, float64) for each timestamp column: business seconds
    when a schedule is configured ([support.business_hours]), else epoch seconds. Null instants read null."""
    schedule = support.business_hours
    if schedule is None:
        return table.mutate(**{f"{c}_clock": _epoch(table[c]) for c in columns})
    zone = schedule.timezone or warehouse.timezone
    walls = {c: _wall_epoch(_wall_clock(zone, table[c])) for c in columns}
    table = table.mutate(
        **{f"{c}_day": (walls[c] / DAY).floor().cast("int64") for c in columns},
        **{f"{c}_secs": walls[c] - (walls[c] / DAY).floor() * DAY for c in columns},
    )
    calendar = _day_calendar(table, columns, schedule)
    opens, length = _seconds(schedule.start), _seconds(schedule.end) - _seconds(schedule.start)
    for c in columns:
        day = calendar.view()
        joined = table.left_join(day, table[f"{c}_day"] == day.day)
        inside = (joined[f"{c}_secs"] - opens).clip(lower=0, upper=length)
        reading = day.cum + ibis.ifelse(day.working, inside, 0)
        table = joined.select(table, reading.cast("float64").name(f"{c}_clock"))
    return table.drop(*[f"{c}_{part}" for c in columns for part in ("day", "secs")])


def _day_calendar(table: ir.Table, columns: list[str], schedule: BusinessHours) -> ir.Table:
    """One row per day number from the earliest to the latest day of the columns: working, cum."""
    bounds = table.aggregate(
        low=ibis.least(*[table[f"{c}_day"].min() for c in columns]),
        high=ibis.greatest(*[table[f"{c}_day"].max() for c in columns]),
    )
    days = bounds.select(day=ibis.range(bounds.low, bounds.high + 1).unnest().cast("int64"))
    working_days = [WEEKDAYS.index(d) for d in schedule.days]
    holidays = [(d - _EPOCH).days for d in schedule.holidays]
    length = _seconds(schedule.end) - _seconds(schedule.start)
    working = ((days.day + 3) % 7).isin(working_days)
    if holidays:
        working = working & ~days.day.isin(holidays)
    days = days.mutate(working=working, open_seconds=ibis.ifelse(working, length, 0))
    before = ibis.window(order_by="day", rows=(None, -1))
    return days.mutate(cum=days.open_seconds.sum().over(before).fill_null(0)).select("day", "working", "cum")


def _seconds(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 3600 + int(minutes) * 60
