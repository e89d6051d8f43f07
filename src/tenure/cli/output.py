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
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.table import Table

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from tenure.workspace import Workspace

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


# -- how a person reads a value: one rule per kind of column (docs/output.md) ---------------------------

class Kind(str, Enum):
    """What a column holds, which decides how a terminal shows it. JSON and CSV keep the raw value."""

    text = "text"  # as it is; the only kind a narrow terminal may wrap
    count = "count"  # a whole number with thousands separators: 1,137
    index = "index"  # a label that is a number: month_index 24301, period 3, decile 10, row 1204
    number = "number"  # two decimals with separators: 1,234.50
    money = "money"  # an exact decimal, two places with separators
    rate = "rate"  # a share from 0 to 1, shown as a percentage: 0.652 -> 65.2%
    change = "change"  # a relative change, shown as a signed percentage: 0.065 -> +6.5%
    time = "time"  # a date or timestamp


# A share from 0 to 1: open_rate_30d, customer_rate_3m, csat, ticket_csat, share_of_arr, survival_at_12,
# stickiness_accounts, still_using_30d, nrr_12m, probability, breadth, confidence.
_RATES = re.compile(
    r"(_rate(_\d+[dm])?$|^[ng]rr_12m$|(^|_)csat$|(^|_)share(_|$)|^stickiness|^survival|^retention$|^still_using"
    r"|^(mean_)?probability$|^breadth$|^confidence$|^seat_utilisation$)"
)
_CHANGES = re.compile(r"_trend$")
# Whole numbers that name rather than count: no thousands separator.
_INDEXES = re.compile(r"(^|_)(index|period|decile|year|row|id|k)$")


def kind_of(name: str, value: Any = None, type: pa.DataType | None = None) -> Kind:
    """The kind of a column, from its name and its type (or, without the type, one of its values)."""
    if type is not None:
        value = (
            Decimal(0) if pa.types.is_decimal(type) else 0.0 if pa.types.is_floating(type)
            else 0 if pa.types.is_integer(type) else date.min if pa.types.is_temporal(type) else None
        )
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return Kind.text
    if isinstance(value, (date, datetime)):
        return Kind.time
    if isinstance(value, Decimal):
        return Kind.money
    if isinstance(value, int):
        return Kind.index if _INDEXES.search(name) else Kind.count
    if isinstance(value, float):
        return Kind.rate if _RATES.search(name) else Kind.change if _CHANGES.search(name) else Kind.number
    return Kind.text


def human(name: str, value: Any) -> str:
    """A readable cell by the column's kind: rates as percentages, changes signed, money and counts with
    separators, numbered labels without, nulls as a dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    kind = kind_of(name, value)
    if kind is Kind.rate:
        return f"{value:.1%}"
    if kind is Kind.change:
        return f"{value:+.1%}"
    if kind in (Kind.number, Kind.money):
        return f"{value:,.2f}"
    if kind is Kind.count:
        return f"{value:,}"
    if kind is Kind.index:
        return str(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def compact_money(value: Any) -> str:
    """405,340.19 -> 405.3k: money in summaries, where the columns must stay narrow."""
    if value is None:
        return "–"
    amount = float(value)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(amount) >= limit:
            return f"{amount / limit:,.1f}{suffix}"
    return f"{amount:,.0f}"


def signal_value(signal: str, value: Any) -> str:
    """A signal's value in its unit (tenure.vocabulary): a share as a percentage, a relative change signed,
    money compact, a true/false flag as yes or no, other numbers as they are (28, 50, -100)."""
    from tenure.conditions import SignalType
    from tenure.vocabulary.catalogue import CATALOGUE
    from tenure.vocabulary.scopes import scored

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    entry = CATALOGUE.get(signal)
    unit = entry.unit if entry else None
    if unit == "share" or kind_of(signal, 0.0) is Kind.rate:
        return f"{float(value):.0%}"
    if unit == "ratio" or kind_of(signal, 0.0) is Kind.change:
        return f"{float(value):+.0%}"
    if unit == "money":
        return compact_money(value)
    if scored((signal,)).get(signal) is SignalType.BOOLEAN or isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"
    return str(value)


def driver_text(driver: Mapping[str, Any]) -> str:
    """One churn-model driver as a person reads it: 'in renewal window', 'days to renewal 50',
    'seat utilisation 38%', 'segment Enterprise', 'csat missing'."""
    from tenure.conditions import SignalType
    from tenure.vocabulary.scopes import scored

    signal = driver["signal"]
    label = signal.replace("_", " ")
    if driver.get("missing"):
        return f"{label} missing"
    if driver.get("category") is not None:
        return f"{label} {driver['category']}"
    if scored((signal,)).get(signal) is SignalType.BOOLEAN:
        return label if driver["value"] else f"not {label}"
    return f"{label} {signal_value(signal, driver['value'])}"


# -- tables that fit the terminal -------------------------------------------------------------------------

# Rich's table chrome: one space of padding either side of a cell and one rule between cells; one more
# rule closes the row.
_CHROME = 3
# A text column (a name, a subject, a list of drivers) wraps to this width rather than push figures out.
_TEXT_WIDTH = 32


def rich_table(table: pa.Table, *, title: str | None = None, columns: Iterable[str] | None = None,
               width: int | None = None) -> RenderableType:
    """The rows as one Rich table, or as several (sections) when the columns do not fit `width` (the
    console's): each section repeats the leading key columns (month, account, --by group) and takes as
    many figures as fit. No cell is ever cut: a figure keeps its width, a long text wraps."""
    names = list(columns) if columns else table.column_names
    # A month that is not over (the monthly figures' `partial`) is marked on the month, not in a column.
    marked = "month" in names and "partial" in table.column_names and pa.types.is_boolean(table.schema.field("partial").type)
    partial = table.column("partial").to_pylist() if marked else []
    if marked:
        names = [n for n in names if n != "partial"]
    kinds = {n: kind_of(n, type=table.schema.field(n).type) for n in names}
    rows = table.select(names).to_pylist()
    cells = {n: [human(n, row[n]) for row in rows] for n in names}
    if marked:
        cells["month"] = [f"{cell} *" if part else cell for cell, part in zip(cells["month"], partial)]
    need = {n: max([cell_len(n), *(cell_len(c) for c in cells[n])]) for n in names}
    width = width or console.width
    sections = _sections(names, kinds, need, width)
    views = []
    for number, section in enumerate(sections, 1):
        label = title if len(sections) == 1 or title is None else f"{title} ({number}/{len(sections)})"
        view = Table(title=label, header_style="bold", show_lines=False,
                     caption="* the month is not over: its figures are partial" if any(partial) else None)
        for n in section:
            numeric = kinds[n] not in (Kind.text, Kind.time)
            view.add_column(n, justify="right" if numeric else "left", overflow="fold", no_wrap=kinds[n] is not Kind.text,
                            min_width=need[n] if kinds[n] is not Kind.text else None)
        for i in range(len(rows)):
            view.add_row(*(cells[n][i] for n in section))
        views.append(view)
    return views[0] if len(views) == 1 else Group(*views)


def _sections(names: list[str], kinds: dict[str, Kind], need: dict[str, int], width: int) -> list[list[str]]:
    """Split the columns into sections that each fit `width`, each led by the key columns."""
    def cost(name: str) -> int:
        return (min(need[name], _TEXT_WIDTH) if kinds[name] is Kind.text else need[name]) + _CHROME

    if 1 + sum(cost(n) for n in names) <= width:
        return [names]
    # The keys: the leading labels (text, dates, numbered labels), while they leave half the width.
    keys: list[str] = []
    for n in names[:-1]:
        if kinds[n] not in (Kind.text, Kind.time, Kind.index) or 1 + sum(map(cost, [*keys, n])) > width // 2:
            break
        keys.append(n)
    keys = keys or names[:1]
    sections: list[list[str]] = []
    current: list[str] = []
    used = 1 + sum(map(cost, keys))
    for n in names[len(keys):]:
        if current and used + cost(n) > width:
            sections.append(keys + current)
            current, used = [], 1 + sum(map(cost, keys))
        current.append(n)
        used += cost(n)
    sections.append(keys + current)
    return sections
