"""Risk flags: the risk rules (tenure.vocabulary.risks) computed over the account signals.

`risk_flags` compiles every rule with tenure.conditions.compile.to_ibis into one boolean column per rule,
`risk_<name>`, and counts them in `risk_count`: the engine evaluates them next to the data. A rule whose
signals are missing (null) does not fire. `risk_rules` says which rules a workspace runs ([risks]).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import ibis
import ibis.expr.types as ir

from tenure.conditions.compile import to_ibis
from tenure.vocabulary.risks import BUILTIN, PREFIX, RiskRule

if TYPE_CHECKING:
    from tenure.config.settings import Settings


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
