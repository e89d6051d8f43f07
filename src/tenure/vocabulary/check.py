"""A definition from tenure.toml checked against a scope of the vocabulary: here, where the condition
language and the vocabulary are both known, so tenure.config only says which scope a setting reads.

Each function raises ConfigError with every problem of the text (tenure.conditions' sentences); the
settings turn them into one error located at the setting, so every problem keeps its line."""

from __future__ import annotations

from tenure.conditions import SignalType, check, check_template, parse_condition, parse_template, referenced_names
from tenure.conditions.types import unknown_name
from tenure.errors import ConfigError, Problem
from tenure.vocabulary.scopes import Scope


def check_condition_text(text: str, scope: Scope) -> None:
    """A condition that parses and type-checks against the names `scope` offers it."""
    condition = parse_condition(text)
    check(condition, scope(referenced_names(condition)))


def check_template_text(text: str, scope: Scope) -> None:
    """A template whose placeholders are all names `scope` offers it."""
    template = parse_template(text)
    check_template(template, scope(template.names))


def type_of(name: str, scope: Scope) -> SignalType:
    """The type of one signal a setting names (a health measure's), or the unknown-name sentence."""
    kind = scope((name,)).get(name)
    if kind is None:
        message = unknown_name(name, 1, scope(())).replace(" at column 1", "")
        raise ConfigError([Problem("<signal>", None, message)])
    return kind
