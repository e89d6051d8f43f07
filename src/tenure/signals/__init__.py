"""Per-account signals evaluated point-in-time at an as-of day, and the risk rules over them.

    account_signals(warehouse, as_of)   one row per account: every CATALOGUE signal + attr_<key> columns
    CATALOGUE / catalogue(warehouse)    each signal's type, unit, description and source table
    risk_flags(signals, rules)          risk_<name> per rule and risk_count, computed in the engine
    BUILTIN / risk_rules(settings)      the built-in risk rules, and those after [risks] in tenure.toml

Health scorecards, playbooks and the churn backtest all read this one table (docs/signals.md).
"""

from tenure.signals.account import COLUMNS, account_signals
from tenure.signals.catalogue import CATALOGUE, Signal, catalogue, signal_types
from tenure.signals.risks import BUILTIN, RiskRule, risk_flags, risk_rules

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
