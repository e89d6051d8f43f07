"""The `[journey]` settings: lifecycle stages as ordered rules, success milestones with an expected time,
and the reasons behind the moments to act (docs/journey.md). The defaults fit the demo company.

Conditions are checked when tenure.toml is read, against the signals a journey rule can read
(tenure.vocabulary.scopes.journey): a typo is reported with its line before anything runs. The engine
checks them again against the real table of signals (tenure.conditions.compile.to_ibis), so the
vocabulary only has to be right about names and types, never about values.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tenure.config.checks import MAX_DAYS, in_vocabulary, require_unique
from tenure.vocabulary import scopes
from tenure.vocabulary.check import check_condition_text

MOMENTS = ("expansion", "advocacy")


class _Section(BaseModel):
    # As in settings.py (which imports this module, so it cannot be imported from here): a typo is an error.
    model_config = ConfigDict(extra="forbid", validate_default=True)


def _checked(text: str) -> str:
    in_vocabulary(check_condition_text, text, scopes.journey)
    return text


class Stage(_Section):
    """A lifecycle stage: an account is in the first stage whose condition holds."""

    name: str = Field(description="The stage's name, as `tenure journey` shows it; unique.")
    when: str | None = Field(
        None, description="A condition over the account's signals (docs/playbooks.md); none on the last stage, which takes every account left."
    )

    @field_validator("name")
    @classmethod
    def _named(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a stage needs a name")
        return value

    @field_validator("when")
    @classmethod
    def _condition(cls, value: str | None) -> str | None:
        return None if value is None else _checked(value)


class Milestone(_Section):
    """A success milestone: functional (from events) or customer (from the milestones table), each expected
    within `expected_days` of the account's creation."""

    name: str = Field(description="The milestone's name; unique.")
    events: list[str] | None = Field(
        None, description="Functional: the events that count towards it (any of them); set this or milestone."
    )
    min_count: int | None = Field(None, ge=1, description="Functional: how many of those events reach it (default 1).")
    within_days: int | None = Field(
        None, ge=1, le=MAX_DAYS, description="Functional: only events within this many days of the account's creation count (default: any time)."
    )
    milestone: str | None = Field(
        None, description="Customer: the name in the milestones table (loaded, or recorded by a CSM); set this or events."
    )
    expected_days: int = Field(description="Days from the account's creation by which it is expected.", ge=0, le=MAX_DAYS)

    @field_validator("name")
    @classmethod
    def _named(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a milestone needs a name")
        return value

    @field_validator("events")
    @classmethod
    def _some_events(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and (not value or any(not name.strip() for name in value)):
            raise ValueError("list at least one event name, none of them empty")
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> "Milestone":
        if (self.events is None) == (self.milestone is None):
            raise ValueError(f"milestone '{self.name}': set exactly one of events (functional) or milestone (customer)")
        if self.milestone is not None and (self.min_count is not None or self.within_days is not None):
            raise ValueError(f"milestone '{self.name}': min_count and within_days are for functional milestones (events)")
        return self

    @property
    def functional(self) -> bool:
        return self.events is not None


class MomentReason(_Section):
    """One reason for a moment to act: the moment holds for an account when any of its reasons does."""

    moment: str = Field(description="expansion or advocacy.")
    reason: str = Field(description="The reason's name, listed with the moment when its condition holds.")
    when: str = Field(description="A condition over the account's signals (docs/playbooks.md).")

    @field_validator("moment")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in MOMENTS:
            raise ValueError(f"'{value}' is not a moment; use {' or '.join(MOMENTS)}")
        return value

    @field_validator("when")
    @classmethod
    def _condition(cls, value: str) -> str:
        return _checked(value)


DEFAULT_STAGES = (
    ("churned", "mrr == 0 and ever_paid"),
    ("trial", "on_trial"),
    ("renewal", "in_renewal_window"),
    # Onboarding ends at day 60, or at day 180 for an account that has not activated: one that never does
    # is not onboarding for ever (the demo has accounts older than its events).
    ("onboarding", "account_age_days < 60 or (not activated and account_age_days < 180)"),
    ("expansion", "mrr_trend > 0.1 or seat_utilisation >= 0.9"),
    ("adoption", None),
)
# The demo's product: dashboards from day one, reports within a few weeks (tenure/demo/usage.py); its
# CSMs record kickoff about 5 days after the 14-day trial and go-live a month later (demo/engagement.py).
DEFAULT_MILESTONES = (
    dict(name="first_dashboard", events=["dashboard_viewed"], expected_days=7),
    dict(name="first_report", events=["report_created"], expected_days=30),
    dict(name="reporting_habit", events=["report_created", "report_shared"], min_count=10, within_days=90, expected_days=90),
    dict(name="kickoff_done", milestone="kickoff_done", expected_days=30),
    dict(name="go_live", milestone="go_live", expected_days=90),
    dict(name="goal_met", milestone="goal_met", expected_days=270),
)
DEFAULT_MOMENTS = (
    ("expansion", "seats_nearly_full", "mrr > 0 and seat_utilisation >= 0.9"),
    ("expansion", "milestone_reached", "mrr > 0 and milestones_reached_30d > 0"),
    ("expansion", "usage_growing", "mrr > 0 and active_users_prev_30d >= 3 and active_users_30d >= 1.2 * active_users_prev_30d"),
    ("advocacy", "promoter_after_milestone", "promoter_after_milestone"),
)


class JourneySettings(_Section):
    renewal_window_days: int = Field(
        90, ge=1, le=MAX_DAYS, description="An account is in its renewal window (in_renewal_window) this many days before a renewal date."
    )
    stuck_factor: float = Field(
        2.0, gt=1.0, description="A milestone not reached by expected_days x this factor is stuck, not just behind."
    )
    snapshot_days: int = Field(
        14, ge=1, le=MAX_DAYS, description="The stage history samples every account's stage this many days apart (and on the refresh day)."
    )
    history_days: int = Field(
        365, ge=1, le=MAX_DAYS, description="The stage history covers this many days before the refresh day (each snapshot is one query)."
    )
    stages: list[Stage] = Field(
        default_factory=lambda: [Stage(name=n, when=w) for n, w in DEFAULT_STAGES],
        description="[[journey.stages]] tables, in order: an account is in the first stage whose condition holds.",
    )
    milestones: list[Milestone] = Field(
        default_factory=lambda: [Milestone(**m) for m in DEFAULT_MILESTONES],
        description="[[journey.milestones]] tables: functional (events) and customer (milestones table) milestones.",
    )
    moments: list[MomentReason] = Field(
        default_factory=lambda: [MomentReason(moment=m, reason=r, when=w) for m, r, w in DEFAULT_MOMENTS],
        description="[[journey.moments]] tables: the reasons for an expansion or advocacy moment.",
    )

    @field_validator("stages")
    @classmethod
    def _ordered(cls, value: list[Stage]) -> list[Stage]:
        if not value:
            raise ValueError("list at least one stage")
        require_unique([s.name for s in value], "stage")
        # A stage after an unconditional one could never be entered; one with a condition last would
        # leave some accounts without a stage.
        open_ended = [s.name for s in value if s.when is None]
        if open_ended != [value[-1].name]:
            raise ValueError(
                f"exactly one stage, the last, has no `when` (it takes every account left); found {open_ended or 'none'}"
            )
        return value

    @field_validator("milestones")
    @classmethod
    def _unique_milestones(cls, value: list[Milestone]) -> list[Milestone]:
        require_unique([m.name for m in value], "milestone")
        return value

    @field_validator("moments")
    @classmethod
    def _unique_reasons(cls, value: list[MomentReason]) -> list[MomentReason]:
        require_unique([f"{m.moment}.{m.reason}" for m in value], "moment reason")
        return value
