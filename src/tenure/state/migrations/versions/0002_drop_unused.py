"""Drop `users` and `survey_sends`: nothing wrote or read them. The server (users with the roles of
the API spec) and the surveys (sends with their tokens) add the tables they need, shaped for their use.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

INSTANT = sa.DateTime(timezone=True)


def _check(table: str, column: str, *values: str) -> sa.CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=op.f(f"ck_{table}_{column}"))


def upgrade() -> None:
    op.drop_index("ix_survey_sends_account_id_kind_sent_at", table_name="survey_sends")
    op.drop_table("survey_sends")
    op.drop_table("users")


def downgrade() -> None:
    # The tables of 0001, as they were.
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
