"""Text at the edge of the state database: the same limits on SQLite and PostgreSQL.

PostgreSQL refuses a NUL character in text and a value longer than its VARCHAR; SQLite stores both.
So every text column is checked before a row is written (`check_row`, on every insert and update): a
NUL or an over-long value is a UsageError naming the column, on both databases. Text that tenure
renders itself (a playbook's title from an account's name) is `fitted` first, so it always fits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String

from tenure.errors import UsageError

__all__ = ["ELLIPSIS", "check_row", "fitted", "limit_of"]

ELLIPSIS = "…"


def limit_of(model: type, column: str) -> int | None:
    """The most characters a column of a model holds (its VARCHAR length); None for unbounded text."""
    kind = model.__table__.columns[column].type
    return kind.length if isinstance(kind, String) else None


def fitted(value: str, limit: int | None) -> str:
    """Text without NUL characters, cut to `limit` characters with an ellipsis when longer."""
    value = value.replace("\x00", "")
    if limit is not None and len(value) > limit:
        return value[: limit - len(ELLIPSIS)] + ELLIPSIS
    return value


def check_row(row: Any) -> None:
    """Raise UsageError when a text value of the row holds a NUL or is longer than its column."""
    table = row.__table__
    for column in table.columns:
        value = getattr(row, column.key, None)
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            raise UsageError(f"{table.name}.{column.key} holds a NUL character, which the state database cannot store")
        limit = limit_of(type(row), column.key)
        if limit is not None and len(value) > limit:
            raise UsageError(f"{table.name}.{column.key} has {len(value)} characters; at most {limit}")
