"""The MRR movement ledger: one row per change of an account's MRR (docs/metrics/revenue.md#movements).

Each subscription row adds its MRR at `start_date` and removes it at `end_date`. The changes of one
account at one instant are netted, and a net change of 0 is no movement (switching to a plan of the
same price). Ordered by instant, the running sum of the changes is the account's MRR:

    after_mrr  = sum of the account's net changes up to and including `at`
    before_mrr = after_mrr - net change at `at`

    kind          condition                                            amount
    new           before = 0, the account's first movement             after - before
    reactivation  before = 0, any later movement (had MRR > 0 before)  after - before
    expansion     0 < before < after                                   after - before
    contraction   0 < after < before                                   before - after
    churn         before > 0, after = 0                                before

`amount` is always positive; `net_new_mrr` adds it for new, expansion and reactivation and
subtracts it for contraction and churn. Since row MRR is never negative, an account's first
movement always starts from 0, so "had MRR > 0 at an earlier time" is "is not the first movement".
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from tenure.config.settings import WorkspaceSettings
from tenure.metrics.calendar import label_expr, month_index_of
from tenure.metrics.fx import row_mrr
from tenure.metrics.numbers import MONEY
from tenure.warehouse import Warehouse

KINDS = ("new", "expansion", "reactivation", "contraction", "churn")
GAINS = ("new", "expansion", "reactivation")


def movements(warehouse: Warehouse, *, workspace: WorkspaceSettings, account: str | None = None) -> ir.Table:
    """The classified ledger, ordered by account and instant."""
    ledger = movement_ledger(warehouse, workspace=workspace, account=account)
    return ledger.order_by(["account_id", "at"])


def movement_ledger(warehouse: Warehouse, *, workspace: WorkspaceSettings, account: str | None = None) -> ir.Table:
    """Columns: account_id, at, month, month_index, kind, before_mrr, after_mrr, amount (unordered)."""
    rows = row_mrr(warehouse, workspace=workspace, account=account)
    paid = rows.filter(rows.mrr > 0)
    starts = paid.select("account_id", at=paid.start_date, delta=paid.mrr)
    ends = paid.filter(paid.end_date.notnull()).select("account_id", at=paid.end_date, delta=-paid.mrr)
    deltas = starts.union(ends, distinct=False)
    net = deltas.group_by(["account_id", "at"]).aggregate(delta=deltas.delta.sum())
    net = net.filter(net.delta != 0)

    history = ibis.window(group_by="account_id", order_by="at", rows=(None, 0))
    net = net.mutate(
        after_mrr=net.delta.sum().over(history),
        seq=ibis.row_number().over(group_by="account_id", order_by="at"),
    )
    net = net.mutate(before_mrr=net.after_mrr - net.delta)
    before, after = net.before_mrr, net.after_mrr
    kind = ibis.cases(
        ((before == 0) & (net.seq == 0), "new"),
        (before == 0, "reactivation"),
        (after == 0, "churn"),
        (after > before, "expansion"),
        else_="contraction",
    )
    net = net.mutate(month_index=month_index_of(net.at), kind=kind)
    return net.select(
        "account_id",
        "at",
        month=label_expr(net.month_index),
        month_index=net.month_index,
        kind=net.kind,
        before_mrr=net.before_mrr.cast(MONEY),
        after_mrr=net.after_mrr.cast(MONEY),
        amount=net.delta.abs().cast(MONEY),
    )


def month_end_mrr(ledger: ir.Table, until: int) -> ir.Table:
    """account_id, valid_from, valid_to, mrr: the account's MRR at the end of every month index m with
    valid_from <= m < valid_to, from the month of its first movement to `until` (valid_to is until + 1
    after its last change). An account's month-end MRR is the `after_mrr` of its last movement up to
    the end of that month, so it changes only in months with a movement: intervals, not a row per month."""
    last_in_month = ibis.row_number().over(group_by=["account_id", "month_index"], order_by=ibis.desc("at")) == 0
    ends = ledger.filter(last_in_month).select("account_id", valid_from="month_index", mrr="after_mrr")
    # A closed upper bound instead of a null keeps the joins on these intervals free of OR conditions.
    following = ends.valid_from.lead().over(group_by="account_id", order_by="valid_from")
    return ends.mutate(valid_to=following.fill_null(until + 1))
