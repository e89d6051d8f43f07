"""The condition language of tenure.toml: conditions over signals (`when`) and templates filled from them (`then`).

    parse_condition -> Expression -> check (against a vocabulary) -> compile.to_ibis (an Ibis boolean)
    parse_template  -> Template   -> check_template               -> Template.render(row)

Both are small languages parsed here by hand, never by Python's eval or str.format, and checked when a
playbook is loaded, so that a typo is reported with its column before anything runs.

The package itself loads no engine (tenure.config parses and checks tenure.toml with it); compiling to
Ibis, and reading a real table's types, is tenure.conditions.compile's, imported by the engine alone."""

from tenure.conditions.check import check
from tenure.conditions.expression import Expression, parse_condition, referenced_names
from tenure.conditions.template import NULL_TEXT, Placeholder, Template, check_template, parse_template
from tenure.conditions.types import SignalType, unknown_name

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
    "unknown_name",
]
