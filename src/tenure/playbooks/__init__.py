"""Playbooks (docs/playbooks.md): when a condition over an account's signals holds, then act.

    evaluate(settings, signals) -> [Fire]        each enabled playbook's condition, filtered in the engine
    run(store, fires, settings=..., dry_run=...)  dedup, cool-down, PlaybookRun rows, then the actions:
                                                  task, signed webhook (retried), email, digest item
    digest(store, settings)                       the day's digest items, one email per recipient
    deliveries(store)                             every delivery attempt, newest first

Layering: config < rules < signals < playbooks < services; state is app state beside the warehouse.
The table playbooks run over is assembled by tenure.services.playbooks.signals.
"""

from tenure.playbooks.digest import DigestEmail, digest, queued
from tenure.playbooks.evaluate import Fire, evaluate, matches_expr, read_names
from tenure.playbooks.log import deliveries
from tenure.playbooks.run import OUTCOMES, Outcome, run

__all__ = [
    "DigestEmail",
    "Fire",
    "OUTCOMES",
    "Outcome",
    "deliveries",
    "digest",
    "evaluate",
    "matches_expr",
    "queued",
    "read_names",
    "run",
]
