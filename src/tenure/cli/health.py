"""`tenure health` (scored accounts), `tenure health why ACCOUNT` and `tenure health diff FILE` (docs/health.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import pyarrow as pa
import typer

from tenure.cli.context import opened
from tenure.cli.options import AccountId, AsOf, Csv, Desc, Json, Sql
from tenure.cli.output import compact_money, console, emit_json, print_sql, rich_table, show

app = typer.Typer(no_args_is_help=False, invoke_without_command=True)

TABLE_COLUMNS = ("account_id", "name", "segment", "arr", "score", "band", "confidence", "low_confidence")


@app.callback()
def health(
    ctx: typer.Context,
    band: Annotated[Optional[str], typer.Option("--band", help="Only accounts in this band: red, yellow, green.")] = None,
    segment: Annotated[Optional[str], typer.Option("--segment", help="Only accounts of this segment.")] = None,
    sort: Annotated[str, typer.Option("--sort", help="Order by this column (ascending; --desc to reverse).")] = "score",
    desc: Desc = False,
    as_of: AsOf = None,
    json_: Json = False,
    csv_: Csv = False,
    sql: Sql = False,
) -> None:
    """Health scores: every scored account with its scorecard, score, band and confidence, lowest first."""
    if ctx.invoked_subcommand is not None:
        return
    show(lambda ws: ws.health_expr(as_of, band=band, segment=segment, sort=sort, descending=desc),
         json_=json_, csv_=csv_, sql=sql, title="Health", columns=TABLE_COLUMNS)


@app.command("why")
def why(account_id: AccountId, as_of: AsOf = None, json_: Json = False, sql: Sql = False) -> None:
    """Why an account has its score: each measure's points, its trend, and what would move it to green."""
    with opened(read_only=True) as ws:
        if sql:
            print_sql(ws, ws.health_why_expr(account_id, as_of))
            return
        view = ws.health_why(account_id, as_of)
    if json_:
        emit_json(view)
        return
    render_why(view)


def render_why(view: dict) -> None:
    scored = view["score"]
    if scored is None:
        console.print(f"{view['account_id']}: no scorecard applies to this account on {view['as_of']}.")
        return
    flags = " [yellow]low confidence[/]" if scored["low_confidence"] else ""
    console.print(f"{view['account_id']} [bold]health[/] {scored['score']} [bold]{scored['band']}[/] ({scored['scorecard']} scorecard,"
                  f" confidence {scored['confidence']:.0%}){flags}")
    console.print(_table(view["categories"], ("category", "category_weight", "score", "points")))
    console.print(_table(view["measures"], ("category", "signal", "value", "measure_score", "points", "gap", "green_value")))
    needed = view["measures"][0]["points_needed"] if view["measures"] else 0
    if needed:
        console.print(f"{needed:.1f} points to green; the measures above are ordered by the points each could add (gap);"
                      " green_value is the value that alone would make it green.")
    if view["trend"]:
        shown = " → ".join(f"{r['day']:%d %b} {r['score']}" for r in view["trend"][-8:])
        console.print(f"[bold]Trend[/] {shown}")


@app.command("diff")
def diff(
    path: Annotated[Path, typer.Argument(help="A tenure.toml, or a TOML file with the changed [health] and scorecards.")],
    as_of: AsOf = None,
    json_: Json = False,
    sql: Sql = False,
) -> None:
    """Preview a changed health section against the current one: accounts moving between bands and the ARR they carry."""
    with opened(read_only=True) as ws:
        if sql:
            print_sql(ws, ws.health_diff_expr(path, as_of))
            return
        view = ws.health_diff(path, as_of)
    if json_:
        emit_json(view)
        return
    console.print(_table(view["matrix"], ("band_before", "band_after", "accounts", "arr")))
    console.print(f"{view['accounts_moved']} accounts change band, carrying {compact_money(view['arr_moved'])} ARR.")
    if view["moved"]:
        console.print(_table(view["moved"][:20], ("account_id", "name", "band_before", "band_after", "score_before",
                                                  "score_after", "arr")))


def _table(rows: list[dict], columns: tuple[str, ...]):
    return rich_table(pa.Table.from_pylist([{c: r[c] for c in columns} for r in rows]), columns=columns)
