"""`tenure metrics FAMILY` and `tenure movements`: figures as tables, JSON or CSV, or the SQL behind them."""

from __future__ import annotations

from typing import Annotated, Callable, Optional

import ibis.expr.types as ir

import typer

from tenure.cli.context import opened
from tenure.cli.output import Format, emit
from tenure.metrics.families import FAMILIES, Family
from tenure.workspace import Workspace

app = typer.Typer(no_args_is_help=True)

From = Annotated[Optional[str], typer.Option("--from", help="First month, YYYY-MM (default: 11 months before --to).")]
To = Annotated[Optional[str], typer.Option("--to", help="Last month, YYYY-MM (default: the current month).")]
Json = Annotated[bool, typer.Option("--json", help="Print a JSON array of row objects.")]
Csv = Annotated[bool, typer.Option("--csv", help="Print CSV.")]
Sql = Annotated[bool, typer.Option("--sql", help="Print the SQL that computes the figures instead of running it.")]
By = Annotated[
    Optional[str],
    typer.Option("--by", help="Split the rows by an accounts column, a custom attribute or plan (e.g. segment)."),
]

def _format(json_: bool, csv_: bool) -> Format:
    return Format.json if json_ else Format.csv if csv_ else Format.table


def _show(build: Callable[[Workspace], ir.Table], *, json_: bool, csv_: bool, sql: bool, title: str, columns=None) -> None:
    """Build one figure's expression, then print its SQL (--sql) or run it and render the rows."""
    with opened(read_only=True) as ws:
        expr = build(ws)
        if sql:
            print(ws.sql(expr))
            return
        result = expr.to_pyarrow()
    emit(result, _format(json_, csv_), title=title, columns=columns)


def _family_command(family: Family) -> Callable[..., None]:
    """`tenure metrics NAME`: the same options for every family; --by where the family has breakdowns."""
    title = family.name.replace("_", " ").capitalize()

    def columns(by: str | None) -> list[str] | None:
        if family.table_columns is None:
            return None
        return ["month", *([by] if by else []), *family.table_columns]

    if family.breakdown:
        def command(start: From = None, end: To = None, by: By = None, json_: Json = False, csv_: Csv = False,
                    sql: Sql = False) -> None:
            _show(lambda ws: ws.monthly_expr(family.name, start, end, by=by), json_=json_, csv_=csv_, sql=sql,
                  title=title, columns=columns(by))
    else:
        def command(start: From = None, end: To = None, json_: Json = False, csv_: Csv = False, sql: Sql = False) -> None:
            _show(lambda ws: ws.monthly_expr(family.name, start, end), json_=json_, csv_=csv_, sql=sql,
                  title=title, columns=columns(None))
    command.__doc__ = family.summary
    return command


for _family in FAMILIES.values():
    app.command(_family.name)(_family_command(_family))


FromDay = Annotated[Optional[str], typer.Option("--from", help="First day, YYYY-MM-DD (default: 29 days before --to).")]
ToDay = Annotated[Optional[str], typer.Option("--to", help="Last day, YYYY-MM-DD (default: today).")]


@app.command("usage-daily")
def usage_daily(start: FromDay = None, end: ToDay = None, by: By = None, json_: Json = False, csv_: Csv = False,
                sql: Sql = False) -> None:
    """Exact DAU, WAU and MAU (users and accounts active on the day, in the 7 and the 30 days ending it), every day."""
    _show(lambda ws: ws.daily_usage_expr(start, end, by=by), json_=json_, csv_=csv_, sql=sql, title="Daily usage")


def movements(
    account: Annotated[Optional[str], typer.Option("--account", help="Only this account.")] = None,
    json_: Json = False,
    csv_: Csv = False,
    sql: Sql = False,
) -> None:
    """The classified MRR movement ledger: new, expansion, contraction, churn, reactivation."""
    _show(lambda ws: ws.movements_expr(account), json_=json_, csv_=csv_, sql=sql, title="Movements")
