"""The settings of a workspace, as pydantic models. Each field's description is its documentation:
`tenure init` writes them into tenure.toml as comments, and a test fails if one is missing."""

from __future__ import annotations

import re
import zoneinfo
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tenure.config.checks import MAX_DAYS, require_unique
from tenure.config.health import HealthSettings
from tenure.config.journey import JourneySettings
from tenure.config.playbooks import PlaybooksSettings
from tenure.config.risks import RisksSettings
from tenure.contract.currencies import ISO_4217

_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MEMORY = re.compile(r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", re.IGNORECASE)


class _Section(BaseModel):
    # A typo in tenure.toml must be an error, not a silently ignored key.
    model_config = ConfigDict(extra="forbid", validate_default=True)


def _check_timezone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"'{value}' is not an IANA time zone (for example UTC or Europe/Berlin)") from None
    return value


class WorkspaceSettings(_Section):
    name: str = Field("tenure workspace", description="A display name for this workspace.")
    currency: str = Field("USD", description="Reporting currency (ISO 4217); all money is converted to it.")
    timezone: str = Field(
        "UTC",
        description="IANA time zone: naive timestamps are read in it and days, weeks and months are bucketed in it.",
    )
    gross_margin: float = Field(
        1.0, ge=0.0, le=1.0, description="Gross margin (0..1) applied to revenue in LTV and CAC payback."
    )
    renewal_min_interval_months: int = Field(
        12, ge=1, le=1200, description="Subscription rows billed at least this many months apart are tracked as renewals."
    )
    fx_max_staleness_days: int = Field(
        7,
        ge=0, le=MAX_DAYS,
        description="How many days back an FX rate may be used when the exact date has none (weekends, holidays).",
    )
    earliest_year: int = Field(
        1900, ge=1, le=9999, description="Loaded dates and timestamps before this year are rejected."
    )
    latest_year: int = Field(
        2200, ge=1, le=9999, description="Loaded dates and timestamps after this year are rejected."
    )

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        if value not in ISO_4217:
            raise ValueError(f"'{value}' is not an ISO 4217 currency code")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        return _check_timezone(value)

    @model_validator(mode="after")
    def _years_in_order(self) -> "WorkspaceSettings":
        if self.latest_year < self.earliest_year:
            raise ValueError(f"latest_year {self.latest_year} is before earliest_year {self.earliest_year}")
        return self


class BusinessHours(_Section):
    """A support schedule: when present, support durations count only the hours inside it."""

    days: list[str] = Field(
        ["mon", "tue", "wed", "thu", "fri"], description="Working days: mon, tue, wed, thu, fri, sat, sun."
    )
    start: str = Field("09:00", description="Opening time on a working day, HH:MM (24-hour clock).")
    end: str = Field("17:00", description="Closing time on a working day, HH:MM, after start.")
    timezone: str | None = Field(
        None, description="IANA time zone of the schedule (default: the workspace's time zone)."
    )
    holidays: list[date] = Field([], description="Days without business hours, as ISO dates (YYYY-MM-DD).")

    @field_validator("days")
    @classmethod
    def _weekdays(cls, value: list[str]) -> list[str]:
        unknown = [d for d in value if d not in WEEKDAYS]
        if unknown:
            raise ValueError(f"{unknown} are not days; use {', '.join(WEEKDAYS)}")
        if not value:
            raise ValueError("a schedule needs at least one working day")
        return value

    @field_validator("start", "end")
    @classmethod
    def _clock(cls, value: str) -> str:
        if not _CLOCK.match(value):
            raise ValueError(f"'{value}' is not a time of day; write HH:MM, for example 09:00")
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return None if value is None else _check_timezone(value)

    @model_validator(mode="after")
    def _opens_before_closing(self) -> "BusinessHours":
        if self.end <= self.start:  # HH:MM strings order like the times they name
            raise ValueError(f"end {self.end} must be after start {self.start}")
        return self


class SupportSettings(_Section):
    business_hours: BusinessHours | None = Field(
        None,
        description="A [support.business_hours] table: support durations in business hours instead of calendar hours.",
    )


class SurveysSettings(_Section):
    nps_window_days: int = Field(180, ge=1, le=MAX_DAYS, description="Per-account NPS counts responses of the last this many days.")
    csat_window_days: int = Field(90, ge=1, le=MAX_DAYS, description="Per-account CSAT counts responses of the last this many days.")


class WarehouseSettings(_Section):
    engine: str = Field("duckdb", description="Analytic engine: duckdb (embedded, the default).")
    path: str = Field("warehouse.duckdb", description="The DuckDB file, relative to the workspace folder.")
    memory_limit: str = Field("4GB", description="Most memory the engine may use before spilling to disk (e.g. 4GB).")
    threads: int = Field(0, ge=0, le=1024, description="Engine threads; 0 means one per CPU core.")
    query_timeout_seconds: int = Field(
        300, ge=0, le=86400,
        description="A command that only reads (every figure) is stopped after this many seconds of queries; 0 for no limit.",
    )

    @field_validator("engine")
    @classmethod
    def _known_engine(cls, value: str) -> str:
        if value != "duckdb":
            raise ValueError(f"engine '{value}' is not supported; use duckdb")
        return value

    @field_validator("memory_limit")
    @classmethod
    def _memory(cls, value: str) -> str:
        if not MEMORY.match(value.strip()):
            raise ValueError(f"'{value}' is not an amount of memory (for example 4GB or 512MB)")
        return value.strip()


class StateSettings(_Section):
    url: str = Field(
        "",
        description=(
            "App state database: empty for tenure-state.sqlite in the workspace folder, or "
            "postgresql://user@host:5432/db; $TENURE_STATE_URL overrides it."
        ),
    )

    @field_validator("url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        # Checked by prefix: importing SQLAlchemy here would slow down every command that reads settings.
        if value and not value.startswith(("sqlite:///", "postgresql://", "postgresql+psycopg://")):
            raise ValueError(f"'{value}' is not a sqlite:///FILE or postgresql:// URL (or empty for the default)")
        return value


class Feature(_Section):
    """A feature: a named group of events; using any of them is using the feature."""

    name: str = Field(description="The feature's name, as adoption figures show it; unique.")
    events: list[str] = Field(description="The events that count as using the feature; at least one.")
    launch: date | None = Field(
        None, description="Launch date (YYYY-MM-DD): time to adopt counts from it for accounts created before it."
    )

    @field_validator("name")
    @classmethod
    def _named(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a feature needs a name")
        return value

    @field_validator("events")
    @classmethod
    def _some_events(cls, value: list[str]) -> list[str]:
        return _event_names(value, allow_empty=False)


class Activation(_Section):
    """The activation criterion: an account is activated when it has done every one of `events` within
    `within_days` days of its creation."""

    events: list[str] = Field(
        ["dashboard_viewed", "report_created"], description="Events an account must all do to count as activated."
    )
    within_days: int = Field(14, ge=1, le=MAX_DAYS, description="Days from the account's creation in which the events must happen.")

    @field_validator("events")
    @classmethod
    def _some_events(cls, value: list[str]) -> list[str]:
        return _event_names(value, allow_empty=False)


class ValueMoment(_Section):
    """What counts as the customer's first value, for time to value: an event or a milestone, not both."""

    event: str | None = Field("report_shared", description="The event whose first occurrence is the first value.")
    milestone: str | None = Field(None, description="Instead of event: a milestone (milestones table); first reaching it is the first value.")

    @model_validator(mode="before")
    @classmethod
    def _milestone_replaces_the_default_event(cls, data: object) -> object:
        # TOML has no null, so `milestone = "..."` alone must be able to replace the default event.
        if isinstance(data, dict) and data.get("milestone") is not None and "event" not in data:
            return {**data, "event": None}
        return data

    @model_validator(mode="after")
    def _one_of(self) -> "ValueMoment":
        if (self.event is None) == (self.milestone is None):
            raise ValueError("set exactly one of event or milestone")
        return self


DEMO_FEATURES = (
    ("dashboards", ["dashboard_viewed"]),
    ("reports", ["report_created", "report_shared"]),
    ("integrations", ["integration_connected"]),
    ("api", ["api_call"]),
    ("exports", ["export_csv"]),
    ("alerts", ["alert_configured"]),
)


def _event_names(value: list[str], *, allow_empty: bool = True) -> list[str]:
    if not allow_empty and not value:
        raise ValueError("list at least one event name")
    if any(not name.strip() for name in value):
        raise ValueError("an event name cannot be empty")
    return value


class EventsSettings(_Section):
    """Which product events mean what. The defaults name the events of the demo company (`tenure demo`)."""

    activity: list[str] = Field(
        [], description="Events that make a user active on a day; empty means any event."
    )
    login: list[str] = Field(["login"], description="Events that are logins.")
    password_reset: list[str] = Field(["password_reset"], description="Events that are password resets.")
    knowledge_base: list[str] = Field(["kb_article_viewed"], description="Events that are knowledge-base article views.")
    content: list[str] = Field([], description="Events that are views of other content (guides, webinars, docs).")
    features: list[Feature] = Field(
        default_factory=lambda: [Feature(name=name, events=events) for name, events in DEMO_FEATURES],
        description="[[events.features]] tables: each feature a name, its events and an optional launch date.",
    )
    activation: Activation = Field(
        default_factory=Activation, description="The [events.activation] table: the activation criterion."
    )
    value: ValueMoment = Field(
        default_factory=ValueMoment, description="The [events.value] table: the first value, for time to value."
    )

    @field_validator("activity", "login", "password_reset", "knowledge_base", "content")
    @classmethod
    def _names(cls, value: list[str]) -> list[str]:
        return _event_names(value)

    @field_validator("features")
    @classmethod
    def _unique(cls, value: list[Feature]) -> list[Feature]:
        require_unique((f.name for f in value), "feature")
        return value


class UsageTiers(_Section):
    """Usage tiers by the account's active days in the last 30 days: the first threshold it reaches
    names its tier (power, then core, then casual); below casual_days it is dormant."""

    power_days: int = Field(20, ge=1, le=30, description="Active on at least this many of the last 30 days: power.")
    core_days: int = Field(8, ge=1, le=30, description="At least this many (fewer than power_days): core.")
    casual_days: int = Field(
        1, ge=1, le=30, description="At least this many (fewer than core_days): casual; fewer: dormant."
    )

    @model_validator(mode="after")
    def _descending(self) -> "UsageTiers":
        # Equal or rising thresholds would leave a tier that no account can reach.
        if not self.power_days > self.core_days > self.casual_days:
            raise ValueError(
                f"thresholds must descend: power_days ({self.power_days}) > core_days ({self.core_days})"
                f" > casual_days ({self.casual_days})"
            )
        return self


class UsageSettings(_Section):
    tiers: UsageTiers = Field(
        default_factory=UsageTiers,
        description="The [usage.tiers] table: usage tiers (power, core, casual, dormant) by active days in 30.",
    )


class Settings(_Section):
    workspace: WorkspaceSettings = Field(default_factory=WorkspaceSettings, description="The workspace.")
    warehouse: WarehouseSettings = Field(default_factory=WarehouseSettings, description="The analytic engine.")
    state: StateSettings = Field(
        default_factory=StateSettings, description="App state: tasks, notes, playbook runs, deliveries, users."
    )
    support: SupportSettings = Field(default_factory=SupportSettings, description="Support metrics.")
    surveys: SurveysSettings = Field(default_factory=SurveysSettings, description="Survey metrics (NPS, CSAT, CES).")
    events: EventsSettings = Field(
        default_factory=EventsSettings, description="Product events: activity, logins, features, activation, value."
    )
    usage: UsageSettings = Field(
        default_factory=UsageSettings, description="Per-account product usage (`tenure accounts`): usage tiers."
    )
    health: HealthSettings = Field(default_factory=HealthSettings, description="Health scores: bands, history, scorecards.")
    journey: JourneySettings = Field(default_factory=JourneySettings, description="The customer journey: stages, milestones, moments.")
    risks: RisksSettings = Field(default_factory=RisksSettings, description="Risk rules over account signals: built-in ones to leave out, the workspace's own.")
    playbooks: PlaybooksSettings = Field(default_factory=PlaybooksSettings, description="Playbooks: when a condition over an account's signals holds, create a task, call a webhook, send an email or add to a digest.")
