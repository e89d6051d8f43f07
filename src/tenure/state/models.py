"""The app state tables: what people and playbooks do with the customers, as opposed to the
warehouse's facts about them. Changing a model needs a new migration in migrations/versions/
(tests/state/test_migrations.py fails when the two disagree).

Account ids are the contract's `accounts.account_id`, kept as plain text: the accounts live in the
warehouse, another database, so there is nothing to point a foreign key at.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, event, Date, ForeignKey, Index, MetaData, String, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from tenure.state.text import check_row
from tenure.state.types import UTCDateTime, utc_now

# The vocabularies, as data: each becomes a CHECK constraint, and the services validate against them.
PRIORITIES = ("low", "normal", "high", "urgent")
TASK_STATUSES = ("open", "done", "dismissed")
TASK_SOURCES = ("manual", "playbook")
CHANNELS = ("webhook", "email", "digest")
DELIVERY_STATUSES = ("pending", "delivered", "failed")

# Constraint names are part of the schema that migrations alter later, so they must not depend on
# the database's own naming (PostgreSQL and SQLite differ).
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=column)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)

    def as_dict(self) -> dict[str, Any]:
        """The row's columns by name: what JSON output and the API show."""
        return {column.key: getattr(self, column.key) for column in self.__table__.columns}


class Task(Base):
    __tablename__ = "tasks"
    __table_args__ = (
        one_of("priority", PRIORITIES),
        one_of("status", TASK_STATUSES),
        one_of("source", TASK_SOURCES),
        CheckConstraint(
            "(source = 'playbook' AND playbook IS NOT NULL) OR (source = 'manual' AND playbook IS NULL)",
            name="playbook_source",
        ),
        # At most one open task per playbook and account, whatever process inserts it. Manual tasks
        # have no playbook, and NULLs never collide in a unique index, so they are not limited.
        Index(
            "uq_tasks_open_playbook_account",
            "playbook",
            "account_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        Index("ix_tasks_account_id", "account_id"),
        Index("ix_tasks_owner_status", "owner", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text, default="")
    # Free text (an email or a name) rather than a users foreign key: tasks can be assigned before
    # anyone has been added to the users table.
    owner: Mapped[str | None] = mapped_column(String(320))
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    status: Mapped[str] = mapped_column(String(16), default="open")
    due_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(16), default="manual")
    playbook: Mapped[str | None] = mapped_column(String(200))

    def overdue(self, today: date) -> bool:
        """Open, and due before today."""
        return self.status == "open" and self.due_on is not None and self.due_on < today


class Note(Base):
    __tablename__ = "notes"
    __table_args__ = (Index("ix_notes_account_id_created_at", "account_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[str] = mapped_column(String(200))
    author: Mapped[str | None] = mapped_column(String(320))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class PlaybookRun(Base):
    """One firing of a playbook for one account (or a dry run saying what it would have done)."""

    __tablename__ = "playbook_runs"
    __table_args__ = (Index("ix_playbook_runs_playbook_account_id_fired_at", "playbook", "account_id", "fired_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    playbook: Mapped[str] = mapped_column(String(200))
    account_id: Mapped[str] = mapped_column(String(200))
    fired_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    dry_run: Mapped[bool] = mapped_column(default=False)
    # The playbook engine owns this vocabulary (task created, deduplicated, delivered, ...).
    outcome: Mapped[str] = mapped_column(String(64))


class Delivery(Base):
    """One attempt to deliver a run's action to a channel; retries are further attempts."""

    __tablename__ = "deliveries"
    __table_args__ = (
        one_of("channel", CHANNELS),
        one_of("status", DELIVERY_STATUSES),
        UniqueConstraint("run_id", "channel", "target", "attempt"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("playbook_runs.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(2000))
    attempt: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    http_status: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    # Proves what was sent without keeping a copy of the customer data in it.
    payload_hash: Mapped[str] = mapped_column(String(64))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


@event.listens_for(Base, "before_insert", propagate=True)
@event.listens_for(Base, "before_update", propagate=True)
def _text_fits(mapper, connection, row) -> None:  # noqa: ARG001 - SQLAlchemy's event signature
    # One rule on both databases (state/text.py): PostgreSQL would refuse the row, SQLite keep it.
    check_row(row)
