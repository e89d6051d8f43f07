"""`tenure demo`: a synthetic SaaS company, loaded and summarised, to see tenure work in a minute."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Group
from rich.panel import Panel
from rich.table import Table

from tenure.cli.options import Json
from tenure.cli.output import compact_money, console, emit_json, human, rows_of
from tenure.cli.progress import progress
from tenure.errors import UsageError
from tenure.metrics.calendar import FIRST_DAY, LAST_DAY


def demo(
    directory: Annotated[Path, typer.Argument(help="Folder for the demo workspace.")] = Path("demo-workspace"),
    accounts: Annotated[int, typer.Option("--accounts", help="Number of customer accounts (10 to 100,000).")] = 500,
    months: Annotated[int, typer.Option("--months", min=3, max=600, help="Months of history.")] = 24,
    seed: Annotated[int, typer.Option("--seed", min=0, max=2**32 - 1, help="Random seed: the same seed gives the same company.")] = 7,
    end: Annotated[Optional[str], typer.Option("--end", help="Last day of history, YYYY-MM-DD (default: today).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing workspace in that folder.")] = False,
    json_: Json = False,
) -> None:
    """Create a workspace holding a synthetic SaaS company, load it like user files, and summarise revenue."""
    from tenure.demo import SHOWCASE_ID
    from tenure.demo.make import make_demo_workspace

    if not 10 <= accounts <= 100_000:
        raise UsageError(f"--accounts: {accounts} is outside 10..100000")
    if months < 3:
        raise UsageError(f"--months: {months} is too short; use at least 3")
    try:
        last_day = date.fromisoformat(end) if end else None
    except ValueError:
        raise UsageError(f"--end: '{end}' is not a date; write YYYY-MM-DD") from None
    if last_day is not None and not FIRST_DAY <= last_day <= LAST_DAY:
        raise UsageError(f"--end: {last_day} is outside {FIRST_DAY} .. {LAST_DAY}")
    with progress(enabled=not json_) as report:
        ws = make_demo_workspace(directory, accounts=accounts, months=months, seed=seed, end=last_day, force=force, progress=report)
    with ws:
        summary = ws.revenue(end=f"{last_day:%Y-%m}" if last_day else None)
        status = ws.status()
        tasks = ws.tasks()
    if json_:
        emit_json({"workspace": str(directory), "revenue": rows_of(summary), "open_tasks": len(tasks)})
        return
    counts = ", ".join(f"{row['rows']:,} {row['table']}" for row in status["tables"] if row["rows"])
    console.print(Panel.fit(f"Workspace [bold]{directory}[/]\n{counts}", title="tenure demo"))
    console.print(summary_tables(summary))
    owners = len({task.owner for task in tasks})
    next_steps = (
        ("tasks", "the open tasks, soonest due first"),
        (f"account {SHOWCASE_ID}", "a customer-360 of the tour's account"),
        (f"movements --account {SHOWCASE_ID}", "its MRR history"),
        ("metrics revenue --from 2020-01 --json", "every month, as JSON"),
        ("metrics revenue --sql", "the SQL behind the figures"),
        ("metrics support --by segment", "support, by segment (also: surveys, usage, ...)"),
        ("query retention --unit account --interval month", "cohort retention"),
    )
    width = max(len(command) for command, _ in next_steps)
    console.print(
        f"\nThe demo's playbooks opened {len(tasks):,} tasks for {owners:,} account owners.\n\nWhere to go next:\n"
        + "".join(f"  tenure -w {directory} {command:<{width}}   {what}\n" for command, what in next_steps)
        + "The tour in README.md goes through the rest.",
        highlight=False,
    )


MOVEMENT_COLUMNS = (
    ("MRR", "mrr"), ("customers", "customers"), ("new", "new_mrr"), ("expansion", "expansion_mrr"),
    ("reactivation", "reactivation_mrr"), ("contraction", "contraction_mrr"), ("churned", "churned_mrr"),
    ("net new", "net_new_mrr"),
)
RATE_COLUMNS = (
    ("logo churn", "customer_churn_rate"), ("net MRR churn", "net_mrr_churn_rate"), ("quick ratio", "quick_ratio"),
    ("NRR 12m", "nrr_12m"), ("GRR 12m", "grr_12m"), ("ARPA", "arpa"), ("LTV", "ltv"),
)


def summary_tables(summary) -> Group:
    """Two narrow tables: where MRR came from and went, then the rates derived from it."""
    rows = summary.to_pylist()
    movements = Table(title="MRR movements, last 12 months", header_style="bold")
    rates = Table(title="Churn, retention and value", header_style="bold")
    for view, columns in ((movements, MOVEMENT_COLUMNS), (rates, RATE_COLUMNS)):
        view.add_column("month")
        for label, _ in columns:
            view.add_column(label, justify="right")
    for row in rows:
        movements.add_row(
            row["month"], *(f"{row[k]:,}" if k == "customers" else compact_money(row[k]) for _, k in MOVEMENT_COLUMNS)
        )
        rates.add_row(
            row["month"],
            *(compact_money(row[k]) if k in ("arpa", "ltv") else human(k, row[k]) for _, k in RATE_COLUMNS),
        )
    return Group(movements, rates)
