"""Tables kept one day at a time: rows with a `day` column, added and removed a day at a time by a
refresh (the health history, the stage snapshots). The SQL lives here, beside the engine; callers pass
expressions and days. Run these inside `refresh.rebuild`, so the refresh record and the rows change
together."""

from __future__ import annotations

from datetime import date
from typing import Mapping

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


def days(warehouse: Warehouse, table: str) -> set[date]:
    """The days the table holds."""
    return set(warehouse.table(table).select("day").distinct().to_pyarrow().column("day").to_pylist())


__all__ = ["append_day", "clear", "create", "days", "keep_between", "remove_day"]
