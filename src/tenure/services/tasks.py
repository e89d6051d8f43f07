"""Tasks and notes on accounts, kept in the app state (tenure.state). Each call is one transaction, and
the rows come back detached, readable after it has committed.

The accounts live in the warehouse, so a task or note on an account is checked against it: an unknown
account is a UsageError, never a task nobody can find. Listing needs only the app state: while another
process (a refresh) holds the warehouse the adapter passes no warehouse, and the list is shown unchecked.
A task's due day is today or later (a past one is a typo more often than a plan), and an open task whose
due day has passed is overdue (`rows`)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Sequence

from tenure.errors import UsageError
from tenure.services.accounts import require_known

if TYPE_CHECKING:  # SQLAlchemy and Alembic load only when the app state is used
    from tenure.state import StateStore
    from tenure.state.models import Note, Task
    from tenure.warehouse import Warehouse


def tasks(warehouse: Warehouse | None, store: StateStore, *, owner: str | None = None,
          account_id: str | None = None, status: str = "open") -> list[Task]:
    """Tasks filtered by owner, account and status (open, done, dismissed or all), soonest due first."""
    from tenure.state.tasks import list_tasks

    if account_id is not None and warehouse is not None:
        require_known(warehouse, account_id=account_id)
    with store.session() as session:
        return list_tasks(session, owner=owner, account_id=account_id, status=status)


def rows(found: Sequence[Task], *, today: date) -> list[dict[str, Any]]:
    """Tasks as adapters show them: every column, and `overdue` (open, and due before today)."""
    return [{**task.as_dict(), "overdue": task.overdue(today)} for task in found]


def add_task(warehouse: Warehouse, store: StateStore, *, account_id: str, title: str, today: date, body: str = "",
             owner: str | None = None, priority: str = "normal", due_on: date | None = None) -> Task:
    """A new open task on a known account, due today or later, written by a person (playbooks pass their
    name to create_task)."""
    from tenure.state.tasks import create_task

    if due_on is not None and due_on < today:
        raise UsageError(f"{{due_on}} {due_on} is in the past (today is {today}); a task is due today or later")
    require_known(warehouse, account_id=account_id)
    with store.session() as session:
        return create_task(session, account_id=account_id, title=title, body=body, owner=owner,
                           priority=priority, due_on=due_on)


def complete_task(store: StateStore, *, task_id: int) -> Task:
    """Mark an open task done."""
    from tenure.state.tasks import complete_task as complete

    with store.session() as session:
        return complete(session, task_id)


def add_note(warehouse: Warehouse, store: StateStore, *, account_id: str, body: str, author: str | None = None) -> Note:
    """A note on a known account."""
    from tenure.state.notes import add_note as add

    require_known(warehouse, account_id=account_id)
    with store.session() as session:
        return add(session, account_id=account_id, body=body, author=author)


def notes(warehouse: Warehouse | None, store: StateStore, *, account_id: str) -> list[Note]:
    """An account's notes, oldest first."""
    from tenure.state.notes import list_notes

    if warehouse is not None:
        require_known(warehouse, account_id=account_id)
    with store.session() as session:
        return list_notes(session, account_id=account_id)
