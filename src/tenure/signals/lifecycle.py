"""Lifecycle signals: activation, time to value and milestones, as of a day (docs/signals.md).

The definitions are the activation family's (tenure.metrics.activation, docs/metrics/adoption.md),
read point-in-time:

    activated            every [events.activation] event done before created_at + within_days, and on
                         or before as_of; false until then
    time_to_value_days   first value day - creation day, where the first value is the first
                         [events.value] event (or the first time at the [events.value] milestone) on or
                         before as_of; null until it is reached
    milestones_reached   rows of `milestones` achieved on or before as_of

Each account's first time at each activation and value event comes from `_event_firsts` (built by
`tenure refresh`, warehouse/firsts.py): a first occurrence is reached by as_of exactly when it is on
or before as_of, so no day asked scans the events.
"""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.types as ir

from tenure.config.journey import JourneySettings
from tenure.config.settings import EventsSettings
from tenure.warehouse import Warehouse, firsts, refresh
from tenure.warehouse.localday import on_or_before


def lifecycle(warehouse: Warehouse, accounts: ir.Table, as_of: date, *, events: EventsSettings,
              journey: JourneySettings) -> ir.Table:
    """account_id, activated, first_value_day for the accounts (account_id, created_at) given; `journey`
    is for the staleness check of `_event_firsts`, which also keeps the milestones' events."""
    criterion, value = events.activation, events.value
    wanted = sorted(set(criterion.events))
    names = sorted(set(wanted) | ({value.event} if value.event is not None else set()))
    refresh.require(warehouse, firsts.TABLE, firsts.definition(events, journey))
    known = warehouse.table(firsts.TABLE)
    # "On or before as_of" as one instant compared with each timestamp: no time-zone conversion per row.
    zone = warehouse.timezone
    known = known.filter(known.nth == 1, known.event.isin(names), on_or_before(known.at, as_of, zone))
    first = known.select("account_id", "event", first_at=known.at)

    joined = first.join(accounts, first.account_id == accounts.account_id).select(
        first.account_id, first.event, first.first_at, accounts.created_at
    )
    in_window = joined.event.isin(wanted) & (
        joined.first_at < joined.created_at + ibis.interval(days=criterion.within_days)
    )
    figures = {"activation_events": joined.event.nunique(where=in_window)}
    if value.event is not None:
        figures["first_value_at"] = joined.first_at.min(where=joined.event == value.event)
    per_account = joined.group_by("account_id").aggregate(**figures)
    per_account = per_account.mutate(activated=per_account.activation_events == len(wanted))
    if value.event is not None:
        return per_account.select("account_id", "activated", first_value_day=per_account.first_value_at.date())
    milestones = warehouse.table("milestones")
    reached = milestones.filter(milestones.milestone == value.milestone, on_or_before(milestones.achieved_at, as_of, zone))
    reached = reached.group_by("account_id").aggregate(first_value_day=reached.achieved_at.min().date())
    # An account may have reached the value milestone without any activation event: an outer join keeps both.
    both = per_account.outer_join(reached, "account_id")
    return both.select(
        account_id=ibis.coalesce(both.account_id, both.account_id_right),
        activated=both.activated,
        first_value_day=both.first_value_day,
    )


def milestones_reached(warehouse: Warehouse, as_of: date) -> ir.Table:
    """account_id, milestones_reached: milestone rows achieved on or before as_of."""
    zone = warehouse.timezone
    milestones = warehouse.table("milestones")
    milestones = milestones.filter(on_or_before(milestones.achieved_at, as_of, zone))
    return milestones.group_by("account_id").aggregate(milestones_reached=milestones.count())
