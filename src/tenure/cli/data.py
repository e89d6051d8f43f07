"""`tenure load` and `tenure rejects`: the front door, and what it turned away."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from tenure.cli.context import opened
from tenure.cli.options import Csv, Json, Sql
from tenure.cli.output import console, emit_json, show
from tenure.cli.progress import progress
from tenure.contract.tables import TABLES
from tenure.errors import StrictLoadError


def load(
    table: Annotated[str, typer.Argument(help=f"One of: {', '.join(TABLES)}.")],
    files: Annotated[list[Path], typer.Argument(help="CSV, Parquet or JSON Lines files.")],
    format: Annotated[Optional[str], typer.Option("--format", help="csv, parquet or jsonl (default: from the extension).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Load nothing if any row is rejected.")] = False,
    json_: Json = False,
) -> None:
    """Load files into a table of the data contract: keyed upserts, rejects kept, all or nothing."""
    with opened() as ws, progress(enabled=not json_) as report:
        try:
            result = ws.load(table, files, format=format, strict=strict, progress=report)
        except StrictLoadError:
            _hint_rejects(table)
            raise
    if json_:
        emit_json(result.to_dict())
        return
    console.print(f"[bold]{table}[/]: {result.counts()}.")
    if result.rows_rejected:
        for reason in result.reasons:
            console.print(f"  {reason.count:>8,}  {reason.reason}", highlight=False)
            for e in reason.examples:
                console.print(f"            {e.file} row {e.row}, {e.column} = {e.value!r}", style="dim", highlight=False)
        _hint_rejects(table)


def _hint_rejects(table: str) -> None:
    console.print(f"List them all with: [cyan]tenure rejects {table}[/]")


def rejects(
    table: Annotated[Optional[str], typer.Argument(help="Only this table.")] = None,
    all_loads: Annotated[bool, typer.Option("--all", help="Rejects of every load, not only the latest per table.")] = False,
    limit: Annotated[int, typer.Option("--limit", min=0, max=10**9, help="Show at most this many rows (0 = all).")] = 0,
    json_: Json = False,
    csv_: Csv = False,
    sql: Sql = False,
) -> None:
    """Rows the loader rejected: file, row, column, value and why."""
    show(lambda ws: ws.rejects_expr(table, all_loads=all_loads, limit=limit or None), json_=json_, csv_=csv_,
         sql=sql, title="Rejected rows", empty="No rejected rows.")
