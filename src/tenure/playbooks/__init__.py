"""Playbooks (docs/playbooks.md): when a condition over an account's signals holds, then act.

    evaluate(settings, signals) -> [Fire]        each enabled playbook's condition, filtered in the engine
    run(store, fires, settings=..., dry_run=...)  dedup, cool-down, PlaybookRun rows, then the actions:
                                                  task, signed webhook (retried), email, digest item
    digest(store, settings)                       the day's digest items, one email per recipient
    deliveries(store)                             every delivery attempt, newest first
    playbook_signals(workspace, as_of)            the table playbooks run over (signals + risk flags)

Layering: config < rules < signals < playbooks; state is app state beside the warehouse.
"""

from tenure.playbooks.digest import DigestEmail, digest, queued
from tenure.playbooks.evaluate import Fire, evaluate, matches_expr, playbook_signals, read_names
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
    "playbook_signals",
    "queued",
    "read_names",
    "run",
]
