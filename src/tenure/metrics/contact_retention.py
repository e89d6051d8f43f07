"""Retention after a support contact (docs/metrics/support.md#retention-after-a-support-contact), the
`contact_retention` family: accounts by the month of their tickets, and how many of them are still
customers, and still active, k months later.

    per ticket month M (month of created_at):
      accounts            distinct accounts with at least one ticket created in M (the cohort)
      for k in 0, 1, 2, 3, 6:
        customers_{k}m    cohort accounts with MRR > 0 at the end of month M + k (revenue's month-end
                          MRR: the after_mrr of the account's last movement up to then, metrics/ledger.py)
        active_{k}m       cohort accounts with at least one active day in month M + k (the daily
                          rollup, as in metrics/usage.py)
        customer_rate_{k}m, active_rate_{k}m   the counts / accounts

The cohort is every account that contacted support, customer or not: trials and lapsed accounts
ask for help too, and whether a contact keeps them is part of the question. customers_0m and
active_0m (the ticket month itself) are the baseline that tells "still" from "now" for a cohort.

An account with tickets in several months is in each of those cohorts. A figure for M + k is known
only once that month has ended: until then (M + k at or after the current month in the workspace
time zone) the count and its rate are null, never 0. Rates are also null when accounts is 0.
"""

from __future__ import annotations

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from tenure.metrics import breakdown as bd
from tenure.config.settings import Settings, WorkspaceSettings
from tenure.metrics.calendar import current_month, month_index_of
from tenure.metrics.ledger import month_end_mrr, movement_ledger
from tenure.metrics.numbers import ratio
from tenure.warehouse import Warehouse, refresh, rollup

OFFSETS = (0, 1, 2, 3, 6)  # months after the ticket month
COLUMNS = (
    "accounts",
    *[name for k in OFFSETS for name in (f"customers_{k}m", f"customer_rate_{k}m")],
    *[name for k in OFFSETS for name in (f"active_{k}m", f"active_rate_{k}m")],
)


def contact_retention(warehouse: Warehouse, first: int, last: int, *, settings: Settings,
                      by: str | None = None) -> ir.Table:
    """One row per ticket month index from first to last (per group with `by`), ordered."""
    breakdown = bd.resolve(warehouse, by, reserved=COLUMNS)
    refresh.require(warehouse, rollup.TABLE, rollup.definition(settings.events, warehouse.timezone))
    horizon = last + max(OFFSETS)

    tickets = warehouse.table("tickets")
    cohorts = tickets.select("account_id", month_index=month_index_of(tickets.created_at))
    cohorts = cohorts.filter(cohorts.month_index.between(first, last)).distinct()
    # The group is the account's at the ticket month (the plan then, with by=plan), before fanning out.
    cohorts = bd.attach(warehouse, cohorts, breakdown, workspace=settings.workspace)
    later = cohorts.mutate(k=ibis.literal(list(OFFSETS), type=dt.Array(dt.int64)).unnest())
    later = later.mutate(at_month=later.month_index + later.k)

    paying = _paying(warehouse, horizon, settings.workspace)
    later = later.left_join(
        paying,
        [later.account_id == paying.account_id, paying.valid_from <= later.at_month, later.at_month < paying.valid_to],
    ).select(later, paying=paying.account_id.notnull())
    active = _active_months(warehouse, first, horizon)
    later = later.left_join(
        active, [later.account_id == active.account_id, later.at_month == active.month_index]
    ).select(later, active=active.account_id.notnull())

    counts = later.group_by(bd.keys(breakdown)).aggregate(
        accounts=later.count(where=later.k == 0),  # each cohort account has one row per offset
        **{f"customers_{k}m": later.count(where=(later.k == k) & later.paying) for k in OFFSETS},
        **{f"active_{k}m": later.count(where=(later.k == k) & later.active) for k in OFFSETS},
    )
    rows = bd.join_onto(bd.grid(first, last, breakdown, counts), breakdown, counts)
    rows = rows.mutate(accounts=rows.accounts.fill_null(0).cast(dt.int64))
    # A month that has not ended cannot say who is still there: null, where an ended month says 0.
    now = current_month(warehouse.timezone)
    rows = rows.mutate(**{
        f"{kind}_{k}m": ibis.cases((rows.month_index + k < now, rows[f"{kind}_{k}m"].fill_null(0).cast(dt.int64)))
        for kind in ("customers", "active") for k in OFFSETS
    })
    rows = rows.mutate(
        **{f"customer_rate_{k}m": ratio(rows[f"customers_{k}m"], rows.accounts) for k in OFFSETS},
        **{f"active_rate_{k}m": ratio(rows[f"active_{k}m"], rows.accounts) for k in OFFSETS},
    )
    return bd.present(rows, breakdown, COLUMNS)


def _paying(warehouse: Warehouse, horizon: int, workspace: WorkspaceSettings) -> ir.Table:
    """account_id, valid_from, valid_to: the month intervals in which the account's month-end MRR is > 0."""
    states = month_end_mrr(movement_ledger(warehouse, workspace=workspace), horizon)
    return states.filter(states.mrr > 0).select("account_id", "valid_from", "valid_to")


def _active_months(warehouse: Warehouse, first: int, horizon: int) -> ir.Table:
    """account_id, month_index: the months from first to horizon in which the account had an active day."""
    activity = warehouse.table(rollup.TABLE)
    activity = activity.filter(activity.active).select("account_id", month_index=month_index_of(activity.day))
    return activity.filter(activity.month_index.between(first, horizon)).distinct()
