"""Monthly renewal rows, keyed by the month in which renewals fall due (docs/metrics/revenue.md).

A paid, non-trial subscription row with `interval_months >= renewal_min_interval_months` is up for
renewal on each anniversary `start_date + k x interval_months months` (k >= 1, calendar months in
the workspace time zone) up to and including its `end_date`; an open-ended row up to the end of the
last month asked for. An anniversary after now has not happened yet and is never due.

The rows of one account due at the same instant form one renewal (`due` counts these
(account, due instant) pairs):

    value_due     = sum of row MRR x interval_months over the due rows
    mrr_after     = account MRR right after the instant (rows with start <= t < end: a row starting
                    at t counts, a row ending at t does not)
    renewed       = mrr_after > 0
    renewed_mrr   = mrr_after - MRR of the account's other rows running through t unchanged
                    (rows that started before t, end after it, and are not due at t)
    renewed_value = renewed_mrr x value_due / (MRR of the due rows)    (same term as the due rows)

    logo_renewal_rate         = renewed / due
    gross_dollar_renewal_rate = sum of min(renewed_value, value_due) / sum of value_due
    net_dollar_renewal_rate   = sum of renewed_value / sum of value_due

Rates are floats, null when the month has nothing due.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from tenure.config.settings import Settings
from tenure.metrics.calendar import label_expr, month_index_of, month_spine_of
from tenure.metrics.fx import row_mrr
from tenure.metrics.numbers import MONEY, ratio, to_money
from tenure.warehouse import Warehouse

COLUMNS = (
    "month", "due", "renewed", "logo_renewal_rate", "value_due", "gross_dollar_renewal_rate", "net_dollar_renewal_rate",
)
_KEY = ("subscription_id", "start_date")


def renewals(warehouse: Warehouse, first: int, last: int, *, settings: Settings) -> ir.Table:
    """One row per due month from first to last inclusive, ordered by month."""
    rows = row_mrr(warehouse, workspace=settings.workspace)
    paid = rows.filter(rows.mrr > 0)
    due_rows = due_instants(paid, settings.workspace.renewal_min_interval_months, first, last)
    renewals = due_rows.group_by(["account_id", "due_at"]).aggregate(
        due_mrr=due_rows.mrr.sum(), value_due=(due_rows.mrr * due_rows.interval_months).sum()
    )
    renewals = with_mrr_after(renewals, paid, due_rows)
    renewed_value = to_money(renewals.renewed_mrr * renewals.value_due / renewals.due_mrr)
    renewals = renewals.mutate(month_index=month_index_of(renewals.due_at), renewed_value=renewed_value)

    monthly = renewals.group_by("month_index").aggregate(
        due=renewals.count(),
        renewed=renewals.count(where=renewals.mrr_after > 0),
        value_due=renewals.value_due.sum(),
        kept_value=ibis.least(renewals.renewed_value, renewals.value_due).sum(),
        renewed_value=renewals.renewed_value.sum(),
    )
    spine = month_spine_of(monthly.aggregate(months=monthly.count()), first, last)
    out = spine.left_join(monthly, "month_index").select(
        spine.month_index,
        due=monthly.due.fill_null(0),
        renewed=monthly.renewed.fill_null(0),
        value_due=monthly.value_due.fill_null(0).cast(MONEY),
        kept_value=monthly.kept_value,
        renewed_value=monthly.renewed_value,
    )
    return out.mutate(
        month=label_expr(out.month_index),
        logo_renewal_rate=ratio(out.renewed, out.due),
        gross_dollar_renewal_rate=ratio(out.kept_value, out.value_due),
        net_dollar_renewal_rate=ratio(out.renewed_value, out.value_due),
    ).order_by("month_index").select(*COLUMNS)


def due_instants(paid: ir.Table, min_interval: int, first: int, last: int) -> ir.Table:
    """One row per (subscription row, anniversary) due in months first..last, with `due_at`."""
    eligible = paid.filter(paid.interval_months >= min_interval)
    start_month = month_index_of(eligible.start_date)
    horizon = ibis.least(month_index_of(eligible.end_date).fill_null(last), last)
    # Enough k to reach the horizon month; anniversaries past it are filtered below.
    count = (horizon - start_month) // eligible.interval_months + 1
    expanded = eligible.mutate(k=ibis.range(1, count + 1).unnest().cast("int64"))
    # Each anniversary is computed from the start, so month-end clamping (Jan 31 -> Feb 29) never drifts.
    due_at = expanded.start_date + (expanded.k * expanded.interval_months).as_interval("M")
    expanded = expanded.mutate(due_at=due_at)
    due_month = month_index_of(expanded.due_at)
    return expanded.filter(
        expanded.end_date.isnull() | (expanded.due_at <= expanded.end_date),
        expanded.due_at <= ibis.now(),
        due_month.between(first, last),
    )


def with_mrr_after(renewals: ir.Table, paid: ir.Table, due_rows: ir.Table) -> ir.Table:
    """Add mrr_after (the account's MRR right after the due instant) and renewed_mrr to each renewal."""
    live = paid.view()
    # An equi-join on the account, then the time condition as a filter: an OR inside the join
    # condition made DuckDB fall back to a nested-loop join (12 s instead of 0.3 s at 100k accounts).
    after = renewals.join(live, renewals.account_id == live.account_id).select(
        renewals.account_id, renewals.due_at, *[live[c].name(c) for c in _KEY],
        mrr=live.mrr, end_date=live.end_date,
    )
    after = after.filter(
        after.start_date <= after.due_at, after.end_date.isnull() | (after.due_at < after.end_date)
    ).drop("end_date")
    # Rows that run through the instant unchanged and are not themselves due belong to another contract.
    due_keys = due_rows.select("account_id", "due_at", *_KEY)
    through = after.filter(after.start_date < after.due_at)
    other = through.anti_join(due_keys, ["account_id", "due_at", *_KEY])
    other = other.group_by(["account_id", "due_at"]).aggregate(other_mrr=other.mrr.sum())
    totals = after.group_by(["account_id", "due_at"]).aggregate(mrr_after=after.mrr.sum())
    # A renewal with no live row after its instant has MRR 0 after it: a left join keeps it.
    joined = renewals.left_join(totals, ["account_id", "due_at"]).left_join(other, ["account_id", "due_at"])
    joined = joined.select(
        renewals, mrr_after=totals.mrr_after.fill_null(0), other_mrr=other.other_mrr.fill_null(0)
    )
    return joined.mutate(renewed_mrr=joined.mrr_after - joined.other_mrr)

