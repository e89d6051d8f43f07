"""Playbooks (docs/playbooks.md): each enabled playbook's condition evaluated by the engine over the
day's scored signals, its actions on the app state (tasks, webhooks, email, the digest), and the log
of every delivery attempt."""

from __future__ import annotations

from datetime import date, datetime

import ibis.expr.types as ir

from tenure.config.playbooks import PlaybooksSettings
from tenure.config.settings import Settings
from tenure.errors import UsageError
from tenure.services.accounts import names
from tenure.warehouse import Warehouse


def signals(warehouse: Warehouse, *, settings: Settings, as_of: date) -> ir.Table:
    """The table playbooks run over, one row per account: every signal, the risk flags (risk_<rule>,
    risk_count), the journey's inputs, stage and moments, and the health score and band."""
    from tenure.health.scored import scored_signals

    return scored_signals(warehouse, as_of, settings=settings)


def matches(warehouse: Warehouse, *, settings: Settings, name: str, as_of: date) -> ir.Table:
    """The accounts one playbook fires for, with the columns it reads: its query, for its SQL."""
    from tenure.playbooks import matches_expr

    playbooks = settings.playbooks
    playbook = playbooks.playbook(name)
    if playbook is None:
        known = ", ".join(p.name for p in playbooks.rules) or "none"
        raise UsageError(f"no playbook '{name}'; the playbooks are: {known}")
    return matches_expr(playbook, signals(warehouse, settings=settings, as_of=as_of))


def run(warehouse: Warehouse, store, *, settings: Settings, as_of: date, dry_run: bool = False,
        now: datetime | None = None) -> list:
    """Evaluate every enabled playbook as of a day and act on what fires, or with dry_run list what would
    fire and why, writing nothing: a list of tenure.playbooks.Outcome."""
    from tenure.health.scored import materialise
    from tenure.playbooks import evaluate, run as act

    if not enabled(settings.playbooks):
        return []  # nothing to evaluate: the day's signals are not worth computing
    # Computed once: every playbook's condition is a query over the same table.
    fires = evaluate(settings.playbooks, materialise(warehouse, as_of, settings=settings))
    return act(store, fires, settings=settings.playbooks, dry_run=dry_run, now=now, timezone=settings.workspace.timezone)


def enabled(playbooks: PlaybooksSettings) -> list[str]:
    """The names of the enabled playbooks: what `run` evaluates."""
    return [p.name for p in playbooks.rules if p.enabled]


def digest(warehouse: Warehouse, store, *, playbooks: PlaybooksSettings, dry_run: bool = False,
           now: datetime | None = None) -> list:
    """Send the queued digest items, one email per recipient (dry_run: compose them only)."""
    from tenure.playbooks import digest as send, queued

    accounts = sorted({item["account_id"] for item in queued(store, now=now)})
    return send(store, playbooks, dry_run=dry_run, now=now, names=names(warehouse, accounts))


def deliveries(store, *, playbook: str | None = None, status: str | None = None, limit: int = 100) -> list[dict]:
    """Every webhook, email and digest delivery attempt, newest first."""
    from tenure.playbooks import deliveries as attempts

    return attempts(store, playbook=playbook, status=status, limit=limit)
