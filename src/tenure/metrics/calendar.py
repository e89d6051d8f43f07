"""Months as integers, so month arithmetic (m - 12, trailing windows) is plain integer arithmetic on
every engine. A month index is year * 12 + (month - 1), taken in the workspace time zone."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import ibis
import ibis.expr.types as ir

from tenure.errors import UsageError

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_index_of(ts: ir.TimestampValue | ir.DateValue) -> ir.IntegerValue:
    """The month index of a timestamp (bucketed in the session = workspace time zone) or a date."""
    return ts.year().cast("int64") * 12 + ts.month().cast("int64") - 1


def parse_month(text: str, *, option: str = "month") -> int:
    found = _MONTH.match(text.strip())
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise UsageError(f"{option}: '{text}' is not a month; write YYYY-MM, for example 2025-01")
    return int(found.group(1)) * 12 + int(found.group(2)) - 1


def month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def current_month(timezone: str) -> int:
    now = datetime.now(ZoneInfo(timezone))
    return now.year * 12 + now.month - 1


def label_expr(index: ir.IntegerValue) -> ir.StringValue:
    """'YYYY-MM' of a month index, in the engine."""
    year = (index // 12).cast("string")
    month = (index % 12 + 1).cast("string").lpad(2, "0")
    return year.concat("-", month)


def month_spine(first: int, last: int, name: str = "month_index") -> ir.Table:
    """One row per month from first to last inclusive: a calendar, so an empty month is 0, not missing."""
    return ibis.memtable({name: list(range(first, last + 1))}, schema={name: "int64"})
