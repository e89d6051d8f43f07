"""Dates the engine can store but Python cannot hold.

DuckDB keeps dates from 290,309 BC to 294,247 AD; Python's `date` ends at years 1 and 9999, so a
result holding such a value fails when it is converted (pyarrow raises OverflowError). The loader
rejects dates outside its plausible range, but a workspace loaded before that check, or written by
other means, may hold them. `unrepresentable` finds them in the canonical tables, so the error can
name the table, column and a key to correct instead of a conversion deep inside a figure.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis

from tenure.contract.tables import TABLES, Kind
from tenure.warehouse.connection import Warehouse

__all__ = ["OutOfRange", "FIRST_YEAR", "LAST_YEAR", "unrepresentable"]

FIRST_YEAR, LAST_YEAR = 1, 9999
_DATED = (Kind.DATE, Kind.TIMESTAMP, Kind.MONTH)


@dataclass(frozen=True)
class OutOfRange:
    """`rows` values of `table.column` lie outside years 1..9999; `example` is one row's key and value."""

    table: str
    column: str
    rows: int
    example: str

    def __str__(self) -> str:
        return f"{self.table}.{self.column}: {self.rows} value(s), e.g. {self.example}"


def unrepresentable(warehouse: Warehouse) -> list[OutOfRange]:
    """Every dated column of the canonical tables holding values outside years 1..9999, with a count
    and an example. One aggregate per column: it runs only after a conversion failed."""
    found = []
    for spec in TABLES.values():
        table = warehouse.table(spec.name)
        for column in (c.name for c in spec.columns if c.kind in _DATED):
            # A day's margin at each end: an instant near the bound, seen in another zone, crosses it.
            day = table[column].cast("date")
            outside = (day < ibis.date(FIRST_YEAR, 1, 2)) | (day > ibis.date(LAST_YEAR, 12, 30))
            bad = table.filter(outside)
            # The value as text (the engine's rendering, which goes past 9999 and before year 1).
            key = [bad[k].cast("string") for k in spec.key if k != column]
            label = ibis.literal(", ").join(key) + ": " + bad[column].cast("string")
            rows, example = bad.aggregate(rows=bad.count(), example=label.min()).to_pyarrow().to_pylist()[0].values()
            if rows:
                found.append(OutOfRange(spec.name, column, rows, example))
    return found
