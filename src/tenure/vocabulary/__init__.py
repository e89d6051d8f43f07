"""The signal vocabulary: every name a condition, template or measure in tenure.toml may read, with its type,
in one place.

    catalogue.py   CATALOGUE / Signal: the per-account signals tenure.signals computes, attr_<key>
    risks.py       BUILTIN / RiskRule: the built-in risk rules, whose flags risk_<name> are signals too
    scopes.py      signals / journey / day / scored: the names each section of tenure.toml may read
    check.py       a condition, template or measured signal checked against a scope

A leaf: it imports the condition language (tenure.conditions, itself engine-free) and tenure.errors,
never the engine, so tenure.config checks tenure.toml against it as it is read, and tenure.signals,
tenure.journey and tenure.health compute what it names.
"""
