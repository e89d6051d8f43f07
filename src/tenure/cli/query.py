"""`tenure query lifecycle|retention`: product-usage queries (docs/queries.md) as tables, JSON or CSV,
the SQL behind them (--sql), or the units behind one cell (--actors)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from tenure.cli.options import Csv, Json, Sql, rename
from tenure.cli.output import show
from tenure.errors import UsageError

app = typer.Typer(no_args_is_help=True)

Unit = Annotated[str, typer.Option("--unit", help="What is counted: user or account.")]
Interval = Annotated[str, typer.Option("--interval", help="day, week (starting Monday) or month, in the workspace time zone.")]
From = Annotated[Optional[str], typer.Option("--from", help="First day, YYYY-MM-DD (default: 8 intervals before --to).")]
To = Annotated[Optional[str], typer.Option("--to", help="Last day, YYYY-MM-DD (default: today).")]


def _cell(text: str, names: tuple[str, str]) -> tuple[str, str]:
    """'2025-01-06,new' -> ('2025-01-06', 'new')."""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) != 2 or not all(parts):
        raise UsageError(f"--actors: '{text}' is not a cell; write {names[0]},{names[1]}, for example 2025-01-06,{names[1]}")
    return parts[0], parts[1]


@app.command()
def lifecycle(
    unit: Unit = "user",
    interval: Interval = "week",
    event: Annotated[Optional[list[str]], typer.Option("--event", help="A qualifying event; repeat for several (default: any event).")] = None,
    start: From = None,
    end: To = None,
    actors: Annotated[Optional[str], typer.Option("--actors", help="List the units of one cell instead: PERIOD,STATUS (e.g. 2025-01-06,dormant).")] = None,
    json_: Json = False,
    csv_: Csv = False,
    sql: Sql = False,
) -> None:
    """New, returning, resurrecting and dormant units per interval (PostHog's lifecycle)."""
    options = dict(unit=unit, interval=interval, events=tuple(event or ()), start=start, end=end)
    if actors is not None:
        period, status = _cell(actors, ("PERIOD", "STATUS"))
        rename(period="--actors PERIOD", status="--actors STATUS")
        show(lambda ws: ws.lifecycle_actors_expr(period, status, **options), json_=json_, csv_=csv_, sql=sql,
             title=f"{unit}s {status} in the {interval} of {period}")
        return
    show(lambda ws: ws.lifecycle_expr(**options), json_=json_, csv_=csv_, sql=sql, title=f"Lifecycle of {unit}s by {interval}")


@app.command()
def retention(
    unit: Unit = "user",
    interval: Interval = "week",
    start_event: Annotated[Optional[str], typer.Option("--start-event", help="The event that puts a unit in a cohort (default: any event).")] = None,
    return_event: Annotated[Optional[str], typer.Option("--return-event", help="The event that counts as a return (default: any event).")] = None,
    cohorts: Annotated[str, typer.Option("--cohorts", help="recurring (every interval with the start event) or first_time.")] = "recurring",
    count: Annotated[str, typer.Option("--count", help="on (returned in interval k) or on_or_after (in k or later).")] = "on",
    start: From = None,
    end: To = None,
    actors: Annotated[Optional[str], typer.Option("--actors", help="List the units of one cell instead: COHORT,K (e.g. 2025-01-06,2).")] = None,
    json_: Json = False,
    sql: Sql = False,
) -> None:
    """A retention cohort matrix (PostHog's retention): cohort, size, values (values[0] = size)."""
    options = dict(unit=unit, interval=interval, start_event=start_event, return_event=return_event, cohorts=cohorts,
                   count=count, start=start, end=end)
    if actors is not None:
        cohort, k = _cell(actors, ("COHORT", "K"))
        if not k.isdigit():
            raise UsageError(f"--actors: K must be a whole number of intervals, not '{k}'")
        rename(cohort="--actors COHORT", k="--actors K")
        show(lambda ws: ws.retention_actors_expr(cohort, int(k), **options), json_=json_, sql=sql,
             title=f"{unit}s of cohort {cohort} counted {k} {interval}(s) later")
        return
    # No --csv: a row's values are a list, which a CSV cell cannot hold.
    show(lambda ws: ws.retention_expr(**options), json_=json_, sql=sql, title=f"Retention of {unit}s by {interval}")
