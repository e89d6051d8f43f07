"""The [risks] section of tenure.toml: which built-in risk rules run, and the workspace's own rules.

    [risks]
    disable = ["stalled_onboarding"]        # built-in rules to leave out

    [[risks.rules]]                         # a rule of its own, or a built-in one with new thresholds
    name = "password_reset_burst"
    condition = "password_resets_7d >= 8"
    description = "8 or more password resets in a week."

Each condition is parsed and type-checked against the signal catalogue (tenure.vocabulary.scopes.signals)
when tenure.toml is read, so a typo is reported with its line before anything runs (tenure.config.read
maps the field to the line). Custom attributes (attr_<key>) depend on the loaded data: here they are
taken as text, and checked against the real columns when the rules run.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tenure.config.checks import in_vocabulary, require_unique
from tenure.vocabulary import scopes
from tenure.vocabulary.check import check_condition_text
from tenure.vocabulary.risks import BUILTIN

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class _Section(BaseModel):
    # Like settings._Section (not imported: settings.py imports this module).
    model_config = ConfigDict(extra="forbid", validate_default=True)


class RiskRuleSettings(_Section):
    """A [[risks.rules]] entry: a risk rule of the workspace's own."""

    name: str = Field(description="The rule's name (lower case, digits, _): its column is risk_<name>.")
    condition: str = Field(description="When the risk holds: a condition over signals (docs/playbooks.md).")
    description: str = Field("", description="One sentence a CSM reads next to the flag.")

    @field_validator("name")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError(f"'{value}' is not a rule name; use lower-case letters, digits and _, a letter first")
        return value

    @field_validator("condition")
    @classmethod
    def _valid_condition(cls, value: str) -> str:
        in_vocabulary(check_condition_text, value, scopes.signals)
        return value


class RisksSettings(_Section):
    disable: list[str] = Field([], description="Built-in risk rules to leave out, by name.")
    rules: list[RiskRuleSettings] = Field(
        [],
        description="[[risks.rules]] tables: the workspace's own risk rules; one named like a built-in rule replaces it.",
    )

    @field_validator("disable")
    @classmethod
    def _builtin_names(cls, value: list[str]) -> list[str]:
        known = [rule.name for rule in BUILTIN]
        unknown = [name for name in value if name not in known]
        if unknown:
            raise ValueError(f"{unknown} are not built-in risk rules; they are: {', '.join(known)}")
        return value

    @field_validator("rules")
    @classmethod
    def _unique(cls, value: list[RiskRuleSettings]) -> list[RiskRuleSettings]:
        require_unique((rule.name for rule in value), "rule")
        return value
