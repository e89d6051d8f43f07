"""`tenure tasks`, `tenure task add|done`, `tenure note` and `tenure notes`: the app state on the command line."""

from __future__ import annotations

from typing import Annotated, Any, Iterable, Optional

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from tenure.cli.context import opened
from tenure.cli.options import Account, Json
from tenure.cli.output import console, emit_json, human

app = typer.Typer(no_args_is_help=True, help="Add a task to an account, or mark one done.")

TASK_COLUMNS = ("id", "account_id", "title", "owner", "priority", "due_on", "overdue", "status", "playbook")
NOTE_COLUMNS = ("id", "created_at", "author", "body")

# The state lives in its own database, so these commands open the warehouse read-only, and only to check
# an account: listing works while a refresh holds it (Workspace.tasks).


def tasks(
    owner: Annotated[Optional[str], typer.Option("--owner", help="Only tasks owned by this person.")] = None,
    account: Account = None,
    status: Annotated[str, typer.Option("--status", help="open, done, dismissed or all.")] = "open",
    json_: Json = False,
) -> None:
    """Tasks, the soonest due first: open ones unless --status says otherwise."""
    with opened(read_only=True) as ws:
        found = ws.task_rows(ws.tasks(owner=owner, account_id=account, status=status))
    if json_:
        emit_json(found)
    elif not found:
        console.print(f"No {'' if status == 'all' else status + ' '}tasks.")
    else:
        console.print(_table(found, TASK_COLUMNS, title="Tasks"))


@app.command("add")
def add(
    account: Annotated[str, typer.Argument(metavar="ACCOUNT_ID", help="The account's account_id.")],
    title: Annotated[str, typer.Argument(help="What to do, in a line.")],
    owner: Annotated[Optional[str], typer.Option("--owner", help="Who is to do it.")] = None,
    due: Annotated[Optional[str], typer.Option("--due", help="Due day, YYYY-MM-DD.")] = None,
    priority: Annotated[str, typer.Option("--priority", help="low, normal, high or urgent.")] = "normal",
    body: Annotated[str, typer.Option("--body", help="More detail.")] = "",
    json_: Json = False,
) -> None:
    """Add an open task to an account."""
    with opened(read_only=True) as ws:
        task = ws.add_task(account, title, body=body, owner=owner, priority=priority, due_on=due)
    if json_:
        emit_json(task.as_dict())
        return
    console.print(f"Added task [bold]{task.id}[/] on {escape(task.account_id)}: {escape(task.title)}", highlight=False)


@app.command("done")
def done(
    task_id: Annotated[int, typer.Argument(metavar="ID", min=1, max=2**63 - 1, help="The task's id (`tenure tasks` shows it).")],
    json_: Json = False,
) -> None:
    """Mark an open task done."""
    with opened(read_only=True) as ws:
        task = ws.complete_task(task_id)
    if json_:
        emit_json(task.as_dict())
        return
    console.print(f"Task [bold]{task.id}[/] done: {escape(task.title)}", highlight=False)


def note(
    account: Annotated[str, typer.Argument(metavar="ACCOUNT_ID", help="The account's account_id.")],
    text: Annotated[str, typer.Argument(help="The note.")],
    author: Annotated[Optional[str], typer.Option("--author", help="Who wrote it.")] = None,
    json_: Json = False,
) -> None:
    """Add a note to an account."""
    with opened(read_only=True) as ws:
        added = ws.add_note(account, text, author=author)
    if json_:
        emit_json(added.as_dict())
        return
    console.print(f"Added note [bold]{added.id}[/] on {escape(added.account_id)}.", highlight=False)


def notes(account: Annotated[str, typer.Argument(metavar="ACCOUNT_ID", help="The account's account_id.")],
          json_: Json = False) -> None:
    """An account's notes, oldest first."""
    with opened(read_only=True) as ws:
        found = [n.as_dict() for n in ws.notes(account)]
    if json_:
        emit_json(found)
    elif not found:
        console.print(f"No notes on {escape(account)}.", highlight=False)
    else:
        console.print(_table(found, NOTE_COLUMNS, title=f"Notes on {escape(account)}"))


def _table(rows: list[dict[str, Any]], columns: Iterable[str], *, title: str) -> Table:
    view = Table(title=title, header_style="bold")
    names = list(columns)
    for name in names:
        view.add_column(name, justify="right" if name == "id" else "left")
    for row in rows:
        # Ids are labels, not quantities: no thousands separator. Text() keeps a title like
        # "[urgent] call" literal instead of reading it as Rich markup.
        view.add_row(*(Text(_cell(name, row[name]), style="bold red" if row.get("overdue") else "") for name in names))
    return view


def _cell(name: str, value: Any) -> str:
    if name == "id":
        return str(value)
    if name == "overdue":
        return "overdue" if value else ""
    return human(name, value)
