"""The customer journey: each account's stage, milestone progress, status and moments to act; the
stages' summary; milestones; and the stage history (docs/journey.md)."""

from __future__ import annotations

from datetime import date

import ibis.expr.types as ir

from tenure.config.settings import Settings
from tenure.errors import UsageError
from tenure.services.accounts import require_known
from tenure.warehouse import Warehouse


def listing(warehouse: Warehouse, *, settings: Settings, as_of: date, stage: str | None = None,
            status: str | None = None) -> ir.Table:
    """Per account as of a day: stage, since, milestone progress, journey status, expansion and advocacy
    moments with their reasons. `stage` is checked against the configured stages."""
    from tenure.journey import JOURNEY_STATUSES, journey

    stages = [s.name for s in settings.journey.stages]
    if stage is not None and stage not in stages:
        raise UsageError(f"{{stage}}: '{stage}' is not a stage; the stages are: {', '.join(stages)}")
    if status is not None and status not in JOURNEY_STATUSES:
        raise UsageError(f"{{status}}: '{status}' is not a journey status; use {', '.join(JOURNEY_STATUSES)}")
    rows = journey(warehouse, as_of, settings=settings)
    if stage is not None:
        rows = rows.filter(rows.stage == stage)
    return rows.filter(rows.journey_status == status) if status is not None else rows


def stage_summary(warehouse: Warehouse, *, settings: Settings, as_of: date) -> ir.Table:
    """Per configured stage: accounts in it, share, median days of completed and current spells."""
    from tenure.journey import stage_summary as summary

    return summary(warehouse, as_of, settings=settings)


def milestones(warehouse: Warehouse, *, settings: Settings, as_of: date, account_id: str | None = None) -> ir.Table:
    """Per account and configured milestone: expected_by, reached_at, status (reached, on_track, behind, stuck)."""
    from tenure.journey import milestone_status

    if account_id is not None:
        require_known(warehouse, account_id=account_id)
    rows = milestone_status(warehouse, as_of, events=settings.events, journey=settings.journey)
    return rows.filter(rows.account_id == account_id) if account_id is not None else rows


def refresh_history(warehouse: Warehouse, *, settings: Settings, as_of: date):
    """Rebuild the stage history (_stage_snapshots, _stage_history) up to a day: a JourneyRefreshed."""
    from tenure.journey import refresh_journey

    return refresh_journey(warehouse, as_of, settings=settings)


def stage_history(warehouse: Warehouse, *, account_id: str | None = None) -> ir.Table:
    """The stage spells of the last refresh: account_id, stage, entered_on, left_on, days."""
    from tenure.journey import stage_history as spells

    if account_id is not None:
        require_known(warehouse, account_id=account_id)
    return spells(warehouse, account_id).order_by(["account_id", "entered_on"])
