"""Customer lifetime (docs/metrics/lifetime.md): signup cohorts as survival tables and the sBG fitted on
them, and Kaplan-Meier survival from the first payment to the first churn. The cohort tables and
durations are engine expressions; only their small results reach scipy and lifelines."""

from __future__ import annotations

from datetime import date

import ibis.expr.types as ir
import pyarrow as pa

from tenure.config.settings import WorkspaceSettings
from tenure.errors import DataError
from tenure.metrics import calendar
from tenure.services.arguments import optional_months
from tenure.warehouse import Warehouse


def _cohort_options(cohort: str, start: str | None, end: str | None, period: str, segment: str | None,
                    as_of: date) -> dict:
    first, last = optional_months(start, end)
    return {"as_of_month": calendar.month_of(as_of), "cohort": cohort, "period": period,
            "first": first, "last": last, "segment": segment}


def sbg_cohorts(warehouse: Warehouse, *, workspace: WorkspaceSettings, as_of: date, cohort: str = "month",
                start: str | None = None, end: str | None = None, period: str = "month",
                segment: str | None = None) -> ir.Table:
    """Signup cohorts (month | quarter | year of the first payment, from start to end) as survival tables:
    cohort, cohort_start, period, survivors (customers alive at the start of the period)."""
    from tenure.models.cohorts import sbg_cohorts as cohorts

    return cohorts(warehouse, workspace=workspace, **_cohort_options(cohort, start, end, period, segment, as_of))


def fit_sbg_cohorts(warehouse: Warehouse, *, workspace: WorkspaceSettings, as_of: date, cohort: str = "month",
                    start: str | None = None, end: str | None = None, period: str = "month",
                    segment: str | None = None, periods: int = 12, discount: float | None = None,
                    renewals: int | None = None, margin: float | None = None) -> dict:
    """The sBG fitted on all the cohorts jointly: alpha, beta, log_likelihood, survival, retention, the
    cohorts' observed survival beside the fitted curve and, with discount and renewals, derl and
    residual_value. Without `margin` it is [workspace] gross_margin x the cohorts' ARPA x months per period."""
    from tenure.models.cohorts import MONTHS, cohort_arpa, fit_cohorts_json, sbg_cohorts as cohorts

    options = _cohort_options(cohort, start, end, period, segment, as_of)
    source = "given"
    if margin is None and discount is not None and renewals is not None:
        arpa = cohort_arpa(warehouse, workspace=workspace, **options).to_pyarrow().as_py()
        source = "gross_margin x arpa"
        if arpa is not None:
            margin = workspace.gross_margin * float(arpa) * MONTHS[period]
    table = cohorts(warehouse, workspace=workspace, **options).to_pyarrow()
    result = fit_cohorts_json(table, periods, discount=discount, renewals=renewals, margin=margin, period=period)
    if "derl" in result:
        result = {**result, "margin": margin, "margin_source": source}
    return {"cohort": cohort, "period": period, "as_of": as_of.isoformat(), **result}


def survival_durations(warehouse: Warehouse, *, workspace: WorkspaceSettings, as_of: date, by: str | None = None,
                       unit: str = "month") -> ir.Table:
    """Per customer: group, start (first paid day), duration (to the first churn or to as_of) and observed."""
    from tenure.models.durations import survival_durations as durations

    return durations(warehouse, workspace=workspace, as_of=as_of, unit=unit, by=by)


def survival(warehouse: Warehouse, *, workspace: WorkspaceSettings, as_of: date, by: str | None = None,
             unit: str = "month", alpha: float = 0.05) -> pa.Table:
    """Kaplan-Meier curves per group (segment, cohort-month|quarter|year, any accounts column or
    attribute, plan): group, timeline, survival, ci_lower, ci_upper, at_risk."""
    from tenure.models.survival import kaplan_meier

    durations = survival_durations(warehouse, workspace=workspace, as_of=as_of, by=by, unit=unit).to_pyarrow()
    if durations.num_rows == 0:
        raise DataError("no paying customers to draw a survival curve for; load subscriptions first")
    groups = None if by is None else durations.column("group").to_pylist()
    observed = durations.column("observed").to_numpy(zero_copy_only=False)
    return kaplan_meier(durations.column("duration").to_numpy(), observed, groups, alpha=alpha)
