"""The names each section of tenure.toml may read, with their types: one vocabulary for every section,
so a name valid in a scorecard is valid in a playbook.

    signals(names)   the catalogue (+ attr_<key>): what [[risks.rules]] read
    journey(names)   + the risk flags and the journey's inputs: what [journey] stages and moments read
    day(names)       + stage and the moments: tenure.journey.day_signals, what [health] scorecards read
    scored(names)    + the health columns: what [[playbooks.rules]] read

`names` are the names a definition uses: `attr_<key>` (custom account attributes, known only once
data is loaded) is text and `risk_<rule>` (rules may come from [risks]) is true/false. The engine
checks every definition again against the real table when it runs (tenure.conditions.compile.to_ibis),
so the vocabulary only has to be right about names and types, never about values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tenure.conditions.types import SignalType
from tenure.vocabulary.catalogue import ATTRIBUTE_PREFIX, signal_types
from tenure.vocabulary.risks import BUILTIN
from tenure.vocabulary.risks import PREFIX as RISK_PREFIX

N, T, B = SignalType.NUMBER, SignalType.TEXT, SignalType.BOOLEAN
# Signals the journey adds to every account's row before its rules run (tenure/journey/inputs.py).
JOURNEY_SIGNALS = {
    "ever_paid": B, "on_trial": B, "in_renewal_window": B, "account_age_days": N,
    "milestones_applicable": N, "milestones_reached_total": N, "milestones_reached_30d": N,
    "milestone_progress": N, "journey_status": T, "promoter_after_milestone": B,
}
DAY_SIGNALS = {"stage": T, "expansion_moment": B, "advocacy_moment": B}
HEALTH_SIGNALS = {"score": N, "band": T, "scorecard": T, "confidence": N, "low_confidence": B, "stale": B}
PREFIXED = ((ATTRIBUTE_PREFIX, T), (RISK_PREFIX, B))
# A scope: the names a definition uses -> every name it may read, with its type.
Scope = Callable[[Iterable[str]], dict[str, SignalType]]


def signals(names: Iterable[str] = ()) -> dict[str, SignalType]:
    found = signal_types()
    found.update({name: T for name in names if name.startswith(ATTRIBUTE_PREFIX)})
    return found


def journey(names: Iterable[str] = ()) -> dict[str, SignalType]:
    found = {**signal_types(), **JOURNEY_SIGNALS, "risk_count": N, **{f"{RISK_PREFIX}{rule.name}": B for rule in BUILTIN}}
    for name in names:
        for prefix, kind in PREFIXED:
            if name.startswith(prefix) and name not in found:
                found[name] = kind
    return found


def day(names: Iterable[str] = ()) -> dict[str, SignalType]:
    return {**journey(names), **DAY_SIGNALS}


def scored(names: Iterable[str] = ()) -> dict[str, SignalType]:
    return {**day(names), **HEALTH_SIGNALS}
