"""The built-in risk rules: named, explainable conditions over the account signals (docs/signals.md#risks).

A rule is data: a name, one sentence, and a condition in the tenure.conditions language, so a CSM can read
why an account is flagged and a workspace can change a threshold in tenure.toml ([risks], see
tenure.config.risks) without code. Each rule's flag, `risk_<name>`, is a signal conditions may read;
tenure.signals.risks computes them.
"""

from __future__ import annotations

from dataclasses import dataclass

from tenure.conditions import Expression, parse_condition

PREFIX = "risk_"


@dataclass(frozen=True)
class RiskRule:
    """One risk: `name` (the column is risk_<name>), a sentence a CSM reads, and its condition. `file`
    and `line` say where a rule from tenure.toml was written, for its problems."""

    name: str
    description: str
    condition: str
    file: str = "<built-in risk rule>"
    line: int | None = None

    def expression(self) -> Expression:
        return parse_condition(self.condition, file=self.file, line=self.line)


# The thresholds: documented, with their reasons, in docs/signals.md#risks.
BUILTIN: tuple[RiskRule, ...] = (
    RiskRule(
        "engagement_falling",
        "Active users fell by more than 30% against the 30 days before (from at least 3).",
        "active_users_prev_30d >= 3 and active_users_30d < 0.7 * active_users_prev_30d",
    ),
    RiskRule(
        "gone_quiet",
        "A paying account with no activity for 14 days or more.",
        "mrr > 0 and (days_since_active >= 14 or last_active_day is null)",
    ),
    RiskRule(
        "password_reset_burst",
        "5 or more password resets in the last 7 days: users locked out, or logins shared.",
        "password_resets_7d >= 5",
    ),
    RiskRule(
        "low_kb_many_tickets",
        "3 or more tickets in the last 30 days and no knowledge-base views: help is not self-served.",
        "tickets_30d >= 3 and kb_views_30d == 0",
    ),
    RiskRule(
        "support_without_success",
        "2 or more tickets in the last 30 days but active on at most 2 days: stuck rather than using.",
        "tickets_30d >= 2 and active_days_30d <= 2",
    ),
    RiskRule(
        "detractor",
        "The latest NPS response is a detractor's (0-6).",
        'nps_category == "detractor"',
    ),
    RiskRule(
        "stalled_onboarding",
        "30 days or more old and not activated.",
        "account_age_days >= 30 and not activated",
    ),
    RiskRule(
        "seats_unused_before_renewal",
        "Renews within 60 days with fewer than half of its seats used.",
        "days_to_renewal <= 60 and seat_utilisation < 0.5",
    ),
    RiskRule(
        "mrr_contracting",
        "MRR fell by 20% or more over the last 90 days.",
        "mrr_trend <= -0.2",
    ),
)
