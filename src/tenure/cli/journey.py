"""`tenure journey` (stage, milestone progress, status and moments per account), `tenure journey stages`,
`tenure journey refresh`, `tenure journey history` and `tenure milestones` (docs/journey.md)."""

from __future__ import annotations

from typing import Annotated, Optional

import pyarrow as pa
import typer

from tenure.cli.context import opened
from tenure.cli.output import Format, console, emit, emit_json

AsOf = Annotated[Optional[str], typer.Option("--as-of", help="The day, YYYY-MM-DD (default: today in the workspace time zone).")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]

# The terminal table shows what fits on a screen; --json carries every column.
TABLE_COLUMNS = ("account_id", "stage", "since", "milestone_progress", "journey_status", "expansion_reasons",
                 "advocacy_reasons")

app = typer.Typer(no_args_is_help=False, invoke_without_command=True)


@app.callback()
def journey(
    ctx: typer.Context,
    stage: Annotated[Optional[str], typer.Option("--stage", help="Only accounts in this stage.")] = None,
    status: Annotated[Optional[str], typer.Option("--status", help="Only accounts on_track, behind or stuck.")] = None,
    as_of: AsOf = None,
    json_: Json = False,
) -> None:
    """Per account: stage, since, milestone progress, journey status and moments to act."""
    if ctx.invoked_subcommand is not None:
        return
    with opened(read_only=True) as ws:
        rows = ws.journey(as_of, stage=stage, status=status)
    if not json_:
        # Lists do not fit a table cell: the reasons are shown joined.
        rows = _joined(rows, "expansion_reasons", "advocacy_reasons")
    emit(rows, Format.json if json_ else Format.table, title="Journey", columns=None if json_ else TABLE_COLUMNS)


@app.command("stages")
def stages(as_of: AsOf = None, json_: Json = False) -> None:
    """Accounts per stage now, and the median days of completed and current spells (stage history)."""
    with opened(read_only=True) as ws:
        rows = ws.journey_stages(as_of)
    emit(rows, Format.json if json_ else Format.table, title="Stages")


@app.command("refresh")
def refresh(as_of: AsOf = None, json_: Json = False) -> None:
    """Rebuild the stage history: every account's stage at each snapshot day, as spells."""
    with opened() as ws:
        done = ws.refresh_journey(as_of)
    if json_:
        emit_json({"as_of": done.as_of, "snapshots": done.snapshots, "spells": done.spells})
        return
    console.print(f"Stage history to {done.as_of}: {done.snapshots} snapshots, {done.spells:,} spells.")


@app.command("history")
def history(
    account: Annotated[Optional[str], typer.Argument(help="One account's spells (default: all).")] = None,
    json_: Json = False,
) -> None:
    """Stage spells from the last `tenure journey refresh`: stage, entered_on, left_on, days."""
    with opened(read_only=True) as ws:
        rows = ws.stage_history(account)
    emit(rows, Format.json if json_ else Format.table, title="Stage history")


def milestones(
    account: Annotated[Optional[str], typer.Option("--account", help="Only this account.")] = None,
    as_of: AsOf = None,
    json_: Json = False,
) -> None:
    """Per account and milestone: expected by, reached at, status (reached, on_track, behind, stuck)."""
    with opened(read_only=True) as ws:
        rows = ws.milestones(as_of, account=account)
    emit(rows, Format.json if json_ else Format.table, title="Milestones",
         columns=None if json_ else ("account_id", "milestone", "kind", "expected_by", "reached_at", "status"))


def _joined(rows: pa.Table, *columns: str) -> pa.Table:
    for name in columns:
        text = pa.array([", ".join(v) for v in rows.column(name).to_pylist()], pa.string())
        rows = rows.set_column(rows.schema.get_field_index(name), name, text)
    return rows
