"""Per-customer durations for Kaplan-Meier curves, built in the engine (docs/metrics/lifetime.md#kaplan-meier).

    start     the day of the account's first paid movement (workspace time zone)
    end       the day of its first churn when that is on or before the as-of day (observed = true),
              else the as-of day (observed = false: still a customer, or churn not yet happened)
    duration  in calendar months (--unit month, the default): the whole months from start to end, the
              k-th ending on start + k months clamped to the month's last day (31 January -> 28
              February), as renewals are counted, plus the elapsed share of the month in progress; a
              monthly customer who leaves on a renewal day has lived a whole number of months.
              Or end - start in days (--unit day).
    group     a signup cohort (cohort-month, cohort-quarter, cohort-year: the period of `start`), an
              accounts column, a custom attribute, or plan: the plan at the end of the first paid month
              (metrics/breakdown.py); "(none)" when the account has no value

Accounts whose first paid day is after the as-of day are not customers yet and are left out.
"""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.types as ir

from tenure.config.settings import WorkspaceSettings
from tenure.errors import UsageError
from tenure.metrics import breakdown
from tenure.metrics.calendar import month_index_of
from tenure.models.cohorts import MONTHS, cohort_label, lifetimes
from tenure.warehouse import Warehouse

UNITS = ("day", "month")
COHORTS = {"cohort-month": "month", "cohort-quarter": "quarter", "cohort-year": "year"}


def survival_durations(warehouse: Warehouse, *, workspace: WorkspaceSettings, as_of: date, unit: str = "month",
                       by: str | None = None) -> ir.Table:
    """Columns: account_id, group (null without `by`), start, duration, observed; ordered by account."""
    if unit not in UNITS:
        raise UsageError(f"{{unit}} {unit}: choose day or month")
    life = lifetimes(warehouse, workspace=workspace)
    life = life.mutate(start=life.first_paid_at.date(), churn_day=life.churned_at.date())
    today = ibis.literal(as_of, "date")
    life = life.filter(life.start <= today)
    observed = life.churn_day.notnull() & (life.churn_day <= today)
    end = ibis.ifelse(observed, life.churn_day, today)
    days = end.delta(life.start, unit="day").cast("float64")
    life = life.mutate(observed=observed, duration=days if unit == "day" else calendar_months(life.start, end))
    life = _with_group(warehouse, life, by, workspace)
    return life.order_by("account_id").select("account_id", "group", "start", "duration", "observed")


def calendar_months(start: ir.DateValue, end: ir.DateValue) -> ir.FloatingValue:
    """Months from start to end (end >= start) in calendar months: module docstring."""
    def anniversary(k: ir.IntegerValue) -> ir.DateValue:
        # The engine clamps a month added to a day the target month lacks to its last day.
        return (start + k.as_interval("M")).cast("date")

    # The whole months are the month-index difference, or one less when end falls before that
    # anniversary's day of the month (15 January to 10 March: 1 whole month, not 2).
    k = month_index_of(end) - month_index_of(start)
    whole = ibis.ifelse(anniversary(k) > end, k - 1, k)
    began, ends = anniversary(whole), anniversary(whole + 1)
    share = end.delta(began, unit="day").cast("float64") / ends.delta(began, unit="day").cast("float64")
    return whole.cast("float64") + share


def _with_group(warehouse: Warehouse, life: ir.Table, by: str | None, workspace: WorkspaceSettings) -> ir.Table:
    if by is None:
        return life.mutate(group=ibis.null("string"))
    if by in COHORTS:
        cohort = COHORTS[by]
        return life.mutate(group=cohort_label(life.first_month - life.first_month % MONTHS[cohort], cohort))
    chosen = breakdown.resolve(warehouse, by, reserved=())
    # attach() keys the plan on (account_id, month_index): the first paid month gives the plan at signup.
    grouped = breakdown.attach(warehouse, life.mutate(month_index=life.first_month), chosen, workspace=workspace)
    return grouped.rename(group=breakdown.GROUP)
