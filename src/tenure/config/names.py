"""The names a condition or measure in tenure.toml may read, with their types: one vocabulary for every
section, so a name valid in a scorecard is valid in a playbook.

    journey(names)   tenure.signals' catalogue, the risk flags and the journey's inputs: what
                     [journey] stages and moments read
    day(names)       + stage and the moments: tenure.journey.day_signals, what [health] scorecards read
    scored(names)    + the health columns: what [[playbooks.rules]] read

`names` are the names a definition uses: `attr_<key>` (custom account attributes, known only once
data is loaded) is text and `risk_<rule>` (rules may come from [risks]) is true/false. The engine
checks every definition again against the real table when it runs (tenure.conditions.to_ibis).
"""

from __future__ import annotations

from collections.abc import Iterable

from tenure.conditions.signals import SignalType

N, T, B = SignalType.NUMBER, SignalType.TEXT, SignalType.BOOLEAN
DAY_SIGNALS = {"stage": T, "expansion_moment": B, "advocacy_moment": B}
HEALTH_SIGNALS = {"score": N, "band": T, "scorecard": T, "confidence": N, "low_confidence": B, "stale": B}
PREFIXED = (("attr_", T), ("risk_", B))


def journey(names: Iterable[str] = ()) -> dict[str, SignalType]:
    # Imported late: tenure.signals sits above config, and loads the engine.
    from tenure.config.journey import JOURNEY_SIGNALS
    from tenure.signals.catalogue import signal_types
    from tenure.signals.risks import BUILTIN

    found = {**signal_types(), **JOURNEY_SIGNALS, "risk_count": N, **{f"risk_{rule.name}": B for rule in BUILTIN}}
    for name in names:
        for prefix, kind in PREFIXED:
            if name.startswith(prefix) and name not in found:
                found[name] = kind
    return found


def day(names: Iterable[str] = ()) -> dict[str, SignalType]:
    return {**journey(names), **DAY_SIGNALS}


def scored(names: Iterable[str] = ()) -> dict[str, SignalType]:
    return {**day(names), **HEALTH_SIGNALS}
