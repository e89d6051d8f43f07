"""Tasks and notes on accounts, kept in the app state (tenure.state). Each call is one transaction, and
the rows come back detached, readable after it has committed."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # SQLAlchemy and Alembic load only when the app state is used
    from tenure.state import StateStore
    from tenure.state.models import Note, Task


def tasks(store: StateStore, *, owner: str | None = None, account_id: str | None = None,
          status: str = "open") -> list[Task]:
    """Tasks filtered by owner, account and status (open, done, dismissed or all), soonest due first."""
    from tenure.state.tasks import list_tasks

    with store.session() as session:
        return list_tasks(session, owner=owner, account_id=account_id, status=status)


def add_task(store: StateStore, *, account_id: str, title: str, body: str = "", owner: str | None = None,
             priority: str = "normal", due_on: date | None = None) -> Task:
    """A new open task on an account, written by a person (playbooks pass their name to create_task)."""
    from tenure.state.tasks import create_task

    with store.session() as session:
        return create_task(session, account_id=account_id, title=title, body=body, owner=owner,
                           priority=priority, due_on=due_on)


def complete_task(store: StateStore, *, task_id: int) -> Task:
    """Mark an open task done."""
    from tenure.state.tasks import complete_task as complete

    with store.session() as session:
        return complete(session, task_id)


def add_note(store: StateStore, *, account_id: str, body: str, author: str | None = None) -> Note:
    """A note on an account."""
    from tenure.state.notes import add_note as add

    with store.session() as session:
        return add(session, account_id=account_id, body=body, author=author)


def notes(store: StateStore, *, account_id: str) -> list[Note]:
    """An account's notes, oldest first."""
    from tenure.state.notes import list_notes

    with store.session() as session:
        return list_notes(session, account_id=account_id)
