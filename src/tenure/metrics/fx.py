"""The MRR of each subscription row, in the reporting currency (docs/metrics/revenue.md).

    row MRR = round(amount x rate / interval_months, 6)        as DECIMAL(38, 6), a half away from zero
    row MRR = 0                                                  when is_trial

`rate` is 1 for the reporting currency (`workspace.currency`); for another currency it is the
latest `fx_rates` row for that currency dated on or before the row's start day (the date of
`start_date` in the workspace time zone) and at most `fx_max_staleness_days` days before it.
The rate is fixed at the start, so a row's MRR is constant and exchange-rate changes never create
movements. A row that needs a rate and has none is a DataError naming the currency and the day:
never a silent 1.0. Trial rows and rows with amount 0 are worth 0 in any currency and need no rate.

Division turns decimals into binary floats on DuckDB, where a tie at the 7th decimal rounded by
binary accident (91,824.90 EUR / 12 at 1.0447 = 7,994.1227525 came out .122752); row MRR is therefore
divided exactly (numbers.divide_money) and rounded to 1e-6 of the reporting currency once, here, a
half away from zero. Everything downstream is sums and differences of these exact decimals, which is
why `mrr[m] = mrr[m-1] + net_new_mrr[m]` holds to the last digit.
"""

from __future__ import annotations

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from tenure.config.settings import WorkspaceSettings
from tenure.errors import DataError
from tenure.metrics.numbers import MONEY, divide_money
from tenure.warehouse import Warehouse

_RATE = dt.Decimal(38, 10)


def row_mrr(warehouse: Warehouse, *, workspace: WorkspaceSettings, account: str | None = None) -> ir.Table:
    """Subscription rows with `start_day`, `rate` and `mrr` (reporting currency); raises DataError on a missing rate."""
    reporting = workspace.currency
    subs = warehouse.table("subscriptions")
    if account is not None:
        subs = subs.filter(subs.account_id == account)
    rows = subs.mutate(start_day=subs.start_date.date(), is_trial=subs.is_trial.fill_null(False))
    # Trials and free rows are worth 0 in any currency, so they need no rate.
    needs_rate = (rows.currency != reporting) & ~rows.is_trial & (rows.amount > 0)
    rates = rates_on_days(warehouse, rows.filter(needs_rate), day="start_day", workspace=workspace)
    rows = rows.left_join(rates, ["currency", "start_day"]).select(rows, fx_rate=rates.rate)
    rate = ibis.ifelse(rows.currency == reporting, ibis.literal(1, _RATE), rows.fx_rate.cast(_RATE))
    # Widen before multiplying: DECIMAL(18,6) x DECIMAL(18,10) overflows DuckDB's 18-digit product.
    converted = rows.amount.cast(MONEY) * rate
    mrr = ibis.ifelse(rows.is_trial, ibis.literal(0, MONEY), divide_money(converted, rows.interval_months))
    return rows.mutate(rate=rate, mrr=mrr).drop("fx_rate")


def rates_on_days(warehouse: Warehouse, rows: ir.Table, *, day: str, workspace: WorkspaceSettings) -> ir.Table:
    """(currency, day, rate) for every distinct (currency, day) pair of the rows: the latest rate dated
    on or at most `fx_max_staleness_days` before the day. Raises DataError when a pair has none."""
    staleness = workspace.fx_max_staleness_days
    pairs = rows.select("currency", day).distinct()
    fx = warehouse.table("fx_rates")
    # A range join plus a window instead of an as-of join, which Spark lacks.
    candidates = pairs.join(
        fx,
        [
            pairs.currency == fx.currency,
            fx.date <= pairs[day],
            fx.date >= pairs[day] - ibis.interval(days=staleness),
        ],
    ).select(pairs.currency, pairs[day], fx.date, fx.rate)
    newest = ibis.row_number().over(group_by=["currency", day], order_by=ibis.desc("date"))
    found = candidates.mutate(newest=newest).filter(lambda t: t.newest == 0).select("currency", day, "rate")
    _raise_on_missing(pairs.anti_join(found, ["currency", day]), staleness, day)
    return found


def _raise_on_missing(missing: ir.Table, staleness: int, day: str) -> None:
    first = missing.order_by([day, "currency"]).limit(3).to_pyarrow().to_pylist()
    if not first:
        return
    window = f"on or up to {staleness} days before" if staleness else "on"
    named = "; ".join(f"no {row['currency']} rate {window} {row[day].isoformat()}" for row in first)
    total = missing.count().to_pyarrow().as_py()
    more = f" (and {total - len(first)} more)" if total > len(first) else ""
    raise DataError(f"{named}{more}; load fx_rates (units of the reporting currency per unit of that currency)")
