"""Tasks: follow-ups on an account, written by people (`tenure task add`) or by playbooks.

A playbook that fires again for an account whose task is still open gets that task back instead
of a second one; the database's partial unique index holds the same rule for concurrent writers.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import case, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tenure.errors import UsageError
from tenure.state.models import PRIORITIES, TASK_STATUSES, Task
from tenure.state.types import utc_now

STATUS_FILTERS = (*TASK_STATUSES, "all")


def create_task(
    session: Session,
    *,
    account_id: str,
    title: str,
    body: str = "",
    owner: str | None = None,
    priority: str = "normal",
    due_on: date | None = None,
    playbook: str | None = None,
    now: datetime | None = None,
) -> Task:
    """A new open task, or the open task `playbook` already has for the account."""
    if not title.strip():
        raise UsageError("a task needs a title")
    if not account_id.strip():
        raise UsageError("a task needs an account")
    if priority not in PRIORITIES:
        raise UsageError(f"{{priority}} '{priority}' is not one of {', '.join(PRIORITIES)}")
    if playbook is not None:
        existing = _open_playbook_task(session, playbook, account_id)
        if existing is not None:
            return existing
    task = Task(
        account_id=account_id, title=title, body=body, owner=owner, priority=priority, due_on=due_on,
        status="open", source="manual" if playbook is None else "playbook", playbook=playbook,
        created_at=now or utc_now(),
    )
    try:
        with session.begin_nested():
            session.add(task)
    except IntegrityError:
        # Another writer created the same playbook's task between the lookup above and this insert.
        existing = _open_playbook_task(session, playbook, account_id) if playbook is not None else None
        if existing is None:
            raise
        return existing
    return task


def _open_playbook_task(session: Session, playbook: str, account_id: str) -> Task | None:
    query = select(Task).where(Task.playbook == playbook, Task.account_id == account_id, Task.status == "open")
    return session.scalars(query).first()


def list_tasks(
    session: Session, *, owner: str | None = None, account_id: str | None = None, status: str = "open"
) -> list[Task]:
    """Tasks, the soonest due first (undated last), then the most urgent, then the oldest."""
    if status not in STATUS_FILTERS:
        raise UsageError(f"{{status}} '{status}' is not one of {', '.join(STATUS_FILTERS)}")
    urgency = case({p: rank for rank, p in enumerate(reversed(PRIORITIES))}, value=Task.priority)
    query = select(Task).order_by(Task.due_on.is_(None), Task.due_on, urgency, Task.id)
    if status != "all":
        query = query.where(Task.status == status)
    if owner is not None:
        query = query.where(Task.owner == owner)
    if account_id is not None:
        query = query.where(Task.account_id == account_id)
    return list(session.scalars(query))


def complete_task(session: Session, task_id: int, *, now: datetime | None = None) -> Task:
    """Mark an open task done."""
    # FOR UPDATE on PostgreSQL: two people completing the same task cannot both succeed.
    task = session.get(Task, task_id, with_for_update=True)
    if task is None:
        raise UsageError(f"no task {task_id}; `tenure tasks --status all` lists them")
    if task.status == "done":
        when = task.completed_at.strftime("%Y-%m-%d %H:%M UTC") if task.completed_at else "earlier"
        raise UsageError(f"task {task_id} is already done (completed {when})")
    if task.status != "open":
        raise UsageError(f"task {task_id} is {task.status}, so it cannot be completed")
    task.status = "done"
    task.completed_at = now or utc_now()
    return task
