"""The day of an instant in the workspace time zone, without a time-zone conversion per row.

`timestamp.date()` under the session time zone converts every row through ICU's calendar: on 10M
events that alone costs about 2 seconds of a refresh. A zone's offset from UTC only changes at its
transitions (twice a year, or never), so the local day is

    day = floor((epoch_seconds + offset(epoch_seconds)) / 86400)

where offset() is a step function known in advance. It is computed here from the IANA database
(zoneinfo) for 1970..2100 and compiled into a balanced tree of CASE expressions: about eight integer
comparisons per row for a zone with daylight saving time, none for UTC or a fixed-offset zone.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

_FIRST = datetime(1970, 1, 1, tzinfo=UTC)
_LAST = datetime(2100, 1, 1, tzinfo=UTC)
_SECONDS_PER_DAY = 86_400


@ibis.udf.scalar.builtin(name="epoch_us")
def _epoch_us(instant: dt.Timestamp(timezone="UTC")) -> dt.int64:
    """Microseconds since 1970-01-01 UTC; DuckDB's builtin (Spark's is unix_micros)."""


@lru_cache(maxsize=16)
def transitions(zone: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(starts, offsets): from epoch second starts[i] on, the zone is offsets[i] seconds ahead of UTC.

    starts[0] is the start of 1970. Offsets are sampled daily and every change is narrowed to the
    second by bisection, so a transition at any instant of the day is found exactly."""
    tz = ZoneInfo(zone)

    def offset(moment: datetime) -> int:
        return int(moment.astimezone(tz).utcoffset().total_seconds())

    starts, offsets = [int(_FIRST.timestamp())], [offset(_FIRST)]
    day, previous = _FIRST, _FIRST
    while day < _LAST:
        day += timedelta(days=1)
        current = offset(day)
        if current != offsets[-1]:
            low, high = previous, day  # offset(low) is the old offset, offset(high) the new one
            while (high - low) > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if offset(middle) == current:
                    high = middle
                else:
                    low = middle
            starts.append(int(high.timestamp()))
            offsets.append(current)
        previous = day
    return tuple(starts), tuple(offsets)


def offset_at(zone: str, epoch_seconds: int) -> int:
    """The zone's offset from UTC at an instant, from the same table the engine uses (for tests)."""
    starts, offsets = transitions(zone)
    return offsets[max(bisect_right(starts, epoch_seconds) - 1, 0)]


def local_day(instant: ir.TimestampValue, zone: str) -> ir.DateValue:
    """The calendar day of `instant` in `zone`, as the engine computes it for every row."""
    seconds = _epoch_us(instant) // 1_000_000
    starts, offsets = transitions(zone)
    shifted = seconds + _offset_tree(seconds, starts, offsets, 0, len(starts))
    days = shifted // _SECONDS_PER_DAY  # floor division: instants before 1970 fall on the day before
    # Through a zone-less timestamp: DuckDB types DATE + INTERVAL as TIMESTAMP, and its cast to DATE
    # is plain arithmetic (no zone is involved).
    return (ibis.timestamp(1970, 1, 1, 0, 0, 0) + days.as_interval("D")).date()


def _offset_tree(seconds: ir.IntegerValue, starts, offsets, low: int, high: int) -> ir.IntegerValue:
    """offsets[i] for the i in [low, high) with starts[i] <= seconds < starts[i+1], by halving the range."""
    if high - low == 1:
        return ibis.literal(offsets[low], dt.int64)
    middle = (low + high) // 2
    return ibis.ifelse(
        seconds < starts[middle],
        _offset_tree(seconds, starts, offsets, low, middle),
        _offset_tree(seconds, starts, offsets, middle, high),
    )


# "On or before day d" for a timestamp is "before the instant d ends": a comparison with a constant,
# which needs no conversion per row and lets the engine skip blocks of rows by their min/max. The
# point-in-time filters of signals, scores and backtests use these rather than `ts.date() <= d`.
# The day may also be an expression standing for a replayed day (warehouse.dated.replay_day): its
# local midnight is then computed by the engine with the function a literal instant compiles to
# (MAKE_TIMESTAMPTZ), so both give the same instant, a constant once the day is bound.


def day_start(day: date, zone: str) -> datetime:
    """The instant `day` begins in `zone` (its local midnight)."""
    return datetime.combine(day, time(), ZoneInfo(zone))


@ibis.udf.scalar.builtin(name="make_timestamptz")
def _make_timestamptz(
    year: dt.int64, month: dt.int64, day: dt.int64, hour: dt.int64, minute: dt.int64, second: dt.float64, zone: str
) -> dt.Timestamp(timezone="UTC"):
    """The instant a local time of a zone falls on (DuckDB's builtin, which a zoned literal compiles to)."""


def _start(day: date | ir.DateValue, zone: str) -> datetime | ir.TimestampValue:
    if isinstance(day, date):
        return day_start(day, zone)
    return _make_timestamptz(day.year(), day.month(), day.day(), 0, 0, 0.0, zone)


def on_or_before(instant: ir.TimestampValue, day: date | ir.DateValue, zone: str) -> ir.BooleanValue:
    """instant's local day <= day."""
    return instant < _start(day + timedelta(days=1), zone)


def after(instant: ir.TimestampValue, day: date | ir.DateValue, zone: str) -> ir.BooleanValue:
    """instant's local day > day."""
    return instant >= _start(day + timedelta(days=1), zone)


def on_or_after(instant: ir.TimestampValue, day: date | ir.DateValue, zone: str) -> ir.BooleanValue:
    """instant's local day >= day."""
    return instant >= _start(day, zone)


def within(instant: ir.TimestampValue, first: date | ir.DateValue, last: date | ir.DateValue, zone: str) -> ir.BooleanValue:
    """first <= instant's local day <= last."""
    return on_or_after(instant, first, zone) & on_or_before(instant, last, zone)
