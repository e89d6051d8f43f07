"""`tenure journey` (stage, milestone progress, status and moments per account), `tenure journey stages`,
`tenure journey refresh`, `tenure journey history` and `tenure milestones` (docs/journey.md)."""

from __future__ import annotations

from typing import Annotated, Optional

import pyarrow as pa
import typer

from tenure.cli.context import opened
from tenure.cli.options import Account, AsOf, Csv, Json, Sql
from tenure.cli.output import console, emit_json, show

# The terminal table shows what fits on a screen; --json carries every column.
TABLE_COLUMNS = ("account_id", "stage", "since", "milestone_progress", "journey_status", "expansion_reasons",
                 "advocacy_reasons")
MILESTONE_COLUMNS = ("account_id", "milestone", "kind", "expected_by", "reached_at", "status")

app = typer.Typer(no_args_is_help=False, invoke_without_command=True)


@app.callback()
def journey(
    ctx: typer.Context,
    stage: Annotated[Optional[str], typer.Option("--stage", help="Only accounts in this stage.")] = None,
    status: Annotated[Optional[str], typer.Option("--status", help="Only accounts on_track, behind or stuck.")] = None,
    as_of: AsOf = None,
    json_: Json = False,
    csv_: Csv = False,
    sql: Sql = False,
) -> None:
    """Per account: stage, since, milestone progress, journey status and moments to act."""
    if ctx.invoked_subcommand is not None:
        return
    # Lists fit neither a table cell nor a CSV field: there the reasons are shown joined.
    show(lambda ws: ws.journey_expr(as_of, stage=stage, status=status), json_=json_, csv_=csv_, sql=sql,
         title="Journey", columns=TABLE_COLUMNS, readable=lambda rows: _joined(rows, "expansion_reasons", "advocacy_reasons"))


@app.command("stages")
def stages(as_of: AsOf = None, json_: Json = False, csv_: Csv = False, sql: Sql = False) -> None:
    """Accounts per stage now, and the median days of completed and current spells (stage history)."""
    show(lambda ws: ws.journey_stages_expr(as_of), json_=json_, csv_=csv_, sql=sql, title="Stages")


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
    account: Annotated[Optional[str], typer.Argument(metavar="[ACCOUNT_ID]", help="One account's spells (default: all).")] = None,
    json_: Json = False,
    csv_: Csv = False,
    sql: Sql = False,
) -> None:
    """Stage spells from the last `tenure journey refresh`: stage, entered_on, left_on, days."""
    show(lambda ws: ws.stage_history_expr(account), json_=json_, csv_=csv_, sql=sql, title="Stage history")


def milestones(account: Account = None, as_of: AsOf = None, json_: Json = False, csv_: Csv = False, sql: Sql = False) -> None:
    """Per account and milestone: expected by, reached at, status (reached, on_track, behind, stuck)."""
    show(lambda ws: ws.milestones_expr(as_of, account_id=account), json_=json_, csv_=csv_, sql=sql,
         title="Milestones", columns=MILESTONE_COLUMNS)


def _joined(rows: pa.Table, *columns: str) -> pa.Table:
    for name in columns:
        text = pa.array([", ".join(v) for v in rows.column(name).to_pylist()], pa.string())
        rows = rows.set_column(rows.schema.get_field_index(name), name, text)
    return rows
