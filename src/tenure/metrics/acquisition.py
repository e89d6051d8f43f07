"""Monthly acquisition rows (docs/metrics/acquisition.md): spend, new customers and what one costs.

    spend               sum of `spend.amount` of the month, in the reporting currency (MONEY)
    new_customers       accounts with a `new` movement in the month (the revenue ledger, ledger.py)
    new_mrr             the MRR those accounts started with (MONEY)
    cac                 = spend / new_customers                                  (MONEY)
    cac_payback_months  = cac / (new_mrr / new_customers x gross_margin)          (float64)
    ltv_to_cac          = ltv / cac, ltv from the revenue family's row of the month (float64)

Spend in another currency is converted at the rate of the month's first day, or the latest one at
most `fx_max_staleness_days` before it (fx.rates_on_days: the same rule as subscription rows). A
month without spend rows has spend 0. All figures are null where their denominator is 0.

Breakdowns: `by="channel"` (or "acquisition_channel") splits spend by `spend.channel` and new
customers by `accounts.acquisition_channel`; unsplit spend stays in its own channel `all`, new
customers without a channel are "(none)". ltv is the whole company's. Any other breakdown splits
new customers only: spend is recorded per channel, not per segment, so spend, cac, payback and
ltv_to_cac are null there.
"""

from __future__ import annotations

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from tenure.config.settings import Settings, WorkspaceSettings
from tenure.metrics import breakdown as bd
from tenure.metrics.calendar import label_expr, month_index_of
from tenure.metrics.fx import rates_on_days
from tenure.metrics.ledger import movement_ledger
from tenure.metrics.numbers import MONEY, ratio, to_money
from tenure.metrics.revenue import revenue
from tenure.warehouse import Warehouse

COLUMNS = ("spend", "new_customers", "new_mrr", "cac", "cac_payback_months", "ltv_to_cac")
CHANNEL = ("channel", "acquisition_channel")
_RATE = dt.Decimal(38, 10)  # FX rates keep their 10 decimals, as in fx.row_mrr


def acquisition(warehouse: Warehouse, first: int, last: int, *, settings: Settings, by: str | None = None) -> ir.Table:
    """One row per month index from first to last (per group with `by`), ordered."""
    if by in CHANNEL:
        breakdown = bd.Breakdown(by, "column", "acquisition_channel")
    else:
        breakdown = bd.resolve(warehouse, by, reserved=COLUMNS)
    news = movement_ledger(warehouse, workspace=settings.workspace)
    news = news.filter((news.kind == "new") & news.month_index.between(first, last))
    news = bd.attach(warehouse, news, breakdown, workspace=settings.workspace)
    won = news.group_by(bd.keys(breakdown)).aggregate(new_customers=news.count(), new_mrr=news.amount.sum())

    # Spend is recorded per channel, so only a channel breakdown can split it.
    split_spend = by in CHANNEL
    spend = _spend(warehouse, first, last, settings.workspace)
    if split_spend:
        spend = spend.mutate(**{bd.GROUP: spend.channel.fill_null(bd.NONE)})
    spent = spend.group_by(bd.keys(breakdown if split_spend else None)).aggregate(spend=spend.amount.sum())

    if breakdown is None or split_spend:
        rows = bd.join_onto(bd.grid(first, last, breakdown, won, spent), breakdown, won, spent)
        rows = rows.mutate(spend=rows.spend.fill_null(0).cast(MONEY))
    else:
        rows = bd.join_onto(bd.grid(first, last, breakdown, won), breakdown, won)
        rows = rows.mutate(spend=ibis.null(MONEY))

    rows = rows.mutate(
        new_customers=rows.new_customers.fill_null(0).cast("int64"), new_mrr=rows.new_mrr.fill_null(0).cast(MONEY)
    )
    rows = rows.mutate(cac=ibis.cases((rows.new_customers > 0, to_money(rows.spend / rows.new_customers))))
    margin = settings.workspace.gross_margin
    average_new_mrr = ibis.cases((rows.new_customers > 0, rows.new_mrr.cast("float64") / rows.new_customers))
    rows = rows.mutate(cac_payback_months=ratio(rows.cac, average_new_mrr * margin), label=label_expr(rows.month_index))
    ltv = revenue(warehouse, first, last, settings=settings).select(ltv_month="month", ltv="ltv")
    joined = rows.left_join(ltv, rows.label == ltv.ltv_month)
    rows = joined.select(rows, ltv_to_cac=ratio(joined.ltv, joined.cac))
    return bd.present(rows, breakdown, COLUMNS)


def _spend(warehouse: Warehouse, first: int, last: int, workspace: WorkspaceSettings) -> ir.Table:
    """Spend rows of the months with `month_index`, `channel` and `amount` in the reporting currency."""
    reporting = workspace.currency
    spend = warehouse.table("spend")
    spend = spend.mutate(month_index=month_index_of(spend.month), day=spend.month)
    spend = spend.filter(spend.month_index.between(first, last))
    # Zero amounts are worth 0 in any currency and need no rate, as in fx.row_mrr.
    rates = rates_on_days(warehouse, spend.filter((spend.currency != reporting) & (spend.amount > 0)), day="day",
                          workspace=workspace)
    spend = spend.left_join(rates, ["currency", "day"]).select(spend, fx_rate=rates.rate)
    # Widen before multiplying, as fx.row_mrr does: DECIMAL(18,6) x DECIMAL(18,10) overflows 18 digits.
    converted = to_money(spend.amount.cast(MONEY) * spend.fx_rate.cast(_RATE))
    amount = ibis.ifelse(spend.currency == reporting, spend.amount.cast(MONEY), converted.fill_null(0))
    return spend.select("month_index", "channel", amount=amount)
