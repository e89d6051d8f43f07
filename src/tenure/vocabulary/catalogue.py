"""The signal catalogue: every per-account signal `tenure.signals.account_signals` computes, as data.

Each entry names the signal's type for conditions (tenure.conditions), its unit, one sentence saying what
it is, and the table it is computed from. Health scorecards, playbooks and the churn backtest check their
definitions against this catalogue, and docs/signals.md documents every name (a test keeps them equal).
Custom account attributes add one text signal each, `attr_<key>`: they depend on the loaded data, so
`tenure.signals.catalogue(warehouse)` lists them and the constant `CATALOGUE` does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from tenure.conditions.types import SignalType

N, T, B, D = SignalType.NUMBER, SignalType.TEXT, SignalType.BOOLEAN, SignalType.DATE
ATTRIBUTE_PREFIX = "attr_"
# Attribute keys that can be signal names as they are (the condition language's names); others are skipped.
_ATTRIBUTE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Signal:
    """One per-account signal: its name, type, unit, one-sentence description and source table."""

    name: str
    type: SignalType
    unit: str
    description: str
    source: str


_ENTRIES = (
    # -- from the usage profile (tenure.metrics.profile, docs/metrics/accounts.md) --
    ("account_id", T, "id", "The account's id.", "accounts"),
    ("name", T, "text", "The account's display name.", "accounts"),
    ("segment", T, "text", "The account's segment.", "accounts"),
    ("owner", T, "text", "The responsible customer success manager.", "accounts"),
    ("created_at", D, "date", "When the account was created (a timestamp; compares with dates).", "accounts"),
    ("mrr", N, "money", "MRR at the end of the as-of day, in the reporting currency.", "subscriptions"),
    ("active_users_30d", N, "users", "Distinct users active in the last 30 days.", "events"),
    ("active_users_prev_30d", N, "users", "Distinct users active in the 30 days before those.", "events"),
    ("active_days_30d", N, "days", "Days of the last 30 on which the account was active.", "events"),
    ("active_days_prev_30d", N, "days", "Active days in the 30 days before those.", "events"),
    ("logins_30d", N, "events", "Login events in the last 30 days.", "events"),
    ("logins_prev_30d", N, "events", "Login events in the 30 days before those.", "events"),
    ("logins_per_user_week", N, "logins", "Logins per active user and week over the last 30 days.", "events"),
    ("login_trend", N, "ratio", "Relative change of logins, last 30 days against the 30 before.", "events"),
    ("tier", T, "text", "Usage tier by active days: power, core, casual or dormant.", "events"),
    ("features_used_30d", N, "features", "Distinct configured features used in the last 30 days.", "events"),
    ("breadth", N, "share", "Features used in the last 30 days over the configured features.", "events"),
    ("kb_views_30d", N, "events", "Knowledge-base article views in the last 30 days.", "events"),
    ("content_views_30d", N, "events", "Views of other content in the last 30 days.", "events"),
    ("password_resets_30d", N, "events", "Password resets in the last 30 days.", "events"),
    ("last_active_day", D, "date", "The account's last active day on or before the as-of day.", "events"),
    ("days_since_active", N, "days", "Days from the last active day to the as-of day.", "events"),
    ("messages_30d", N, "messages", "Messages sent to the account in the last 30 days.", "messages"),
    ("open_rate_30d", N, "share", "Share of the last 30 days' messages opened.", "messages"),
    ("click_rate_30d", N, "share", "Share of the last 30 days' messages clicked.", "messages"),
    ("nps_responses", N, "responses", "NPS responses in the NPS window.", "surveys"),
    ("nps", N, "score", "NPS (-100..100) over the NPS window.", "surveys"),
    ("csat_responses", N, "responses", "CSAT responses in the CSAT window.", "surveys"),
    ("csat", N, "share", "Share of CSAT responses scoring 4 or 5 over the CSAT window.", "surveys"),
    ("tickets_30d", N, "tickets", "Tickets created in the last 30 days.", "tickets"),
    ("open_tickets", N, "tickets", "Tickets open at the end of the as-of day.", "tickets"),
    # -- added by tenure.signals --
    ("active_users_trend", N, "ratio", "Relative change of active users, last 30 days against the 30 before.",
     "events"),
    ("password_resets_7d", N, "events", "Password resets in the last 7 days.", "events"),
    ("tickets_90d", N, "tickets", "Tickets created in the last 90 days.", "tickets"),
    ("escalated_tickets_90d", N, "tickets", "Escalated tickets among those created in the last 90 days.", "tickets"),
    ("first_response_hours_median_90d", N, "hours",
     "Median first-response time of the last 90 days' tickets answered by the as-of day.", "tickets"),
    ("activated", B, "true/false", "Whether the account did every activation event within its activation window.",
     "events"),
    ("time_to_value_days", N, "days", "Days from creation to the first value; null until it is reached.",
     "events"),
    ("account_age_days", N, "days", "Days from the account's creation day to the as-of day.", "accounts"),
    ("seats", N, "seats", "Licensed seats: the quantity of the subscription rows active at the as-of day.",
     "subscriptions"),
    ("seat_utilisation", N, "share", "Active users in the last 30 days per licensed seat.", "subscriptions"),
    ("mrr_90d_ago", N, "money", "MRR at the end of the day 90 days before the as-of day.", "subscriptions"),
    ("mrr_trend", N, "ratio", "Relative change of MRR over the last 90 days.", "subscriptions"),
    ("days_to_renewal", N, "days", "Days from the as-of day to the next contract renewal (anniversary).",
     "subscriptions"),
    ("last_nps_score", N, "score", "The score (0..10) of the latest NPS response.", "surveys"),
    ("nps_category", T, "text", "The latest NPS response's category: promoter, passive or detractor.", "surveys"),
    ("milestones_reached", N, "milestones", "Milestones reached on or before the as-of day.", "milestones"),
)

CATALOGUE: Mapping[str, Signal] = MappingProxyType({entry[0]: Signal(*entry) for entry in _ENTRIES})


def attribute_signal(key: str) -> Signal:
    """The text signal of a custom account attribute."""
    return Signal(f"{ATTRIBUTE_PREFIX}{key}", T, "text", f"The custom account attribute '{key}'.", "accounts")


def usable_attribute(key: str) -> bool:
    """Whether an attribute key can be a signal name (letters, digits and underscores, not a digit first)."""
    return bool(_ATTRIBUTE_KEY.match(key))


def signal_types(signals: Mapping[str, Signal] = CATALOGUE) -> dict[str, SignalType]:
    """The catalogue as the name -> type mapping tenure.conditions.check takes."""
    return {name: signal.type for name, signal in signals.items()}
