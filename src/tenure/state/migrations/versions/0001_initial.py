"""The first app state schema: users, tasks, notes, playbook runs, deliveries, survey sends.

Written out in full rather than imported from the models: a migration must keep creating the
schema of its day after the models have moved on.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

INSTANT = sa.DateTime(timezone=True)


def _check(table: str, column: str, *values: str) -> sa.CheckConstraint:
    # op.f marks the name as final, so the models' naming convention does not prefix it again.
    listed = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=op.f(f"ck_{table}_{column}"))


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
        _check("users", "role", "admin", "csm", "support", "viewer"),
    )
    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.String(200), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(320), nullable=True),
        sa.Column("priority", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.Column("completed_at", INSTANT, nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("playbook", sa.String(200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
        _check("tasks", "priority", "low", "normal", "high", "urgent"),
        _check("tasks", "status", "open", "done", "dismissed"),
        _check("tasks", "source", "manual", "playbook"),
        sa.CheckConstraint(
            "(source = 'playbook' AND playbook IS NOT NULL) OR (source = 'manual' AND playbook IS NULL)",
            name=op.f("ck_tasks_playbook_source"),
        ),
    )
    # Partial unique index: one open task per (playbook, account); both SQLite and PostgreSQL have them.
    op.create_index(
        "uq_tasks_open_playbook_account",
        "tasks",
        ["playbook", "account_id"],
        unique=True,
        sqlite_where=sa.text("status = 'open'"),
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_index("ix_tasks_account_id", "tasks", ["account_id"])
    op.create_index("ix_tasks_owner_status", "tasks", ["owner", "status"])

    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.String(200), nullable=False),
        sa.Column("author", sa.String(320), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
    )
    op.create_index("ix_notes_account_id_created_at", "notes", ["account_id", "created_at"])

    op.create_table(
        "playbook_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("playbook", sa.String(200), nullable=False),
        sa.Column("account_id", sa.String(200), nullable=False),
        sa.Column("fired_at", INSTANT, nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_playbook_runs")),
    )
    op.create_index(
        "ix_playbook_runs_playbook_account_id_fired_at", "playbook_runs", ["playbook", "account_id", "fired_at"]
    )

    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("target", sa.String(2000), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("payload_hash", sa.String(64), nullable=False),
        sa.Column("attempted_at", INSTANT, nullable=False),
        sa.Column("delivered_at", INSTANT, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.ForeignKeyConstraint(
            ["run_id"], ["playbook_runs.id"], name=op.f("fk_deliveries_run_id_playbook_runs"), ondelete="CASCADE"
        ),
        sa.UniqueConstraint(
            "run_id", "channel", "target", "attempt", name=op.f("uq_deliveries_run_id_channel_target_attempt")
        ),
        _check("deliveries", "channel", "webhook", "email", "digest"),
        _check("deliveries", "status", "pending", "delivered", "failed"),
    )

    op.create_table(
        "survey_sends",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.String(200), nullable=False),
        sa.Column("user_id", sa.String(200), nullable=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("sent_at", INSTANT, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_sends")),
        _check("survey_sends", "kind", "nps", "csat", "ces"),
    )
    op.create_index("ix_survey_sends_account_id_kind_sent_at", "survey_sends", ["account_id", "kind", "sent_at"])


def downgrade() -> None:
    for table in ("survey_sends", "deliveries", "playbook_runs", "notes", "tasks", "users"):
        op.drop_table(table)
