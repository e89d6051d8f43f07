"""What the journey's rules read: each account's signals plus the signals the journey adds.

    journey_inputs(warehouse, signals, as_of) signals + every JOURNEY_SIGNALS column it lacks:
      ever_paid                  a paid row (not is_trial, amount > 0) started on or before as_of
      on_trial                   a trial row live at the end of as_of, and no paid row live then
      in_renewal_window          0 <= days_to_renewal <= [journey] renewal_window_days
      milestones_applicable, milestones_reached_total, milestones_reached_30d, milestone_progress,
      journey_status             from the milestone status (milestones.py)
      promoter_after_milestone   the latest NPS response on or before as_of was given in the last 30
                                 days, scored 9 or 10, and came on or after a reached milestone's day
"""

from __future__ import annotations

from datetime import date, timedelta

import ibis
import ibis.expr.types as ir

from tenure.config.journey import JourneySettings
from tenure.config.settings import EventsSettings
from tenure.journey.milestones import RECENT_DAYS, account_milestones, milestone_status
from tenure.metrics.per_account import join_figures
from tenure.warehouse import Warehouse
from tenure.warehouse.localday import after, on_or_after, on_or_before

PROMOTER = 9


def journey_inputs(warehouse: Warehouse, signals: ir.Table, as_of: date, *, events: EventsSettings,
                   journey: JourneySettings) -> ir.Table:
    """signals with the journey's own columns added (module docstring); one row per account of signals."""
    status = milestone_status(warehouse, as_of, events=events, journey=journey)
    billing, promoters = _billing(warehouse, as_of), _promoters(warehouse, status, as_of)
    rows = join_figures(
        signals,
        (billing, dict.fromkeys(billing.columns, False)),
        (account_milestones(status, as_of), {}),
        (promoters, dict.fromkeys(promoters.columns, False)),
    )
    window = journey.renewal_window_days
    return rows.mutate(
        in_renewal_window=rows.days_to_renewal.between(0, window).fill_null(False),
        # Accounts without milestones configured (or none applicable) count as on track.
        journey_status=rows.journey_status.fill_null("on_track"),
        milestones_applicable=rows.milestones_applicable.fill_null(0),
        milestones_reached_total=rows.milestones_reached_total.fill_null(0),
        milestones_reached_30d=rows.milestones_reached_30d.fill_null(0),
    )


def _billing(warehouse: Warehouse, as_of: date) -> ir.Table:
    """account_id, ever_paid, on_trial from the subscription rows started on or before as_of."""
    zone = warehouse.timezone
    subs = warehouse.table("subscriptions")
    subs = subs.filter(on_or_before(subs.start_date, as_of, zone))
    trial = subs.is_trial.fill_null(False)
    live = subs.end_date.isnull() | after(subs.end_date, as_of, zone)
    paid = ~trial & (subs.amount > 0)
    per = subs.group_by("account_id").aggregate(
        paid_rows=subs.count(where=paid), live_trials=subs.count(where=trial & live),
        live_paid=subs.count(where=paid & live),
    )
    return per.select("account_id", ever_paid=per.paid_rows > 0, on_trial=(per.live_trials > 0) & (per.live_paid == 0))


def _promoters(warehouse: Warehouse, status: ir.Table, as_of: date) -> ir.Table:
    """account_id, promoter_after_milestone (module docstring)."""
    zone = warehouse.timezone
    answers = warehouse.table("surveys")
    answers = answers.filter(answers.kind.lower() == "nps", on_or_before(answers.responded_at, as_of, zone))
    latest = ibis.row_number().over(group_by="account_id",
                                    order_by=[ibis.desc("responded_at"), ibis.desc("response_id")])
    answers = answers.mutate(latest=latest)
    answers = answers.filter(answers.latest == 0, answers.score >= PROMOTER,
                             on_or_after(answers.responded_at, as_of - timedelta(days=RECENT_DAYS - 1), zone))
    firsts = status.group_by("account_id").aggregate(first_reached=status.reached_at.min())
    joined = answers.join(firsts, "account_id")
    return joined.select(
        "account_id", promoter_after_milestone=(joined.responded_at.date() >= joined.first_reached.date()).fill_null(False)
    )
