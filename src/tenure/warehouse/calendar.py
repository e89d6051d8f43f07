"""Month arithmetic shared by every layer: a month index is year * 12 + (month - 1), so month
arithmetic (m - 12, trailing windows) is plain integer arithmetic on every engine. tenure.metrics.calendar
re-exports these beside its parsing and labelling helpers; they live here so the warehouse's own tables
(warehouse/monthly.py) use the same definitions."""

from __future__ import annotations

from datetime import date

import ibis.expr.types as ir


def month_index_of(ts: ir.TimestampValue | ir.DateValue) -> ir.IntegerValue:
    """The month index of a timestamp (bucketed in the session = workspace time zone) or a date."""
    return ts.year().cast("int64") * 12 + ts.month().cast("int64") - 1


def month_of(day: date | ir.DateValue) -> int | ir.IntegerValue:
    """The month index of a calendar day (an expression for an expression, such as a replayed day)."""
    return day.year * 12 + day.month - 1 if isinstance(day, date) else month_index_of(day)


def month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def days_in(index: int) -> int:
    """The number of days of a month."""
    return (month_start(index + 1) - month_start(index)).days
