"""The canonical tables of the data contract (docs/data-contract.md), as data.

Everything downstream reads only these shapes; the loader compiles each Column's rules into the
engine's validation query, the warehouse creates the tables from them, and the demo writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Kind(str, Enum):
    """Logical column types; each engine maps them to its own storage type."""

    STRING = "string"
    TIMESTAMP = "timestamp"  # an instant; naive input is read in the workspace time zone
    DATE = "date"
    MONTH = "month"  # YYYY-MM, stored as the first day of the month
    DECIMAL = "decimal"  # exact money amount
    RATE = "rate"  # exact FX rate (more decimal places than money)
    INTEGER = "integer"
    BOOLEAN = "boolean"
    JSON = "json"  # a JSON object, stored as text


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool = False
    minimum: int | None = None  # inclusive bounds for numbers
    maximum: int | None = None
    choices: tuple[str, ...] | None = None  # allowed values (compared in lower case)
    currency: bool = False  # must be an ISO 4217 code
    references_accounts: bool = False  # must name an account already loaded


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    # Where unknown extra columns go: a JSON column of this table. Events merge them into properties.
    extras_column: str = "attributes"
    # Events are immutable facts: a repeated key is ignored instead of replacing the stored row.
    immutable: bool = False
    # (earlier, later): rows where later < earlier are rejected.
    ordered: tuple[tuple[str, str], ...] = field(default=())

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def stored_columns(self) -> tuple[str, ...]:
        """Column names as stored in the warehouse, the extras column last when it is not a contract column."""
        names = tuple(c.name for c in self.columns)
        return names if self.extras_column in names else (*names, self.extras_column)


S, T, D, M, DEC, RATE, I, B, J = (
    Kind.STRING, Kind.TIMESTAMP, Kind.DATE, Kind.MONTH, Kind.DECIMAL, Kind.RATE, Kind.INTEGER, Kind.BOOLEAN, Kind.JSON,
)

ACCOUNTS = Table(
    "accounts",
    (
        Column("account_id", S, required=True),
        Column("name", S),
        Column("created_at", T, required=True),
        Column("segment", S),
        Column("industry", S),
        Column("region", S),
        Column("owner", S),
        Column("acquisition_channel", S),
        Column("parent_account_id", S),
    ),
    key=("account_id",),
)

USERS = Table(
    "users",
    (
        Column("user_id", S, required=True),
        Column("account_id", S, required=True, references_accounts=True),
        Column("email", S),
        Column("name", S),
        Column("role", S),
        Column("created_at", T),
    ),
    key=("user_id",),
)

SUBSCRIPTIONS = Table(
    "subscriptions",
    (
        Column("subscription_id", S, required=True),
        Column("account_id", S, required=True, references_accounts=True),
        Column("plan", S),
        Column("start_date", T, required=True),
        Column("end_date", T),
        Column("amount", DEC, required=True, minimum=0),
        Column("currency", S, required=True, currency=True),
        Column("interval_months", I, required=True, minimum=1),
        Column("quantity", I, minimum=0),
        Column("is_trial", B),
    ),
    key=("subscription_id", "start_date"),
    ordered=(("start_date", "end_date"),),
)

EVENTS = Table(
    "events",
    (
        Column("event_id", S),
        Column("account_id", S, required=True),
        Column("user_id", S),
        Column("event", S, required=True),
        Column("timestamp", T, required=True),
        Column("properties", J),
    ),
    key=("event_id",),
    extras_column="properties",
    immutable=True,
)

TICKETS = Table(
    "tickets",
    (
        Column("ticket_id", S, required=True),
        Column("account_id", S, required=True),
        Column("user_id", S),
        Column("created_at", T, required=True),
        Column("first_response_at", T),
        Column("solved_at", T),
        Column("status", S, required=True, choices=("new", "open", "pending", "on_hold", "solved", "closed")),
        Column("priority", S, choices=("low", "normal", "high", "urgent")),
        Column("channel", S),
        Column("agent_replies", I, minimum=0),
        Column("reopens", I, minimum=0),
        Column("escalated", B),
        Column("csat", I, minimum=1, maximum=5),
        Column("subject", S),
        Column("tags", S),
    ),
    key=("ticket_id",),
    ordered=(("created_at", "first_response_at"), ("created_at", "solved_at")),
)

SURVEYS = Table(
    "surveys",
    (
        Column("response_id", S, required=True),
        Column("account_id", S, required=True),
        Column("user_id", S),
        Column("kind", S, required=True, choices=("nps", "csat", "ces")),
        Column("score", I, required=True),  # range depends on kind: see SURVEY_SCORE_RANGES
        Column("comment", S),
        Column("responded_at", T, required=True),
    ),
    key=("response_id",),
)

# The score range of each survey kind, inclusive.
SURVEY_SCORE_RANGES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}

MESSAGES = Table(
    "messages",
    (
        Column("message_id", S, required=True),
        Column("account_id", S, required=True),
        Column("user_id", S),
        Column("campaign", S),
        Column("sent_at", T, required=True),
        Column("opened_at", T),
        Column("clicked_at", T),
    ),
    key=("message_id",),
    ordered=(("sent_at", "opened_at"), ("sent_at", "clicked_at")),
)

SPEND = Table(
    "spend",
    (
        Column("month", M, required=True),
        Column("channel", S, required=True),
        Column("amount", DEC, required=True, minimum=0),
        Column("currency", S, required=True, currency=True),
    ),
    key=("month", "channel"),
)

MILESTONES = Table(
    "milestones",
    (
        Column("account_id", S, required=True),
        Column("milestone", S, required=True),
        Column("achieved_at", T, required=True),
        Column("note", S),
    ),
    key=("account_id", "milestone"),
)

FX_RATES = Table(
    "fx_rates",
    (
        Column("date", D, required=True),
        Column("currency", S, required=True, currency=True),
        Column("rate", RATE, required=True, minimum=0),
    ),
    key=("date", "currency"),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (ACCOUNTS, USERS, SUBSCRIPTIONS, EVENTS, TICKETS, SURVEYS, MESSAGES, SPEND, MILESTONES, FX_RATES)
}
