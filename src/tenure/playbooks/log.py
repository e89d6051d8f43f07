"""The delivery log: every webhook, email and digest attempt, with its playbook and account."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tenure.state import StateStore
from tenure.state.models import Delivery, PlaybookRun

COLUMNS = ("id", "run_id", "playbook", "account_id", "channel", "target", "attempt", "status", "http_status",
           "error", "attempted_at", "delivered_at")


def deliveries(store: StateStore, *, playbook: str | None = None, status: str | None = None,
               limit: int = 100) -> list[dict[str, Any]]:
    """The latest deliveries first (then the latest attempt first), at most `limit` of them."""
    query = (select(Delivery.id, Delivery.run_id, PlaybookRun.playbook, PlaybookRun.account_id, Delivery.channel,
                    Delivery.target, Delivery.attempt, Delivery.status, Delivery.http_status, Delivery.error,
                    Delivery.attempted_at, Delivery.delivered_at)
             .join(PlaybookRun, PlaybookRun.id == Delivery.run_id)
             .order_by(Delivery.attempted_at.desc(), Delivery.id.desc()).limit(limit))
    if playbook is not None:
        query = query.where(PlaybookRun.playbook == playbook)
    if status is not None:
        query = query.where(Delivery.status == status)
    with store.session() as session:
        return [row._asdict() for row in session.execute(query)]
