"""What happened to each customer after a snapshot day: the labels the health score is judged against
(docs/backtest.md#outcomes). Read from the revenue engine's movement ledger.

For a snapshot day d and a horizon of h days, the window is the days (d, d + h], days of the
workspace time zone. One row per account that is a customer at the end of d (MRR > 0, as the ledger
counts it: the `after_mrr` of its last movement on or before d):

    arr            12 x MRR at the end of d
    churned        a `churn` movement (MRR falls to 0) in the window: the MRR is 0 at some point in
                   it, even if the account comes back before the window ends
    churned_at     the day of the first such churn (null when not churned)
    contracted     not churned, and a `contraction` movement in the window
    renewal_due    a renewal (revenue.md#renewal-rows) falls due in the window
    renewed        every renewal due in the window renewed (MRR > 0 right after it); null when none is due
    arr_lost       12 x the churned and contracted MRR in the window, at most `arr`: the gross loss of
                   what was at stake at d (an expansion later lost again counts only up to `arr`)

A snapshot is only judged once its window has fully elapsed: `outcomes` refuses d + h after `today`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from tenure.config.settings import WorkspaceSettings
from tenure.errors import UsageError
from tenure.metrics.calendar import month_of
from tenure.metrics.fx import row_mrr
from tenure.metrics.ledger import movement_ledger
from tenure.metrics.numbers import MONEY
from tenure.metrics.renewals import due_instants, with_mrr_after
from tenure.warehouse import Warehouse
from tenure.warehouse.inline import inline_table

COLUMNS = ("account_id", "arr", "churned", "churned_at", "contracted", "renewal_due", "renewed", "arr_lost")


def outcomes(warehouse: Warehouse, day: date, horizon_days: int, *, today: date, workspace: WorkspaceSettings) -> ir.Table:
    """One row per customer at the end of `day`, with what happened in (day, day + horizon_days]."""
    return outcomes_on(warehouse, [day], horizon_days, today=today, workspace=workspace).drop("day")


def outcomes_on(warehouse: Warehouse, days: Sequence[date], horizon_days: int, *, today: date,
                workspace: WorkspaceSettings) -> ir.Table:
    """`day`, then outcomes' columns: every snapshot day's customers and outcomes in one query.

    The ledger is computed once for all of them: each movement meets the days whose end it precedes
    (for the MRR at each day) and the windows it falls in; each renewal due, the windows it falls in."""
    days = sorted(set(days))
    for day in days:
        end = day + timedelta(days=horizon_days)
        if end > today:
            raise UsageError(f"the window after {day} ends on {end}, after {today}: not fully observed yet")
    windows = inline_table(
        [{"day": d, "end": d + timedelta(days=horizon_days)} for d in days], {"day": dt.date, "end": dt.date}
    )
    ledger = movement_ledger(warehouse, workspace=workspace)
    ledger = ledger.mutate(on=ledger.at.date())
    keys = ["day", "account_id"]

    before = ledger.join(windows, ledger.on <= windows.day)
    # The ledger's running sum: the MRR at the end of d is the after_mrr of the last movement by then.
    at_day = before.group_by(keys).aggregate(mrr=before.after_mrr.argmax(before.at))
    customers = at_day.filter(at_day.mrr > 0)

    window = ledger.join(windows, (ledger.on > windows.day) & (ledger.on <= windows.end))
    lost_kinds = window.kind.isin(["churn", "contraction"])
    moved = window.group_by(keys).aggregate(
        churns=window.count(where=window.kind == "churn"),
        churned_at=window.on.min(where=window.kind == "churn"),
        contractions=window.count(where=window.kind == "contraction"),
        lost=window.amount.sum(where=lost_kinds),
    )
    renewals = _renewals(warehouse, windows, days[0], days[-1] + timedelta(days=horizon_days), workspace)
    rows = customers.left_join(moved, keys).left_join(renewals, keys)
    churned = rows.churns.fill_null(0) > 0
    lost = ibis.least(rows.lost.fill_null(0), rows.mrr)
    return rows.select(
        "day",
        "account_id",
        arr=(rows.mrr * 12).cast(MONEY),
        churned=churned,
        churned_at=rows.churned_at,
        contracted=~churned & (rows.contractions.fill_null(0) > 0),
        renewal_due=rows.due.fill_null(0) > 0,
        renewed=ibis.cases((rows.due.fill_null(0) > 0, rows.renewed_all)),
        arr_lost=(lost * 12).cast(MONEY),
    )


def _renewals(warehouse: Warehouse, windows: ir.Table, first: date, last: date, workspace: WorkspaceSettings) -> ir.Table:
    """day, account_id, due (renewals due in the day's window), renewed_all: the revenue engine's
    renewals due in (first, last], each counted in every window it falls in."""
    rows = row_mrr(warehouse, workspace=workspace)
    paid = rows.filter(rows.mrr > 0)
    due_rows = due_instants(paid, workspace.renewal_min_interval_months, month_of(first), month_of(last))
    due_rows = due_rows.filter((due_rows.due_at.date() > first) & (due_rows.due_at.date() <= last))
    due = due_rows.group_by(["account_id", "due_at"]).aggregate(
        due_mrr=due_rows.mrr.sum(), value_due=(due_rows.mrr * due_rows.interval_months).sum()
    )
    # Whether a renewal renewed is a fact of its instant, whichever windows it falls in.
    due = with_mrr_after(due, paid, due_rows)
    due = due.mutate(due_on=due.due_at.date())
    due = due.join(windows, (due.due_on > windows.day) & (due.due_on <= windows.end))
    return due.group_by(["day", "account_id"]).aggregate(due=due.count(), renewed_all=(due.mrr_after > 0).all())
