"""Which accounts each playbook fires for: its condition evaluated by the engine over a table of signals.

The table is an input (one row per account, an `account_id` column, any other columns): the lead
assembles it from the signals, risk flags, health and journey (`tenure.services.playbooks.signals`). Each enabled
playbook's condition becomes one filter, and only the matching rows come back, with only the columns
the playbook reads: the condition's signals (why it fired) and its templates' (what its actions say).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import ibis.expr.types as ir

from tenure.config.playbooks import WHERE, Action, Playbook, PlaybooksSettings
from tenure.conditions import Template, parse_condition, parse_template, referenced_names
from tenure.conditions.compile import to_ibis

TEMPLATE_FIELDS = ("title", "body", "owner", "to", "subject", "recipient")
DEFAULT_OWNER = "{owner}"


@dataclass(frozen=True)
class Fire:
    """A playbook whose condition holds for an account: the values it read, by signal name."""

    playbook: Playbook
    account_id: str
    values: dict[str, Any] = field(hash=False)

    @property
    def why(self) -> dict[str, Any]:
        """The values of the signals the condition names: why it fired."""
        return {name: self.values[name] for name in referenced_names(parse_condition(self.playbook.when))}


def templates(action: Action) -> dict[str, Template]:
    """The action's templates by field; a task's owner is the account's owner unless it says otherwise."""
    found = {name: getattr(action, name) for name in TEMPLATE_FIELDS if getattr(action, name) is not None}
    if action.type == "task" and "owner" not in found:
        found["owner"] = DEFAULT_OWNER
    return {name: parse_template(text) for name, text in found.items()}


def read_names(playbook: Playbook) -> list[str]:
    """Every column a playbook reads: account_id, its condition's signals, then its templates'."""
    names = ["account_id", *referenced_names(parse_condition(playbook.when))]
    for action in playbook.actions:
        for template in templates(action).values():
            names.extend(template.names)
    return list(dict.fromkeys(names))


def condition(playbook: Playbook, signals: ir.Table) -> ir.BooleanValue:
    """The playbook's condition over the table. to_ibis checks it against the table's real columns, so a
    signal the table lacks (a health band before health is assembled) is a ConfigError naming the playbook."""
    return to_ibis(parse_condition(playbook.when, file=f"{WHERE} '{playbook.name}' when"), signals)


def matches_expr(playbook: Playbook, signals: ir.Table) -> ir.Table:
    """The rows the playbook fires for, with the columns it reads: the query `evaluate` runs (for its SQL)."""
    _check_templates(playbook, signals)
    return signals.filter(condition(playbook, signals)).select(*read_names(playbook)).order_by("account_id")


def evaluate(settings: PlaybooksSettings, signals: ir.Table) -> list[Fire]:
    """Every (enabled playbook, account) whose condition holds, in configuration then account order.
    One engine query per playbook; the accounts that do not match never leave the engine."""
    fires = []
    for playbook in settings.rules:
        if not playbook.enabled:
            continue
        for row in matches_expr(playbook, signals).to_pyarrow().to_pylist():
            fires.append(Fire(playbook, row["account_id"], row))
    return fires


def _check_templates(playbook: Playbook, signals: ir.Table) -> None:
    # The same check as at load, now against the table's own columns (check_template raises ConfigError).
    from tenure.conditions import check_template
    from tenure.conditions.compile import signal_types

    types = signal_types(signals.schema())
    for number, action in enumerate(playbook.actions, start=1):
        for name, template in templates(action).items():
            located = parse_template(template.text, file=f"{WHERE} '{playbook.name}' action {number} {name}")
            check_template(located, types)


def json_value(value: Any) -> Any:
    """A signal value as JSON has it: exact decimals as numbers, days and instants as ISO text."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return None
    return value
