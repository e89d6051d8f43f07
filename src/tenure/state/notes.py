"""Notes: what someone learned about an account, kept beside the figures."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tenure.errors import UsageError
from tenure.state.models import Note
from tenure.state.types import utc_now


def add_note(
    session: Session, *, account_id: str, body: str, author: str | None = None, now: datetime | None = None
) -> Note:
    if not body.strip():
        raise UsageError("a note needs some text")
    if not account_id.strip():
        raise UsageError("a note needs an account")
    note = Note(account_id=account_id, body=body, author=author, created_at=now or utc_now())
    session.add(note)
    session.flush()  # assigns the id the caller shows
    return note


def list_notes(session: Session, *, account_id: str) -> list[Note]:
    """An account's notes, oldest first: read as a timeline."""
    query = select(Note).where(Note.account_id == account_id).order_by(Note.created_at, Note.id)
    return list(session.scalars(query))
