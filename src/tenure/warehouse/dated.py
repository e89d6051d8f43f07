"""Tables kept one day at a time: rows with a `day` column, added and removed a day at a time by a
refresh (the health history, the stage snapshots). The SQL lives here, beside the engine; callers pass
expressions and days. Run these inside `refresh.rebuild`, so the refresh record and the rows change
together.

A replay (the health history and the stage snapshots after a settings change) computes the same
query for many past days. Building and compiling a day's expressions costs ten to twenty times what
the engine takes to run it, so a replay builds them once over `replay_day()`, a stand-in for the day
that the engine reads from a session variable, and `append_days` runs that one SQL text for each day.
DuckDB folds the variable into a constant when it binds the query, so it filters like a literal day.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from typing import Iterable, Iterator, Mapping

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from tenure.warehouse.connection import Warehouse


def create(warehouse: Warehouse, table: str, columns: Mapping[str, str], *, replace: bool = False) -> None:
    """Create the table (columns: name -> SQL type) when missing, or anew and empty with `replace`."""
    typed = ", ".join(f'"{name}" {kind}' for name, kind in columns.items())
    verb = "CREATE OR REPLACE TABLE" if replace else "CREATE TABLE IF NOT EXISTS"
    warehouse.raw.execute(f'{verb} "{table}" ({typed})')


def clear(warehouse: Warehouse, table: str) -> None:
    """Remove every day."""
    warehouse.raw.execute(f'DELETE FROM "{table}"')


def remove_day(warehouse: Warehouse, table: str, day: date) -> None:
    """Remove one day's rows (before it is written again)."""
    warehouse.raw.execute(f'DELETE FROM "{table}" WHERE day = $day', {"day": day})


def keep_between(warehouse: Warehouse, table: str, first: date, until: date) -> None:
    """Remove the days before `first` and from `until` on: what stays is first <= day < until."""
    warehouse.raw.execute(f'DELETE FROM "{table}" WHERE day < $first OR day >= $until', {"first": first, "until": until})


def append_day(warehouse: Warehouse, table: str, day: date, rows: ir.Table | str, columns: tuple[str, ...]) -> None:
    """Add one day's rows: `rows` (an expression, or its SQL compiled before the transaction) with `day`
    set to the day, in the order of `columns` (which names `day` where it stands in the table)."""
    sql = rows if isinstance(rows, str) else warehouse.sql(rows)
    chosen = ", ".join("$day" if name == "day" else f'"{name}"' for name in columns)
    warehouse.raw.execute(f'INSERT INTO "{table}" SELECT {chosen} FROM ({sql})', {"day": day})


def append_days(warehouse: Warehouse, table: str, days: Iterable[date], sql: str, columns: tuple[str, ...]) -> None:
    """append_day for each day, with one SQL text compiled over `replay_day()`, which reads each day in turn."""
    for day in days:
        with replaying(warehouse, day):
            append_day(warehouse, table, day, sql, columns)


@contextmanager
def replaying(warehouse: Warehouse, day: date) -> Iterator[None]:
    """A block in which SQL compiled over `replay_day()` runs for `day`."""
    warehouse.raw.execute(f"SET VARIABLE {_VARIABLE} = $day", {"day": day})
    try:
        yield
    finally:
        warehouse.raw.execute(f"RESET VARIABLE {_VARIABLE}")


_VARIABLE = "tenure_replay_day"


@ibis.udf.scalar.builtin(name="getvariable")
def _getvariable(variable: str) -> dt.date:
    """A session variable's value; DuckDB replaces the call by the value when it binds the query."""


def replay_day() -> ir.DateValue:
    """The day a replay's query is run for (append_days): pass it where a day (`as_of`) is expected."""
    return _getvariable(_VARIABLE)


def as_value(day: date | ir.DateValue) -> ir.DateValue:
    """A day as an expression: a literal for a date, replay_day() as it is."""
    return ibis.literal(day) if isinstance(day, date) else day


def day_of_month(day: date | ir.DateValue) -> int | ir.IntegerValue:
    """1..31: a number for a date, an expression for replay_day()."""
    return day.day if isinstance(day, date) else day.day()


def days(warehouse: Warehouse, table: str) -> set[date]:
    """The days the table holds."""
    return set(warehouse.table(table).select("day").distinct().to_pyarrow().column("day").to_pylist())


__all__ = [
    "append_day", "append_days", "as_value", "clear", "create", "day_of_month", "days", "keep_between", "remove_day",
    "replay_day",
]
