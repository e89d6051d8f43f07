"""The condition language of tenure.toml: conditions over signals (`when`) and templates filled from them (`then`).

    parse_condition -> Expression -> check (against the signal catalogue) -> to_ibis (an Ibis boolean)
    parse_template  -> Template   -> check_template                       -> Template.render(row)

Both are small languages parsed here by hand, never by Python's eval or str.format, and checked when a
playbook is loaded, so that a typo is reported with its column before anything runs."""

from tenure.conditions.check import check
from tenure.conditions.compile import to_ibis
from tenure.conditions.expression import Expression, parse_condition, referenced_names
from tenure.conditions.signals import SignalType, signal_types
from tenure.conditions.template import NULL_TEXT, Placeholder, Template, check_template, parse_template

__all__ = [
    "Expression",
    "NULL_TEXT",
    "Placeholder",
    "SignalType",
    "Template",
    "check",
    "check_template",
    "parse_condition",
    "parse_template",
    "referenced_names",
    "signal_types",
    "to_ibis",
]
