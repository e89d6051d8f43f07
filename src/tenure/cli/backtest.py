"""`tenure health backtest` and `tenure churn` (docs/backtest.md): thin adapters over Workspace.
app.py registers `backtest` on the health commands' sub-app (cli/health.py) and `churn` at the top."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import pyarrow as pa
import typer

from tenure.cli.context import opened
from tenure.cli.options import AsOf, Json, Sql
from tenure.cli.output import console, driver_text, emit_json, rich_table, rows_of

Horizon = Annotated[str, typer.Option("--horizon", help="How far ahead churn is predicted: days or weeks, e.g. 90d, 12w.")]
Snapshots = Annotated[int, typer.Option("--snapshots", min=1, max=120, help="How many past snapshot days.")]


class Every(str, Enum):
    month = "month"
    week = "week"


EveryOption = Annotated[Every, typer.Option("--every", help="Spacing of the snapshot days.")]


def backtest(
    horizon: Horizon = "90d",
    snapshots: Snapshots = 12,
    every: EveryOption = Every.month,
    chart: Annotated[Optional[Path], typer.Option("--chart", help="Also draw the backtest to this .png or .svg file.")] = None,
    model: Annotated[bool, typer.Option("--model/--no-model", help="Also train the churn model and compare it.")] = True,
    as_of: AsOf = None,
    json_: Json = False,
    sql: Sql = False,
) -> None:
    """Does the health score predict churn? The score on past days against what happened next."""
    from tenure.backtest.chart import check_chart_path, draw_backtest

    if chart is not None:
        check_chart_path(chart)  # before the work, so a wrong extension costs nothing
    with opened(read_only=True) as ws:
        if sql:
            print(ws.sql(ws.backtest_snapshots_expr(horizon=horizon, snapshots=snapshots, every=every.value, as_of=as_of)))
            return
        result = ws.backtest(horizon=horizon, snapshots=snapshots, every=every.value, as_of=as_of, model=model)
    if chart is not None:
        draw_backtest(result, chart)
    if json_:
        emit_json(result.to_dict())
        return
    _show_backtest(result)
    if chart is not None:
        console.print(f"Chart written to {chart}")


def _show_backtest(result) -> None:
    o, lead = result.overall, result.lead_time
    console.print(
        f"{o['snapshots']} snapshots {result.days[0]} .. {result.days[-1]}, horizon {result.horizon_days} days: "
        f"{o['rows']:,} customer-snapshots, {o['churned']:,} churned ({_pct(o['churn_rate'])})"
    )
    console.print(f"Scorecard AUC [bold]{_num(result.auc)}[/]   red-band lift {_num(result.red_lift, '.1f')}x")
    console.print(rich_table(result.by_band, title="by band"))
    console.print(rich_table(result.calibration, title="churn rate by score decile (1 = lowest score)"))
    console.print(
        f"Lead time: {lead['flagged']} of {lead['churns']} churns were red at the last snapshot before them; "
        f"median {_num(lead['median_lead_days'], '.0f')} days from turning red to churning"
    )
    console.print(rich_table(result.survival, title="Kaplan-Meier: still a customer, days after a snapshot"))
    c = result.comparison
    if c is not None:
        test = f"{c['test_days'][0]} .. {c['test_days'][-1]}"
        console.print(
            f"On the test snapshots ({test}, {c['test_rows']:,} rows): scorecard AUC {_num(c['scorecard_auc'])}, "
            f"churn model AUC [bold]{_num(c['model_auc'])}[/] (trained on {len(c['train_days'])} earlier snapshots, "
            f"{c['train_rows']:,} rows)" + (f"; {c['note']}" if c.get("note") else "")
        )
    console.print(f"[dim]{result.seconds:.1f} s[/]")


def churn(
    horizon: Horizon = "90d",
    snapshots: Snapshots = 12,
    every: EveryOption = Every.month,
    by: Annotated[str, typer.Option("--by", help="Group expected ARR at risk by segment, owner or any text signal.")] = "segment",
    top: Annotated[int, typer.Option("--top", min=0, max=10**9, help="Show the N accounts with the most expected ARR at risk.")] = 10,
    as_of: AsOf = None,
    json_: Json = False,
) -> None:
    """Churn risk today: each customer's probability of churning within the horizon, its top drivers,
    and expected ARR at risk by group, from a model trained on past snapshots."""
    with opened(read_only=True) as ws:
        risk = ws.churn_risk(horizon=horizon, snapshots=snapshots, every=every.value, by=by, as_of=as_of)
    accounts = risk.accounts.slice(0, max(top, 0))
    if json_:
        emit_json({"as_of": risk.as_of, "horizon_days": risk.horizon_days, "by": risk.by, "trained_on": risk.trained_on,
                   "groups": rows_of(risk.groups), "accounts": rows_of(accounts)})
        return
    t = risk.trained_on
    console.print(f"Churn within {risk.horizon_days} days, as of {risk.as_of}: model trained on "
                  f"{len(t['snapshot_days'])} snapshots ({t['rows']:,} rows, {t['churned']:,} churned)")
    console.print(rich_table(risk.groups, title=f"expected ARR at risk by {risk.by}"))
    shown = accounts.drop_columns(["drivers"]).append_column(
        "drivers", pa.array([_drivers(d) for d in accounts.column("drivers").to_pylist()], pa.string())
    )
    console.print(rich_table(shown, title=f"top {accounts.num_rows} accounts by expected ARR at risk"))


def _drivers(drivers: list[dict]) -> str:
    return "; ".join(driver_text(d) for d in drivers)


def _num(value: float | None, spec: str = ".3f") -> str:
    return "–" if value is None else format(value, spec)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"
