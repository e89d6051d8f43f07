"""Arguments as the services take them: days and months parsed once, with errors in the core's words.

A UsageError names the parameter as `{name}` (errors.UsageError): the Python API shows `as_of`, the
CLI its flag `--as-of`. "Today" is always the caller's: the day in the workspace time zone.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from tenure.errors import UsageError
from tenure.metrics import calendar


def today(timezone: str) -> date:
    """The current day in a time zone (the workspace's): what "today" means to every figure."""
    return datetime.now(ZoneInfo(timezone)).date()


def day(value: date | str, parameter: str) -> date:
    """A day from a date or YYYY-MM-DD text."""
    return calendar.parse_day(value, parameter)


def as_of(value: date | str | None, *, today: date) -> date:
    """The day a figure is computed as of: the given one, else today."""
    return today if value is None else day(value, "as_of")


def months(start: str | None, end: str | None, *, today: date, default_months: int = 12) -> tuple[int, int]:
    """Month indexes from start to end (YYYY-MM); by default the `default_months` months up to today's."""
    last = calendar.parse_month(end, parameter="end") if end else calendar.month_of(today)
    first = calendar.parse_month(start, parameter="start") if start else last - default_months + 1
    if first > last:
        raise UsageError(f"{{start}} {calendar.month_label(first)} is after {{end}} {calendar.month_label(last)}")
    return first, last


def optional_months(start: str | None, end: str | None) -> tuple[int | None, int | None]:
    """Month indexes of an optional start and end (YYYY-MM); None where not given."""
    first = calendar.parse_month(start, parameter="start") if start else None
    last = calendar.parse_month(end, parameter="end") if end else None
    if first is not None and last is not None and first > last:
        raise UsageError(f"{{start}} {start} is after {{end}} {end}")
    return first, last
