"""Per-account signals evaluated point-in-time at an as-of day, and the risk rules over them.

    account_signals(warehouse, as_of)   one row per account: every CATALOGUE signal + attr_<key> columns
    CATALOGUE / catalogue(warehouse)    each signal's type, unit, description and source table
    risk_flags(signals, rules)          risk_<name> per rule and risk_count, computed in the engine
    BUILTIN / risk_rules(settings)      the built-in risk rules, and those after [risks] in tenure.toml

The catalogue and the built-in rules are data of the signal vocabulary (tenure.vocabulary), which
tenure.config checks tenure.toml against; they are re-exported here next to what computes them.

Health scorecards, playbooks and the churn backtest all read this one table (docs/signals.md).
"""

from tenure.signals.account import COLUMNS, account_signals
from tenure.signals.catalogue import catalogue
from tenure.signals.risks import risk_flags, risk_rules
from tenure.vocabulary.catalogue import CATALOGUE, Signal, signal_types
from tenure.vocabulary.risks import BUILTIN, RiskRule

__all__ = [
    "BUILTIN",
    "CATALOGUE",
    "COLUMNS",
    "RiskRule",
    "Signal",
    "account_signals",
    "catalogue",
    "risk_flags",
    "risk_rules",
    "signal_types",
]
