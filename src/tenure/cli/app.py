"""`tenure`: the command-line entry point. Every command parses its options, calls the Python API (Workspace,
a thin facade over tenure.services) and renders what comes back (cli/output.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape

from tenure.cli import accounts, bench, data, demo, metrics, model, query
from tenure.cli import tasks
from tenure.cli import journey
from tenure.cli import playbooks
from tenure.cli import health
from tenure.cli import backtest
from tenure.cli.context import dates_out_of_range, opened, set_workspace_option
from tenure.cli.options import Json, flag
from tenure.cli.output import console, emit_json, err_console
from tenure.errors import TenureError, UsageError
from tenure.workspace import Workspace

app = typer.Typer(
    name="tenure",
    help="tenure: the truth about your SaaS customers, and action on it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(metrics.app, name="metrics", help="Metric families, monthly rows (docs/metrics).")
app.add_typer(model.app, name="model", help="Statistical models of customer lifetime.")
app.add_typer(query.app, name="query", help="Product-usage queries: lifecycle and retention (docs/queries.md).")
app.command("movements")(metrics.movements)
app.command("load")(data.load)
app.command("rejects")(data.rejects)
app.command("demo")(demo.demo)
app.command("bench")(bench.bench)
app.add_typer(tasks.app, name="task", help="Add a task to an account, or mark one done.")
app.command("tasks")(tasks.tasks)
app.command("note")(tasks.note)
app.command("notes")(tasks.notes)
app.command("accounts")(accounts.accounts)
app.command("account")(accounts.account)
app.add_typer(journey.app, name="journey", help="The customer journey: stages, milestones, moments (docs/journey.md).")
app.command("milestones")(journey.milestones)
# `tenure health backtest` joins the health commands' own sub-app (cli/backtest.py says it would).
health.app.command("backtest")(backtest.backtest)
app.add_typer(health.app, name="health", help="Health scores: the list, why an account scores so, a changed scorecard's diff, the backtest (docs/health.md).")
app.command("churn")(backtest.churn)
app.add_typer(playbooks.app, name="playbooks", help="Playbooks: list them, run them (or --dry-run), send the daily digest, see deliveries (docs/playbooks.md).")


def _print_version(asked: bool) -> None:
    if asked:
        from tenure import __version__

        console.print(f"tenure {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def root(
    workspace: Annotated[
        Optional[Path],
        typer.Option("--workspace", "-w", help="Workspace folder (default: $TENURE_WORKSPACE, then the current folder)."),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print tenure's version and exit."),
    ] = False,
) -> None:
    set_workspace_option(workspace)


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder for the new workspace (created if missing).")],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing workspace's configuration and warehouse.")] = False,
    json_: Json = False,
) -> None:
    """Create an empty workspace: a commented tenure.toml and the embedded warehouse."""
    ws = Workspace.init(directory, force=force)
    ws.close()
    if json_:
        emit_json({"path": str(directory), "config": str(directory / "tenure.toml"),
                   "warehouse": str(directory / ws.settings.warehouse.path)})
        return
    console.print(f"Created workspace [bold]{directory}[/] (tenure.toml, {ws.settings.warehouse.path}).")
    console.print(f"Next: [cyan]tenure -w {directory} load accounts accounts.csv[/]")


@app.command()
def refresh(json_: Json = False) -> None:
    """Rebuild the derived tables from the loaded data, then score today and sample its stages; run after `load`."""
    from tenure.cli.progress import progress

    with opened() as ws, progress(enabled=not json_) as report:
        done = ws.refresh(progress=report, health=True)
    if json_:
        emit_json([{"table": d.table, "rows": d.rows, "events_load_id": d.events_load_id} for d in done])
        return
    for d in done:
        console.print(f"Refreshed [bold]{d.table}[/]: {d.rows:,} rows (events up to load {d.events_load_id}).")


@app.command()
def status(json_: Json = False) -> None:
    """Row counts of every table and the latest load of each."""
    with opened(read_only=True) as ws:
        summary = ws.status()
    if json_:
        emit_json(summary)
        return
    from rich.table import Table

    view = Table(title=f"workspace {summary['path']}", header_style="bold")
    for column in ("table", "rows", "last_load", "rejected_in_last_load"):
        view.add_column(column, justify="right" if column != "table" else "left")
    for row in summary["tables"]:
        view.add_row(row["table"], f"{row['rows']:,}", row["last_load"] or "–", str(row["rejected_in_last_load"] or 0))
    console.print(view)


def main() -> None:
    """Run the CLI; a TenureError becomes one line on stderr and its exit code, never a traceback. A core
    UsageError names its parameters, said here as flags (--from, not start). Usage errors Typer finds itself
    (unknown option, missing argument, a bad value) are one line too, with exit code 2."""
    try:
        # standalone_mode=False: Typer hands its parse errors back instead of drawing them in a box.
        code = app(standalone_mode=False)
    except TenureError as exc:
        message = exc.worded(flag) if isinstance(exc, UsageError) else str(exc)
        _fail(message, exc.exit_code)
    except typer.TyperException as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # `tenure` alone: the help, as before
            exc.show()
            sys.exit(exc.exit_code)
        # Click's messages may wrap (a long list of choices): one line, as the README promises.
        line = " ".join(exc.format_message().split()).rstrip(".")
        _fail(f"{line}; see `{_command_of(exc)} --help`", exc.exit_code)
    except typer.Abort:
        _fail("aborted", 1)
    except OverflowError:
        # A stored date Python cannot hold (before year 1, after 9999) fails wherever a result is converted;
        # the workspace names it. Any other OverflowError is a bug, and stays a traceback.
        explained = dates_out_of_range()
        if explained is None:
            raise
        _fail(str(explained), explained.exit_code)
    sys.exit(code if isinstance(code, int) else 0)


def _fail(message: str, exit_code: int) -> None:
    # escape(): messages quote tenure.toml sections like [playbooks.smtp], which Rich would eat as markup.
    err_console.print(f"[red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    sys.exit(exit_code)


def _command_of(exc: Exception) -> str:
    """`tenure task add`: the command a parse error is about, as the user types it."""
    names = []
    context = getattr(exc, "ctx", None)
    while context is not None and context.parent is not None:
        names.append(context.info_name)
        context = context.parent
    return " ".join(["tenure", *reversed(names)])


if __name__ == "__main__":
    main()
