"""Signup cohorts as sBG survival tables, built in the engine from the MRR movement ledger
(docs/metrics/lifetime.md#cohorts).

A customer's lifetime runs from her first paid movement (`new` in the ledger) to her first `churn`
(MRR dropping to 0); a later reactivation does not bring her back. With f and c the month indexes
of those two instants, k the months per period (1, 3 or 12) and M the month of the as-of day:

    cohort            f rounded down to the first month of its month, quarter or year
    alive in period t (c - f) // k >= t, or she has not churned: she was a customer at the end of
                      month f + k t - 1, as the revenue engine counts customers at a month's end
    horizon T         (M - last month of the cohort) // k: the periods that have fully elapsed for
                      every member, so a cohort's table stops where its latest signup's data stops
    survivors n_t     customers of the cohort alive in period t, for t = 0..T (n_0 = cohort size)

Cohorts with T < 1 (still signing up, or no period elapsed yet) have nothing to fit and are left out.
Churn dated after the as-of month (a cancellation that takes effect later) is past every horizon.

Period 1 is the signup period itself: n_1 counts who is still paying at its end, which on monthly
contracts is nearly everyone (the first renewal falls in the next month). `period_label` names the
periods so: "signup month", then "month +1", "month +2", ... (the periods after it).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

import pyarrow as pa

from tenure.config.settings import WorkspaceSettings
from tenure.errors import DataError, UsageError
from tenure.metrics.calendar import label_expr, month_index_of
from tenure.metrics.ledger import movement_ledger
from tenure.warehouse import Warehouse

# Months per signup cohort and per sBG period, by name.
MONTHS = {"month": 1, "quarter": 3, "year": 12}


def lifetimes(warehouse: Warehouse, *, workspace: WorkspaceSettings) -> ir.Table:
    """Per account with a paid movement: first_paid_at, churned_at (the first churn, or null), and
    their month indexes first_month and churn_month."""
    ledger = movement_ledger(warehouse, workspace=workspace)
    life = ledger.group_by("account_id").aggregate(
        first_paid_at=ledger.at.min(),
        churned_at=ledger.at.min(where=ledger.kind == "churn"),
    )
    return life.mutate(first_month=month_index_of(life.first_paid_at), churn_month=month_index_of(life.churned_at))


def in_segment(warehouse: Warehouse, life: ir.Table, segment: str | None) -> ir.Table:
    """The lifetimes of accounts whose accounts.segment is `segment` (all of them when None)."""
    if segment is None:
        return life
    accounts = warehouse.table("accounts")
    chosen = accounts.filter(accounts.segment == segment).select(chosen_id=accounts.account_id)
    return life.semi_join(chosen, life.account_id == chosen.chosen_id)


def cohort_lifetimes(
    warehouse: Warehouse,
    *,
    workspace: WorkspaceSettings,
    as_of_month: int,
    cohort: str = "month",
    period: str = "month",
    first: int | None = None,
    last: int | None = None,
    segment: str | None = None,
) -> ir.Table:
    """The lifetimes of the customers in the fitted cohorts, with cohort_start, horizon and lost_in
    (the first period she is not alive in; null while she has not churned)."""
    size, k = _months(cohort, "cohort"), _months(period, "period")
    life = in_segment(warehouse, lifetimes(warehouse, workspace=workspace), segment)
    life = life.mutate(cohort_start=life.first_month - life.first_month % size)
    life = life.mutate(horizon=(as_of_month - (life.cohort_start + size - 1)) // k)
    kept = life.horizon >= 1
    if first is not None:
        kept &= life.cohort_start >= first
    if last is not None:
        kept &= life.cohort_start <= last
    life = life.filter(kept)
    return life.mutate(lost_in=(life.churn_month - life.first_month) // k + 1)


def sbg_cohorts(warehouse: Warehouse, *, workspace: WorkspaceSettings, as_of_month: int, cohort: str = "month",
                period: str = "month", first: int | None = None, last: int | None = None,
                segment: str | None = None) -> ir.Table:
    """One row per cohort and period t = 0..T: cohort (label), cohort_start (month index), period, survivors."""
    life = cohort_lifetimes(warehouse, workspace=workspace, as_of_month=as_of_month, cohort=cohort, period=period,
                            first=first, last=last, segment=segment)
    sizes = life.group_by(["cohort_start", "horizon"]).aggregate(customers=life.count())
    seen = life.filter(life.lost_in <= life.horizon)
    losses = seen.group_by(["cohort_start", "lost_in"]).aggregate(lost=seen.count())
    # The period spine comes from the engine (range per cohort), so a period nobody left in is a row with 0.
    grid = sizes.select("cohort_start", "customers", period=ibis.range(0, sizes.horizon + 1).unnest().cast("int64"))
    rows = grid.left_join(
        losses, [grid.cohort_start == losses.cohort_start, grid.period == losses.lost_in]
    ).select(grid, lost=losses.lost.fill_null(0))
    so_far = ibis.window(group_by="cohort_start", order_by="period", rows=(None, 0))
    rows = rows.mutate(survivors=rows.customers - rows.lost.sum().over(so_far))
    rows = rows.order_by(["cohort_start", "period"])
    return rows.select(
        cohort=cohort_label(rows.cohort_start, cohort),
        cohort_start=rows.cohort_start,
        period=rows.period,
        survivors=rows.survivors.cast("int64"),
    )


def cohort_arpa(warehouse: Warehouse, *, workspace: WorkspaceSettings, as_of_month: int, **cohorts) -> ir.Scalar:
    """The mean MRR at the end of month M - 1 of the fitted cohorts' customers still alive then (not yet
    churned for the first time): the customers whose residual value the model prices. Null if none."""
    life = cohort_lifetimes(warehouse, workspace=workspace, as_of_month=as_of_month, **cohorts)
    alive = life.filter(life.churn_month.isnull() | (life.churn_month >= as_of_month))
    ledger = movement_ledger(warehouse, workspace=workspace)
    ledger = ledger.filter(ledger.month_index < as_of_month)
    latest = ledger.mutate(n=ibis.row_number().over(group_by="account_id", order_by=ibis.desc("at")))
    latest = latest.filter(latest.n == 0)
    mrr = latest.semi_join(alive, latest.account_id == alive.account_id)
    mrr = mrr.filter(mrr.after_mrr > 0)
    return mrr.after_mrr.mean()


def fit_cohorts_json(table: pa.Table, periods: int, *, discount: float | None = None, renewals: int | None = None,
                     margin: float | None = None, period: str = "month") -> dict:
    """Fit the sBG jointly on the rows of `sbg_cohorts` and return the keys of `tenure model sbg --json`
    plus `cohorts`: per cohort its survivors, observed survival n_t / n_0 and the fitted S(t) beside it,
    and `period_labels`, what each t counts (period_label)."""
    from tenure.models.sbg import SBG, projection_json  # scipy: imported only when a fit is asked for

    tables: dict[str, list[int]] = {}
    for row in table.to_pylist():
        tables.setdefault(row["cohort"], []).append(row["survivors"])
    if not tables:
        raise DataError("no signup cohort has a fully elapsed period to fit; load subscriptions or widen --from/--to")
    model = SBG().fit_cohorts(list(tables.values()))
    result = projection_json(model, periods, discount=discount, renewals=renewals, margin=margin)
    longest = max(len(survivors) for survivors in tables.values())
    result["period_labels"] = [period_label(t, period) for t in range(longest)]
    result["cohorts"] = [
        {
            "cohort": name,
            "customers": survivors[0],
            "survivors": survivors,
            "observed_survival": [n / survivors[0] for n in survivors],
            "fitted_survival": [float(v) for v in model.survival(len(survivors) - 1)],
        }
        for name, survivors in tables.items()
    ]
    return result


def period_label(t: int, period: str) -> str:
    """What survivors n_t counts, in words: 'signup' (t = 0, the cohort), 'signup month' (still paying at
    the end of the signup period), then 'month +1', 'month +2', ... (the periods after it)."""
    if t == 0:
        return "signup"
    return f"signup {period}" if t == 1 else f"{period} +{t - 1}"


def cohort_label(start: ir.IntegerValue, cohort: str) -> ir.StringValue:
    """'2024-03' for a month, '2024-Q1' for a quarter, '2024' for a year."""
    year = (start // 12).cast("string")
    if cohort == "year":
        return year
    if cohort == "quarter":
        return year.concat("-Q", (start % 12 // 3 + 1).cast("string"))
    return label_expr(start)


def _months(name: str, parameter: str) -> int:
    if name not in MONTHS:
        raise UsageError(f"{{{parameter}}} {name}: choose one of {', '.join(MONTHS)}")
    return MONTHS[name]
