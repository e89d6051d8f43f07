"""The customer journey (docs/journey.md): lifecycle stages from ordered rules over each account's
signals, success milestones with an expected time and a status, moments to act, and a stage history.

    account_signals -> journey_inputs (+ ever_paid, on_trial, milestone figures, ...) -> stages / moments
    milestone_status (events, milestones) -> account_milestones -> journey_status, milestone_progress
    refresh_journey: stage snapshots at a cadence -> _stage_history -> time_in_stage, stage_summary

Layering: warehouse < metrics < signals < journey; nothing below imports this package.
"""

from tenure.journey.history import (
    HISTORY, SNAPSHOTS, JourneyRefreshed, history_as_of, refresh_journey, snapshot_days, stage_history, time_in_stage,
)
from tenure.journey.day import day_signals
from tenure.journey.inputs import journey_inputs
from tenure.journey.milestones import JOURNEY_STATUSES, STATUSES, account_milestones, milestone_status
from tenure.journey.moments import moment_columns
from tenure.journey.overview import journey, stage_summary
from tenure.journey.stages import stage_column, stages

__all__ = [
    "HISTORY",
    "JOURNEY_STATUSES",
    "JourneyRefreshed",
    "SNAPSHOTS",
    "STATUSES",
    "account_milestones",
    "day_signals",
    "history_as_of",
    "journey",
    "journey_inputs",
    "milestone_status",
    "moment_columns",
    "refresh_journey",
    "snapshot_days",
    "stage_column",
    "stage_history",
    "stage_summary",
    "stages",
    "time_in_stage",
]
