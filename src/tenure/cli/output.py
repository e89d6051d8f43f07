"""Render results for people (Rich tables) and for scripts (JSON, CSV), or the SQL behind them: the one
rendering path of every figure command (`show`)."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import sys
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

import pyarrow as pa
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from tenure.workspace import Workspace

# A rate, or a rate over a window or after a delay: open_rate_30d, customer_rate_3m.
_RATE = re.compile(r"_rate(_\d+[dm])?$")


def _console(stderr: bool = False) -> Console:
    # Piped output (CI logs, files) gets room for a wide table instead of Rich's 80-column default.
    stream = sys.stderr if stderr else sys.stdout
    wide = None if stream.isatty() or os.environ.get("COLUMNS") else 140
    return Console(stderr=stderr, width=wide)


console = _console()
err_console = _console(stderr=True)


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"

    @classmethod
    def chosen(cls, json_: bool = False, csv_: bool = False) -> "Format":
        """The format the --json and --csv flags ask for; a table when neither."""
        return cls.json if json_ else cls.csv if csv_ else cls.table


def show(
    figure: Callable[["Workspace"], "ir.Table"],
    *,
    json_: bool = False,
    csv_: bool = False,
    sql: bool = False,
    title: str | None = None,
    columns: Iterable[str] | None = None,
    readable: Callable[[pa.Table], pa.Table] | None = None,
    empty: str | None = None,
) -> None:
    """Build one figure's expression on the workspace (opened read-only), then print its SQL (--sql) or run
    it and render the rows. `columns` are the terminal table's (JSON and CSV carry every column);
    `readable` reshapes the rows for a table or CSV (lists joined into text, say); `empty` is what the
    terminal shows instead of a table with no rows."""
    from tenure.cli.context import opened

    with opened(read_only=True) as ws:
        expr = figure(ws)
        if sql:
            print(ws.sql(expr))
            return
        result = expr.to_pyarrow()
    fmt = Format.chosen(json_, csv_)
    if empty is not None and fmt is Format.table and result.num_rows == 0:
        console.print(empty)
        return
    if readable is not None and fmt is not Format.json:
        result = readable(result)
    emit(result, fmt, title=title, columns=columns)


def print_sql(ws: "Workspace", sections: Mapping[str, "ir.Table"]) -> None:
    """The SQL of each section of a view (an account's 360, a health why), each headed by its name."""
    for name, expr in sections.items():
        sys.stdout.write(f"-- {name}\n{ws.sql(expr)};\n\n")


def plain(value: Any) -> Any:
    """A JSON-safe value: exact decimals as numbers, NaN/inf as null (never NaN in JSON), times as ISO text."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        # Money has at most 15 significant digits here, so the shortest float repr is the exact decimal.
        return int(value) if value == value.to_integral_value() and abs(value) < 2**53 else float(value)
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def rows_of(table: pa.Table) -> list[dict]:
    return [plain(row) for row in table.to_pylist()]


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(plain(data), indent=2, ensure_ascii=False) + "\n")


def emit_csv(table: pa.Table) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.column_names)
    for row in rows_of(table):
        writer.writerow(["" if v is None else v for v in row.values()])
    sys.stdout.write(buffer.getvalue())


def emit(table: pa.Table, fmt: Format, *, title: str | None = None, columns: Iterable[str] | None = None) -> None:
    if fmt is Format.json:
        emit_json(rows_of(table))
    elif fmt is Format.csv:
        emit_csv(table)
    else:
        console.print(rich_table(table, title=title, columns=columns))


def rich_table(table: pa.Table, *, title: str | None = None, columns: Iterable[str] | None = None) -> Table:
    names = list(columns) if columns else table.column_names
    # A month that is not over (the monthly figures' `partial`) is marked on the month, not in a column.
    marked = "month" in names and "partial" in table.column_names and pa.types.is_boolean(table.schema.field("partial").type)
    partial = table.column("partial").to_pylist() if marked else []
    if marked:
        names = [n for n in names if n != "partial"]
    any_partial = any(partial)
    view = Table(title=title, header_style="bold", show_lines=False,
                 caption="* the month is not over: its figures are partial" if any_partial else None)
    for name in names:
        numeric = pa.types.is_integer(table.schema.field(name).type) or pa.types.is_floating(
            table.schema.field(name).type
        ) or pa.types.is_decimal(table.schema.field(name).type)
        view.add_column(name, justify="right" if numeric else "left")
    for i, row in enumerate(table.select(names).to_pylist()):
        cells = [human(name, row[name]) for name in names]
        if marked and partial[i]:
            cells[names.index("month")] += " *"
        view.add_row(*cells)
    return view


def compact_money(value: Any) -> str:
    """405,340.19 -> 405.3k: money in summaries, where the columns must stay narrow."""
    if value is None:
        return "–"
    amount = float(value)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(amount) >= limit:
            return f"{amount / limit:,.1f}{suffix}"
    return f"{amount:,.0f}"


def human(name: str, value: Any) -> str:
    """A readable cell: rates as percentages, money with separators, nulls as a dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float):
        if _RATE.search(name) or name.endswith(("nrr_12m", "grr_12m")):
            return f"{value:.1%}"
        return f"{value:,.2f}"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)
