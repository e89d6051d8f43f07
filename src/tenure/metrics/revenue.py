"""Monthly revenue rows (docs/metrics/revenue.md): MRR, movements, churn rates, NRR/GRR, quick ratio, LTV.

Built from the movement ledger (tenure.metrics.ledger) on a month spine that runs from the earliest
movement to the last month asked for, so an empty month is a row of zeros and the running sums
start at the beginning of history. Months are calendar months in the workspace time zone.

    new_mrr, expansion_mrr, ...  sums of the movements of each kind inside the month (all >= 0)
    net_new_mrr      = new + expansion + reactivation - contraction - churned
    mrr[m]           = sum of net_new_mrr up to m     (so mrr[m] = mrr[m-1] + net_new_mrr[m] exactly)
    arr              = 12 x mrr
    new_customers, reactivated_customers, churned_customers = counts of those movements
    customers[m]     = customers[m-1] + new + reactivated - churned customers
    arpa             = mrr / customers

Rates are floats over start-of-month values (the previous month's end), null when the denominator is 0:

    customer_churn_rate = accounts that were customers at the start and churned in the month / customers[m-1]
    gross_mrr_churn_rate = (churned + contraction) / mrr[m-1]
    net_mrr_churn_rate   = (churned + contraction - expansion - reactivation) / mrr[m-1]
    quick_ratio          = (new + expansion + reactivation) / (churned + contraction)
    nrr_12m = sum over base accounts of MRR at the end of m / their MRR at the end of m-12
    grr_12m = the same with each account's MRR at m capped at its MRR at m-12
              (base = accounts with MRR > 0 at the end of m-12)
    ltv     = arpa x gross_margin / mean of the non-null customer_churn_rate of months m-6..m-1
              (null when that mean is 0 or there is none)
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from tenure.config.settings import Settings
from tenure.metrics.calendar import label_expr, month_spine_of
from tenure.metrics.ledger import KINDS, month_end_mrr, movement_ledger
from tenure.metrics.numbers import MONEY, ratio, to_money
from tenure.warehouse import Warehouse

# Output column of each movement kind: its MRR sum, and its count when the kind changes who is a customer.
MRR_OF = {"new": "new_mrr", "expansion": "expansion_mrr", "reactivation": "reactivation_mrr",
          "contraction": "contraction_mrr", "churn": "churned_mrr"}
COUNT_OF = {"new": "new_customers", "reactivation": "reactivated_customers", "churn": "churned_customers"}
LTV_CHURN_MONTHS = 6

COLUMNS = (
    "month", "mrr", "arr", "customers", "arpa", "new_mrr", "expansion_mrr", "contraction_mrr", "churned_mrr",
    "reactivation_mrr", "net_new_mrr", "new_customers", "reactivated_customers", "churned_customers",
    "customer_churn_rate", "gross_mrr_churn_rate", "net_mrr_churn_rate", "quick_ratio", "nrr_12m", "grr_12m", "ltv",
)


def revenue(warehouse: Warehouse, first: int, last: int, *, settings: Settings) -> ir.Table:
    """One row per month index from first to last inclusive, ordered by month."""
    ledger = movement_ledger(warehouse, workspace=settings.workspace)
    spine = _history_spine(ledger, first, last)
    monthly = _monthly_movements(ledger)
    rows = spine.left_join(monthly, "month_index").select(
        spine.month_index, *[monthly[c].fill_null(0).name(c) for c in monthly.columns if c != "month_index"]
    )
    rows = rows.mutate(
        net_new_mrr=rows.new_mrr + rows.expansion_mrr + rows.reactivation_mrr - rows.contraction_mrr - rows.churned_mrr
    )
    to_date = ibis.window(order_by="month_index", rows=(None, 0))
    rows = rows.mutate(
        mrr=rows.net_new_mrr.sum().over(to_date),
        customers=(rows.new_customers + rows.reactivated_customers - rows.churned_customers).sum().over(to_date),
    )
    # Start-of-month values; the spine starts where history does, so before it everything was 0.
    rows = rows.mutate(
        mrr_start=rows.mrr.lag().over(order_by="month_index").fill_null(0),
        customers_start=rows.customers.lag().over(order_by="month_index").fill_null(0),
    )
    losses = rows.churned_mrr + rows.contraction_mrr
    gains = rows.new_mrr + rows.expansion_mrr + rows.reactivation_mrr
    rows = rows.mutate(
        arpa=ibis.cases((rows.customers > 0, to_money(rows.mrr / rows.customers))),
        customer_churn_rate=ratio(rows.churned_start_customers, rows.customers_start),
        gross_mrr_churn_rate=ratio(losses, rows.mrr_start),
        net_mrr_churn_rate=ratio(losses - rows.expansion_mrr - rows.reactivation_mrr, rows.mrr_start),
        quick_ratio=ratio(gains, losses),
    )
    trailing = ibis.window(order_by="month_index", rows=(-LTV_CHURN_MONTHS, -1))
    rows = rows.mutate(trailing_churn=rows.customer_churn_rate.mean().over(trailing))
    margin = settings.workspace.gross_margin
    rows = rows.mutate(ltv=ibis.cases((rows.trailing_churn > 0, to_money(rows.arpa * margin / rows.trailing_churn))))

    rows = rows.filter(rows.month_index.between(first, last))
    retention = _retention_12m(ledger, spine.filter(spine.month_index >= first), last)
    rows = rows.left_join(retention, "month_index").select(rows, retention.nrr_12m, retention.grr_12m)
    return rows.mutate(
        month=label_expr(rows.month_index),
        arr=(rows.mrr * 12).cast(MONEY),
        mrr=rows.mrr.cast(MONEY),
        **{c: rows[c].cast(MONEY) for c in (*MRR_OF.values(), "net_new_mrr")},
        **{c: rows[c].cast("int64") for c in (*COUNT_OF.values(), "customers")},
    ).order_by("month_index").select(*COLUMNS)


def _history_spine(ledger: ir.Table, first: int, last: int) -> ir.Table:
    """Month indexes from the earliest movement (or `first`, if earlier or there is none) to `last`."""
    bounds = ledger.aggregate(earliest=ledger.month_index.min())
    return month_spine_of(bounds, ibis.least(bounds.earliest.fill_null(first), first), last)


def _monthly_movements(ledger: ir.Table) -> ir.Table:
    """Per month index: the MRR of each kind, the counts, and start-of-month customers who churned."""
    sums = {MRR_OF[k]: ledger.amount.sum(where=ledger.kind == k) for k in KINDS}
    counts = {COUNT_OF[k]: ledger.count(where=ledger.kind == k) for k in COUNT_OF}
    totals = ledger.group_by("month_index").aggregate(**sums, **counts)

    # An account was a customer at the start of the month when its first movement in it starts above 0.
    first_in_month = ibis.row_number().over(group_by=["account_id", "month_index"], order_by="at") == 0
    flagged = ledger.mutate(was_customer=first_in_month & (ledger.before_mrr > 0), churned=ledger.kind == "churn")
    accounts = flagged.group_by(["account_id", "month_index"]).aggregate(
        was_customer=flagged.was_customer.any(), churned=flagged.churned.any()
    )
    lost = accounts.filter(accounts.was_customer & accounts.churned)
    lost = lost.group_by("month_index").aggregate(churned_start_customers=lost.count())
    return totals.left_join(lost, "month_index").select(totals, lost.churned_start_customers)


def _retention_12m(ledger: ir.Table, spine: ir.Table, last: int) -> ir.Table:
    """nrr_12m and grr_12m per month index of the spine (ending at `last`), for months that have a base."""
    states = month_end_mrr(ledger, last)
    then = spine.month_index - 12
    base = spine.join(states, [states.valid_from <= then, then < states.valid_to])
    base = base.filter(base.mrr > 0).select("month_index", "account_id", base_mrr="mrr")
    now = states.view()
    paired = base.left_join(
        now, [base.account_id == now.account_id, now.valid_from <= base.month_index, base.month_index < now.valid_to]
    ).select(base.month_index, base.base_mrr, now_mrr=now.mrr.fill_null(0))
    sums = paired.group_by("month_index").aggregate(
        base=paired.base_mrr.sum(),
        now=paired.now_mrr.sum(),
        kept=ibis.least(paired.now_mrr, paired.base_mrr).sum(),
    )
    return sums.select("month_index", nrr_12m=ratio(sums.now, sums.base), grr_12m=ratio(sums.kept, sums.base))

