"""Activation and time to value by creation month (docs/metrics/adoption.md), the `activation` family.

    per month in which accounts were created:
      accounts_created           accounts whose created_at falls in the month
      activated                  of them, those that did every [events.activation] event before
                                 created_at + within_days days
      activation_rate            activated / accounts_created
      reached_value              of them, those with a first value: the first [events.value] event,
                                 or the first time they reached the [events.value] milestone
      time_to_value_days_median  over reached_value: first value day - creation day, in days
      time_to_value_days_p75     75th percentile of the same

Rates are null when accounts_created is 0; quantiles are null without values (linear interpolation,
like every quantile in tenure). Only each account's first time at each
activation and value event matters; `tenure refresh` keeps them in `_event_firsts` (warehouse/firsts.py),
so the family never scans the events.
"""

from __future__ import annotations

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from tenure.config.settings import EventsSettings, Settings
from tenure.metrics import breakdown as bd
from tenure.metrics.calendar import month_index_of
from tenure.metrics.numbers import ratio
from tenure.warehouse import Warehouse, firsts, refresh

COLUMNS = (
    "accounts_created", "activated", "activation_rate", "reached_value", "time_to_value_days_median",
    "time_to_value_days_p75",
)
_COUNTS = ("accounts_created", "activated", "reached_value")


def activation(warehouse: Warehouse, first: int, last: int, *, settings: Settings, by: str | None = None) -> ir.Table:
    """One row per creation month index from first to last (per group with `by`), ordered."""
    breakdown = bd.resolve(warehouse, by, reserved=COLUMNS)
    refresh.require(warehouse, firsts.TABLE, firsts.definition(settings.events, settings.journey))
    accounts = warehouse.table("accounts")
    created = accounts.select("account_id", "created_at", month_index=month_index_of(accounts.created_at))
    created = created.filter(created.month_index.between(first, last))

    activated = _activated(warehouse, created, settings.events)
    value = _first_value(warehouse, settings.events)
    facts = created.left_join(activated, "account_id").select(created, activated.activated)
    facts = facts.left_join(value, "account_id").select(facts, value.first_value)
    facts = facts.mutate(
        activated=facts.activated.fill_null(False),
        time_to_value_days=facts.first_value.date().delta(facts.created_at.date(), unit="day").cast(dt.float64),
    )
    facts = bd.attach(warehouse, facts, breakdown, workspace=settings.workspace)
    counts = facts.group_by(bd.keys(breakdown)).aggregate(
        accounts_created=facts.count(),
        activated=facts.count(where=facts.activated),
        reached_value=facts.count(where=facts.time_to_value_days.notnull()),
        time_to_value_days_median=facts.time_to_value_days.median(),
        time_to_value_days_p75=facts.time_to_value_days.quantile(0.75),
    )
    rows = bd.join_onto(bd.grid(first, last, breakdown, counts), breakdown, counts)
    rows = rows.mutate(**{c: rows[c].fill_null(0).cast("int64") for c in _COUNTS})
    rows = rows.mutate(activation_rate=ratio(rows.activated, rows.accounts_created))
    return bd.present(rows, breakdown, COLUMNS)


def _activated(warehouse: Warehouse, created: ir.Table, events: EventsSettings) -> ir.Table:
    """account_id, activated (true): the accounts that did every activation event inside their window."""
    criterion = events.activation
    wanted = sorted(set(criterion.events))
    events = _firsts(warehouse, wanted)
    done = events.join(created, events.account_id == created.account_id).filter(
        lambda t: t.at < t.created_at + ibis.interval(days=criterion.within_days)
    )
    kinds = done.group_by("account_id").aggregate(kinds=done.event.nunique())
    return kinds.filter(kinds.kinds == len(wanted)).select("account_id", activated=ibis.literal(True))


def _first_value(warehouse: Warehouse, events: EventsSettings) -> ir.Table:
    """account_id, first_value (timestamp): the first value event, or the first time at the milestone."""
    value = events.value
    if value.event is not None:
        events = _firsts(warehouse, [value.event])
        return events.select("account_id", first_value=events.at)
    milestones = warehouse.table("milestones")
    milestones = milestones.filter(milestones.milestone == value.milestone)
    return milestones.group_by("account_id").aggregate(first_value=milestones.achieved_at.min())


def _firsts(warehouse: Warehouse, names: list[str]) -> ir.Table:
    """account_id, event, at: each account's first time at each of the events (tenure refresh keeps them)."""
    known = warehouse.table(firsts.TABLE)
    return known.filter(known.nth == 1, known.event.isin(names)).select("account_id", "event", "at")
