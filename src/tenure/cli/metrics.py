"""`tenure metrics FAMILY`, `tenure metrics usage-daily` and `tenure movements`: figures as tables, JSON or
CSV, or the SQL behind them."""

from __future__ import annotations

from typing import Callable

import typer

from tenure.cli.options import Account, By, Csv, FromDay, FromMonth, Json, Sql, ToDay, ToMonth
from tenure.cli.output import show
from tenure.metrics.families import FAMILIES, Family

app = typer.Typer(no_args_is_help=True)


def _family_command(family: Family) -> Callable[..., None]:
    """`tenure metrics NAME`: the same options for every family; --by where the family has breakdowns."""
    title = family.name.replace("_", " ").capitalize()

    def columns(by: str | None) -> list[str] | None:
        if family.table_columns is None:
            return None
        return ["month", *([by] if by else []), *family.table_columns]

    if family.breakdown:
        def command(start: FromMonth = None, end: ToMonth = None, by: By = None, json_: Json = False, csv_: Csv = False,
                    sql: Sql = False) -> None:
            show(lambda ws: ws.monthly_expr(family.name, start, end, by=by, partial=True), json_=json_, csv_=csv_, sql=sql,
                 title=title, columns=columns(by))
    else:
        def command(start: FromMonth = None, end: ToMonth = None, json_: Json = False, csv_: Csv = False,
                    sql: Sql = False) -> None:
            show(lambda ws: ws.monthly_expr(family.name, start, end, partial=True), json_=json_, csv_=csv_, sql=sql,
                 title=title, columns=columns(None))
    command.__doc__ = family.summary
    return command


for _family in FAMILIES.values():
    app.command(_family.name)(_family_command(_family))


@app.command("usage-daily")
def usage_daily(start: FromDay = None, end: ToDay = None, by: By = None, json_: Json = False, csv_: Csv = False,
                sql: Sql = False) -> None:
    """Exact DAU, WAU and MAU (users and accounts active on the day, in the 7 and the 30 days ending it), every day."""
    show(lambda ws: ws.daily_usage_expr(start, end, by=by), json_=json_, csv_=csv_, sql=sql, title="Daily usage")


def movements(account: Account = None, json_: Json = False, csv_: Csv = False, sql: Sql = False) -> None:
    """The classified MRR movement ledger: new, expansion, contraction, churn, reactivation."""
    show(lambda ws: ws.movements_expr(account), json_=json_, csv_=csv_, sql=sql, title="Movements")
