"""Risk rules: named, explainable conditions over the account signals (docs/signals.md#risks).

A rule is data: a name, one sentence, and a condition in the tenure.conditions language, so a CSM can read
why an account is flagged and a workspace can change a threshold in tenure.toml ([risks], see
tenure.config.risks) without code. `risk_flags` compiles every rule with tenure.conditions.to_ibis into one
boolean column per rule, `risk_<name>`, and counts them in `risk_count`: the engine evaluates them next
to the data. A rule whose signals are missing (null) does not fire.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

import ibis
import ibis.expr.types as ir

from tenure.conditions import Expression, parse_condition, to_ibis

if TYPE_CHECKING:
    from tenure.config.settings import Settings

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


def risk_flags(signals: ir.Table, rules: Sequence[RiskRule] = BUILTIN) -> ir.Table:
    """The signals with risk_<name> (boolean, never null) per rule, in rule order, and risk_count (the
    number of rules that fire). Each condition is checked against the table's columns first (ConfigError
    with the rule's file and line)."""
    flags = {f"{PREFIX}{rule.name}": to_ibis(rule.expression(), signals) for rule in rules}
    count = sum((flag.cast("int64") for flag in flags.values()), ibis.literal(0, type="int64"))
    return signals.mutate(**flags, risk_count=count)


def risk_rules(settings: Settings) -> tuple[RiskRule, ...]:
    """The workspace's rules: the built-in ones not disabled in [risks], a [[risks.rules]] entry with a
    built-in rule's name replacing it in place (its thresholds changed), the other entries after them."""
    config = settings.risks
    own = {rule.name: RiskRule(rule.name, rule.description, rule.condition, "tenure.toml") for rule in config.rules}
    kept = [own.pop(rule.name, rule) for rule in BUILTIN if rule.name not in config.disable]
    return (*kept, *own.values())
