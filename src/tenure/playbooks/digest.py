"""The daily digest: the items digest actions queued, one email per recipient, sent by
`tenure playbooks digest` (run it once a day, from cron or a scheduler).

A queued item is a pending Delivery on the digest channel, its target the recipient. The digest lists
every item queued since the last one was sent, grouped by playbook (with its description), so a day
without a digest run rolls into the next one instead of being lost. A recipient whose email fails
keeps its items: they are marked failed and queued again (the next attempt) for the next digest.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Mapping

from sqlalchemy import select

from tenure.config.playbooks import PlaybooksSettings
from tenure.errors import ConfigError, Problem
from tenure.playbooks.deliver import send_email, with_retries
from tenure.state import StateStore
from tenure.state.models import Delivery, PlaybookRun
from tenure.state.types import utc_now


@dataclass
class DigestEmail:
    recipient: str
    subject: str
    body: str
    items: list[dict[str, Any]]
    status: str = "pending"  # pending (dry run), delivered or failed
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"recipient": self.recipient, "subject": self.subject, "status": self.status, "error": self.error,
                "items": self.items, "body": self.body}


def queued(store: StateStore, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """The pending digest items queued up to now, by recipient, then in firing order."""
    now = now or utc_now()
    query = (select(Delivery.id, Delivery.target, Delivery.attempt, PlaybookRun.playbook, PlaybookRun.account_id,
                    PlaybookRun.fired_at)
             .join(PlaybookRun, PlaybookRun.id == Delivery.run_id)
             .where(Delivery.channel == "digest", Delivery.status == "pending", PlaybookRun.fired_at <= now)
             .order_by(Delivery.target, PlaybookRun.fired_at, PlaybookRun.playbook, PlaybookRun.account_id))
    with store.session() as session:
        return [row._asdict() for row in session.execute(query)]


def digest(store: StateStore, settings: PlaybooksSettings, *, dry_run: bool = False, now: datetime | None = None,
           names: Mapping[str, str] | None = None, sleep: Callable[[float], None] = time.sleep) -> list[DigestEmail]:
    """Send (or, in a dry run, only compose) one email per recipient listing its queued items.
    `names` maps account ids to display names where the caller knows them."""
    now = now or utc_now()
    items = queued(store, now=now)
    by_recipient: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        by_recipient.setdefault(item["target"], []).append(item)
    emails = [_compose(recipient, found, settings, names or {}) for recipient, found in by_recipient.items()]
    if dry_run or not emails:
        return emails
    smtp = settings.smtp
    if smtp is None:
        raise ConfigError([Problem("tenure.toml", None, "the digest is sent by email: add a [playbooks.smtp] table")])
    password = os.environ.get(smtp.password_env) if smtp.password_env else None
    if smtp.password_env and password is None:
        raise ConfigError([Problem("environment", None, f"${smtp.password_env} is not set; [playbooks.smtp] needs it")])
    for email, recipient in zip(emails, by_recipient):
        attempts = with_retries(lambda: send_email(smtp, password, to=email.recipient, subject=email.subject, body=email.body),
                                max_attempts=smtp.max_attempts, base_seconds=settings.retry_base_seconds, sleep=sleep)
        result = list(attempts)[-1]
        email.status, email.error = ("delivered", None) if result.ok else ("failed", result.error)
        _record(store, by_recipient[recipient], result.ok, result.error)
    return emails


def _compose(recipient: str, items: list[dict[str, Any]], settings: PlaybooksSettings,
             names: Mapping[str, str]) -> DigestEmail:
    lines = [f"{len(items)} playbook item{'s' if len(items) != 1 else ''} since the last digest.", ""]
    shown = []
    for playbook in dict.fromkeys(item["playbook"] for item in items):
        configured = settings.playbook(playbook)
        description = f": {configured.description}" if configured is not None and configured.description else ""
        lines.append(f"{playbook}{description}")
        for item in (i for i in items if i["playbook"] == playbook):
            name = names.get(item["account_id"])
            account = f"{name} ({item['account_id']})" if name else item["account_id"]
            fired = item["fired_at"].strftime("%Y-%m-%d %H:%M UTC")
            lines.append(f"  - {account}, {fired}")
            shown.append({"playbook": playbook, "account_id": item["account_id"], "account_name": name,
                          "fired_at": item["fired_at"].isoformat()})
        lines.append("")
    return DigestEmail(recipient, settings.digest_subject, "\n".join(lines).rstrip() + "\n", shown)


def _record(store: StateStore, items: list[dict[str, Any]], ok: bool, error: str | None) -> None:
    at = utc_now()
    with store.session() as session:
        for item in items:
            row = session.get(Delivery, item["id"])
            row.status, row.error, row.attempted_at = ("delivered" if ok else "failed"), error, at
            row.delivered_at = at if ok else None
            if not ok:
                # Queued again, as the next attempt, so the following digest lists it.
                session.add(Delivery(run_id=row.run_id, channel="digest", target=row.target, attempt=row.attempt + 1,
                                     status="pending", payload_hash=row.payload_hash, attempted_at=at))
