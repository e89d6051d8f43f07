"""`tenure model sbg` and `tenure model survival`: customer lifetime models (docs/metrics/lifetime.md)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from tenure.cli.context import opened
from tenure.cli.options import AsOf, Json
from tenure.cli.output import console, emit_json, rich_table, rows_of
from tenure.errors import UsageError

app = typer.Typer(no_args_is_help=True)


class Span(str, Enum):
    month = "month"
    quarter = "quarter"
    year = "year"


class Unit(str, Enum):
    month = "month"
    day = "day"


# The periods whose observed and fitted survival the table view shows per cohort: the signup period
# (t = 1), then 1, 2, 3, 6, 12, ... periods after it.
SHOWN_PERIODS = (1, 2, 3, 4, 7, 13, 25, 37, 49, 61)

Sql = Annotated[bool, typer.Option("--sql", help="Print the SQL of the workspace table the model is fitted on, instead of fitting.")]


def _survivors(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise UsageError(f"--survivors: '{text}' is not a comma-separated list of whole numbers") from None


@app.command()
def sbg(
    survivors: Annotated[Optional[str], typer.Option("--survivors", help="Customers alive at the start of periods 0..T, e.g. 1000,869,743.")] = None,
    cohorts: Annotated[Optional[Span], typer.Option("--cohorts", help="Fit the workspace's signup cohorts, by month, quarter or year of the first payment.")] = None,
    start: Annotated[Optional[str], typer.Option("--from", help="With --cohorts: the first cohort, YYYY-MM.")] = None,
    end: Annotated[Optional[str], typer.Option("--to", help="With --cohorts: the last cohort, YYYY-MM.")] = None,
    segment: Annotated[Optional[str], typer.Option("--segment", help="With --cohorts: only accounts of this segment.")] = None,
    period: Annotated[Span, typer.Option("--period", help="With --cohorts: the renewal period the model counts in.")] = Span.month,
    as_of: AsOf = None,
    periods: Annotated[int, typer.Option("--periods", min=1, max=1200, help="Project survival and retention this many periods.")] = 12,
    discount: Annotated[Optional[float], typer.Option("--discount", help="Discount rate per period for DERL.")] = None,
    renewals: Annotated[Optional[int], typer.Option("--renewals", min=0, max=1200, help="Renewals a customer has made, for DERL.")] = None,
    margin: Annotated[Optional[float], typer.Option("--margin", help="Margin per period: residual value = DERL x margin (with --cohorts, default gross_margin x ARPA).")] = None,
    json_: Json = False,
    sql: Sql = False,
) -> None:
    """Fit the sBG model (Fader & Hardie 2007) and project survival, retention and DERL."""
    # scipy takes seconds to import; only this command pays for it.
    from tenure.models import fit_sbg_json

    if periods < 1:
        raise UsageError(f"--periods: {periods} must be at least 1")
    if (survivors is None) == (cohorts is None):
        raise UsageError("give either --survivors (a survival table) or --cohorts month|quarter|year (the workspace's cohorts), not both or neither")
    if survivors is not None:
        cohort_only = [name for name, value in (("--from", start), ("--to", end), ("--segment", segment), ("--as-of", as_of),
                                                ("--sql", sql)) if value]
        if cohort_only or period is not Span.month:
            raise UsageError(f"{', '.join(cohort_only) or '--period'} only applies with --cohorts")
        result = fit_sbg_json(_survivors(survivors), periods, discount=discount, renewals=renewals, margin=margin)
    else:
        with opened(read_only=True) as ws:
            if sql:
                print(ws.sql(ws.sbg_cohorts_expr(cohorts.value, start, end, period=period.value, segment=segment, as_of=as_of)))
                return
            result = ws.fit_sbg_cohorts(cohorts.value, start, end, period=period.value, segment=segment, as_of=as_of,
                                        periods=periods, discount=discount, renewals=renewals, margin=margin)
    if json_:
        emit_json(result)
        return
    _show_sbg(result, discount=discount, renewals=renewals)


def _show_sbg(result: dict, *, discount: float | None, renewals: int | None) -> None:
    console.print(f"alpha {result['alpha']:.4f}   beta {result['beta']:.4f}   log-likelihood {result['log_likelihood']:.3f}")
    view = Table(header_style="bold")
    for column in ("period", "survival", "retention"):
        view.add_column(column, justify="right")
    for t, s in enumerate(result["survival"]):
        view.add_row(str(t), f"{s:.4f}", f"{result['retention'][t - 1]:.4f}" if t else "–")
    console.print(view)
    if result.get("cohorts"):
        # Observed n_t / n_0 next to the fitted S(t): where the model and a cohort part ways.
        observed = Table(title=f"cohorts by {result['cohort']}: still paying at the end of the signup {result['period']} "
                               f"and of the {result['period']}s after it, observed / fitted", header_style="bold")
        observed.add_column("cohort")
        observed.add_column("customers", justify="right")
        # A few periods keep the table readable however old the cohorts are; --json has every period.
        longest = max(len(c["survivors"]) for c in result["cohorts"])
        shown = [t for t in SHOWN_PERIODS if t < longest]
        for t in shown:
            observed.add_column(result["period_labels"][t], justify="right")
        for c in result["cohorts"]:
            cells = [f"{c['observed_survival'][t]:.0%} / {c['fitted_survival'][t]:.0%}" if t < len(c["survivors"]) else ""
                     for t in shown]
            observed.add_row(c["cohort"], f"{c['customers']:,}", *cells)
        console.print(observed)
    if "derl" in result:
        console.print(f"DERL after {renewals} renewal(s) at {discount:.1%}: {result['derl']:.4f} periods")
    if "residual_value" in result:
        console.print(f"Expected residual value per customer: {result['residual_value']:,.2f}")
    elif "derl" in result and result.get("margin_source"):
        console.print("No residual value: none of these cohorts' customers is paying at the end of the last elapsed month.")


def _times(text: str | None, unit: Unit) -> list[float]:
    if text is None:
        return [3.0, 6.0, 12.0, 24.0] if unit is Unit.month else [30.0, 90.0, 180.0, 365.0]
    try:
        values = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise UsageError(f"--at: '{text}' is not a comma-separated list of numbers") from None
    if not values or any(v < 0 for v in values):
        raise UsageError(f"--at: '{text}' must list times of 0 or more")
    return values


@app.command()
def survival(
    by: Annotated[Optional[str], typer.Option("--by", help="segment, cohort-month, cohort-quarter, cohort-year, plan, or any accounts column or custom attribute.")] = None,
    unit: Annotated[Unit, typer.Option("--unit", help="Durations in calendar months (31 Jan -> 28 Feb is one; docs/metrics/lifetime.md) or days.")] = Unit.month,
    at: Annotated[Optional[str], typer.Option("--at", help="Times to show survival at, e.g. 3,6,12 (default 3,6,12,24 months or 30,90,180,365 days).")] = None,
    plot: Annotated[Optional[Path], typer.Option("--plot", help="Also draw the curves to this .png or .svg file.")] = None,
    as_of: AsOf = None,
    json_: Json = False,
    sql: Sql = False,
) -> None:
    """Kaplan-Meier survival of customers from first payment to first churn, with 95% confidence intervals."""
    from tenure.models.plot import check_plot_path, plot_survival
    from tenure.models.survival import survival_summary

    times = _times(at, unit)
    if plot is not None:
        check_plot_path(plot)  # before the work, so a wrong extension costs nothing
    with opened(read_only=True) as ws:
        if sql:
            print(ws.sql(ws.survival_durations_expr(by, unit=unit.value, as_of=as_of)))
            return
        curves = ws.survival(by, unit=unit.value, as_of=as_of)
    summary = survival_summary(curves, times)
    if plot is not None:
        plot_survival(curves, plot, unit=unit.value)
    if json_:
        emit_json({"by": by, "unit": unit.value, "groups": rows_of(summary), "curves": rows_of(curves)})
        return
    console.print(rich_table(summary.rename_columns([by or "group", *summary.column_names[1:]]),
                             title=f"Kaplan-Meier survival ({unit.value}s since the first payment)"))
    if plot is not None:
        console.print(f"Plot written to {plot}")
