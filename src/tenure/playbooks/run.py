"""Acting on the fires: deduplication, cool-down, the PlaybookRun record, then each action.

    run(store, fires, settings=..., dry_run=..., now=...) -> [Outcome]

A fire is skipped, and nothing is written for it, when the playbook already has an open task on the
account (`deduplicated`: one open task per playbook and account) or fired for it less than
cooldown_days ago (`cooling_down`). Skips are not recorded: a condition that keeps holding would add
a row every run. Otherwise it `fired`: one PlaybookRun row, then its actions in order.

Each fire's writes are a savepoint of their own. A fire that loses the race for its task to another
run (found only at the insert) is undone and reported `deduplicated`, so a skip is never recorded, on
SQLite or PostgreSQL; one whose row the database refuses is undone and reported `failed` with the
reason, and the other accounts still fire.

Writes happen in two steps. First one transaction records the runs, creates the tasks, queues the
digest items and logs a pending Delivery for each webhook and email; then, after it has committed, the
webhooks and emails are sent, each attempt logged in its own transaction. A crash while sending thus
leaves pending deliveries to see (`tenure playbooks deliveries`), never a task without its run.
A dry run reads the state (for deduplication and cool-down) and writes nothing.
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Callable
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from tenure.config.playbooks import Action, PlaybooksSettings
from tenure.errors import ConfigError, Problem, UsageError
from tenure.playbooks.deliver import Attempt, body_of, digest_of, post_webhook, send_email, with_retries
from tenure.playbooks.evaluate import Fire, json_value, templates
from tenure.conditions import Template
from tenure.state import StateStore
from tenure.state.models import Delivery, PlaybookRun, Task
from tenure.state.tasks import create_task
from tenure.state.text import fitted, limit_of
from tenure.state.types import utc_now

OUTCOMES = ("fired", "deduplicated", "cooling_down", "failed")
DEFAULT_TIMEOUT_SECONDS = 10.0
DEFAULT_MAX_ATTEMPTS = 5


@dataclass
class Outcome:
    """What happened to one fire (or would have, in a dry run), why it fired, and each action's result."""

    playbook: str
    account_id: str
    outcome: str
    dry_run: bool
    why: dict[str, Any]
    actions: list[dict[str, Any]]
    detail: str = ""
    run_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Send:
    """A webhook or email to send once the runs have committed; delivery_id is its pending first attempt."""

    delivery_id: int
    action: Action
    shown: dict[str, Any]
    body: bytes | str
    subject: str = ""
    target: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def run(store: StateStore, fires: list[Fire], *, settings: PlaybooksSettings, dry_run: bool = False,
        now: datetime | None = None, timezone: str = "UTC", sleep: Callable[[float], None] = time.sleep) -> list[Outcome]:
    """Act on every fire (see the module's docstring); `timezone` is the workspace's, for due days."""
    now = now or utc_now()
    today = now.astimezone(ZoneInfo(timezone)).date()
    if not dry_run:
        _check_secrets(fires, settings)
    outcomes, sends = [], []
    with store.session() as session:
        open_tasks, last_fired = _state_of(session, {fire.playbook.name for fire in fires})
        for fire in fires:
            key = (fire.playbook.name, fire.account_id)
            shown = [_shown(action, fire.values, today) for action in fire.playbook.actions]
            outcome = Outcome(fire.playbook.name, fire.account_id, "fired", dry_run,
                              {k: json_value(v) for k, v in fire.why.items()}, shown)
            cooldown = timedelta(days=fire.playbook.cooldown_days)
            if key in open_tasks:
                outcome.outcome, outcome.detail = "deduplicated", f"task {open_tasks[key]} is still open"
            elif key in last_fired and now < last_fired[key] + cooldown:
                until = (last_fired[key] + cooldown).isoformat(timespec="seconds")
                outcome.outcome, outcome.detail = "cooling_down", f"fired {last_fired[key].isoformat(timespec='seconds')}; again from {until}"
            elif not dry_run:
                sends.extend(_fire_alone(session, fire, outcome, now))
                if outcome.outcome == "fired":
                    last_fired[key] = now
            else:
                last_fired[key] = now  # a second fire for the same pair in one dry run would not fire either
            outcomes.append(outcome)
    for send in sends:
        _deliver(store, send, settings, sleep)
    return outcomes


def _state_of(session, names: set[str]) -> tuple[dict, dict]:
    """The open playbook tasks and each (playbook, account)'s last firing, for the playbooks that fire."""
    if not names:
        return {}, {}
    tasks = session.execute(select(Task.playbook, Task.account_id, Task.id)
                            .where(Task.playbook.in_(names), Task.status == "open"))
    runs = session.execute(select(PlaybookRun.playbook, PlaybookRun.account_id, func.max(PlaybookRun.fired_at))
                           .where(PlaybookRun.playbook.in_(names), PlaybookRun.outcome == "fired",
                                  PlaybookRun.dry_run.is_(False))
                           .group_by(PlaybookRun.playbook, PlaybookRun.account_id))
    return {(p, a): i for p, a, i in tasks}, {(p, a): at for p, a, at in runs}


class _Undone(Exception):
    """A fire whose writes are rolled back: it lost the race for its task."""


def _fire_alone(session, fire: Fire, outcome: Outcome, now: datetime) -> list[_Send]:
    """`_fire` in a savepoint: undone whole when it is deduplicated at the insert, or when the database
    refuses one of its rows (reported `failed`, its reason in the detail); then the next fire goes on."""
    try:
        with session.begin_nested():
            sends = _fire(session, fire, outcome, now)
            if outcome.outcome != "fired":
                raise _Undone
            session.flush()
    except _Undone:
        outcome.run_id = None
        return []
    except (UsageError, SQLAlchemyError) as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        outcome.outcome, outcome.detail, outcome.run_id = "failed", f"nothing written: {reason}", None
        return []
    return sends


def _fire(session, fire: Fire, outcome: Outcome, now: datetime) -> list[_Send]:
    playbook = fire.playbook
    record = PlaybookRun(playbook=playbook.name, account_id=fire.account_id, fired_at=now, dry_run=False, outcome="fired")
    session.add(record)
    session.flush()  # its id, for the deliveries
    outcome.run_id = record.id
    sends = []
    for action, shown in zip(playbook.actions, outcome.actions):
        if action.type == "task":
            task = create_task(session, account_id=fire.account_id, title=shown["title"], body=shown["body"],
                               owner=shown["owner"], priority=shown["priority"], due_on=shown["due_on"],
                               playbook=playbook.name, now=now)
            shown["task_id"] = task.id
            if task.created_at != now:
                # Another process created this playbook's task between our read and this insert.
                record.outcome = outcome.outcome = "deduplicated"
                outcome.detail = f"task {task.id} is still open"
                return []
        elif action.type == "digest":
            target = shown["recipient"] or ""
            status, error = ("pending", None) if "@" in target else ("failed", _no_address(target))
            session.add(Delivery(run_id=record.id, channel="digest", target=target, attempt=1, status=status,
                                 error=error, payload_hash=digest_of(f"{playbook.name}\n{fire.account_id}".encode()),
                                 attempted_at=now))
            shown["status"] = "queued" if status == "pending" else status
        else:
            sends.append(_pending(session, record, fire, action, shown, now))
    return [send for send in sends if send is not None]


def _pending(session, record: PlaybookRun, fire: Fire, action: Action, shown: dict, now: datetime) -> _Send | None:
    if action.type == "webhook":
        payload = {"playbook": record.playbook, "account_id": fire.account_id, "run_id": record.id,
                   "fired_at": now.isoformat(),
                   "signals": {k: json_value(v) for k, v in fire.values.items() if k != "account_id"}}
        body, target = body_of(payload), action.url
    else:
        body, target = shown["body"], shown["to"] or ""
    delivery = Delivery(run_id=record.id, channel=action.type, target=target, attempt=1, status="pending",
                        payload_hash=digest_of(body if isinstance(body, bytes) else body.encode()), attempted_at=now)
    if action.type == "email" and "@" not in target:
        delivery.status, delivery.error = "failed", _no_address(target)
        shown["status"] = "failed"
    session.add(delivery)
    session.flush()
    if delivery.status == "failed":
        return None
    return _Send(delivery.id, action, shown, body, subject=shown.get("subject", ""), target=target)


def _deliver(store: StateStore, send: _Send, settings: PlaybooksSettings, sleep: Callable[[float], None]) -> None:
    action = send.action
    if action.type == "webhook":
        secret = os.environ[action.secret_env]
        timeout = action.timeout_seconds or DEFAULT_TIMEOUT_SECONDS
        attempt: Callable[[], Attempt] = lambda: post_webhook(send.target, send.body, secret, timeout=timeout)
        most = action.max_attempts or DEFAULT_MAX_ATTEMPTS
    else:
        smtp = settings.smtp
        password = os.environ.get(smtp.password_env) if smtp.password_env else None
        attempt = lambda: send_email(smtp, password, to=send.target, subject=send.subject, body=send.body)
        most = smtp.max_attempts
    number = 0
    for number, result in enumerate(with_retries(attempt, max_attempts=most, base_seconds=settings.retry_base_seconds,
                                                 sleep=sleep), start=1):
        _log_attempt(store, send.delivery_id, number, result)
        send.shown["status"] = "delivered" if result.ok else "failed"
    send.shown["attempts"] = number


def _log_attempt(store: StateStore, first_id: int, number: int, result: Attempt) -> None:
    """The attempt's Delivery row: the pending first one filled in, or a new row for a retry."""
    at = utc_now()
    with store.session() as session:
        first = session.get(Delivery, first_id)
        row = first if number == 1 else Delivery(run_id=first.run_id, channel=first.channel, target=first.target,
                                                   attempt=number, payload_hash=first.payload_hash)
        row.status = "delivered" if result.ok else "failed"
        row.http_status, row.error, row.attempted_at = result.http_status, result.error, at
        row.delivered_at = at if result.ok else None
        session.add(row)


def _shown(action: Action, row: dict[str, Any], today: date) -> dict[str, Any]:
    """The action with its templates filled from the account's values: what it does, or would do."""
    filled = {name: (_address(t, row) if name in ("owner", "to", "recipient") else t.render(row))
              for name, t in templates(action).items()}
    if action.type == "task":
        # Rendered from the account's values, so cut to what the task holds rather than refused (state/text.py).
        owner = None if filled["owner"] is None else fitted(filled["owner"], limit_of(Task, "owner"))
        return {"type": "task", "title": fitted(filled["title"], limit_of(Task, "title")),
                "body": fitted(filled.get("body", ""), None), "owner": owner,
                "priority": action.priority or "normal",
                "due_on": None if action.due_in_days is None else today + timedelta(days=action.due_in_days)}
    if action.type == "webhook":
        return {"type": "webhook", "url": action.url}
    if action.type == "email":
        return {"type": "email", "to": filled["to"], "subject": filled["subject"], "body": filled.get("body", "")}
    return {"type": "digest", "recipient": filled["recipient"]}


def _address(template: Template, row: dict[str, Any]) -> str | None:
    """A person filled in from the signals: None when every value it names is missing (no owner),
    rather than the text "n/a" that a missing value reads as in a title."""
    if template.names and all(row.get(name) is None for name in template.names):
        return None
    return template.render(row)


def _no_address(target: str) -> str:
    return "no recipient: the account has no owner" if not target else f"'{target}' is not an email address"


def _check_secrets(fires: list[Fire], settings: PlaybooksSettings) -> None:
    """The mail server and every environment variable the firing playbooks need, before anything is written
    (a dry run needs neither: it sends nothing)."""
    mailing = sorted({f.playbook.name for f in fires for a in f.playbook.actions if a.type == "email"})
    if mailing and settings.smtp is None:
        raise ConfigError([Problem("tenure.toml", None, f"playbooks {', '.join(mailing)} send email, so "
                                   "[playbooks.smtp] must name the mail server")])
    needed = {(a.secret_env, f.playbook.name) for f in fires for a in f.playbook.actions if a.type == "webhook"}
    if settings.smtp is not None and settings.smtp.password_env and any(
            a.type == "email" for f in fires for a in f.playbook.actions):
        needed.add((settings.smtp.password_env, "[playbooks.smtp]"))
    missing = sorted((variable, user) for variable, user in needed if not os.environ.get(variable))
    if missing:
        raise ConfigError([Problem("environment", None, f"${variable} is not set; {user} needs it")
                           for variable, user in missing])
