"""`tenure metrics FAMILY` and `tenure movements`: figures as tables, JSON or CSV, or the SQL behind them."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from tenure.cli.context import opened
from tenure.cli.output import Format, emit

app = typer.Typer(no_args_is_help=True)

From = Annotated[Optional[str], typer.Option("--from", help="First month, YYYY-MM (default: 11 months before --to).")]
To = Annotated[Optional[str], typer.Option("--to", help="Last month, YYYY-MM (default: the current month).")]
Json = Annotated[bool, typer.Option("--json", help="Print a JSON array of row objects.")]
Csv = Annotated[bool, typer.Option("--csv", help="Print CSV.")]
Sql = Annotated[bool, typer.Option("--sql", help="Print the SQL that computes the figures instead of running it.")]

REVENUE_COLUMNS = (
    "month", "mrr", "customers", "arpa", "new_mrr", "expansion_mrr", "contraction_mrr", "churned_mrr",
    "reactivation_mrr", "net_new_mrr", "customer_churn_rate", "net_mrr_churn_rate", "quick_ratio", "nrr_12m",
    "grr_12m", "ltv",
)


def _format(json_: bool, csv_: bool) -> Format:
    return Format.json if json_ else Format.csv if csv_ else Format.table


@app.command()
def revenue(start: From = None, end: To = None, json_: Json = False, csv_: Csv = False, sql: Sql = False) -> None:
    """MRR, ARR, movements, churn rates, NRR/GRR, quick ratio, ARPA and LTV by month."""
    with opened(read_only=True) as ws:
        expr = ws.revenue_expr(start, end)
        if sql:
            print(ws.sql(expr))
            return
        result = expr.to_pyarrow()
    emit(result, _format(json_, csv_), title="Revenue", columns=REVENUE_COLUMNS)


@app.command()
def renewals(start: From = None, end: To = None, json_: Json = False, csv_: Csv = False, sql: Sql = False) -> None:
    """Renewals by due month: due, renewed, logo and dollar renewal rates."""
    with opened(read_only=True) as ws:
        expr = ws.renewals_expr(start, end)
        if sql:
            print(ws.sql(expr))
            return
        result = expr.to_pyarrow()
    emit(result, _format(json_, csv_), title="Renewals")


def movements(
    account: Annotated[Optional[str], typer.Option("--account", help="Only this account.")] = None,
    json_: Json = False,
    csv_: Csv = False,
    sql: Sql = False,
) -> None:
    """The classified MRR movement ledger: new, expansion, contraction, churn, reactivation."""
    with opened(read_only=True) as ws:
        expr = ws.movements_expr(account)
        if sql:
            print(ws.sql(expr))
            return
        result = expr.to_pyarrow()
    emit(result, _format(json_, csv_), title="Movements")
