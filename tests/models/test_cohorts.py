"""Signup cohorts as sBG survival tables (tenure.models.cohorts) and the joint sBG fit over them.

The company, with the workspace's "today" fixed at 2024-06-15 (month M = June; May is the last
month that has fully elapsed). $100/month each unless said otherwise:

    account  paid from    first churn   later                lifetime in months (c - f)
    a        2024-01-05   2024-03-10                         2
    b        2024-01-20   -                                  - (still a customer)
    c        2024-01-02   2024-02-01    back on 2024-04-01   1 (the reactivation does not count)
    d        2024-02-03   2024-05-03                         3
    e        2024-02-11   2024-02-20                         0
    f        2024-03-15   2024-09-01 (cancelled, ends later) - (after the as-of month: censored)
    g        2024-06-02   -                                  June: the cohort is still signing up

Alive in period t means lifetime >= t. Horizon T = M - cohort month (the periods elapsed for all):

    2024-01  T = 5   a, b, c:  3 3 2 1 1 1      (c leaves in period 2, a in period 3)
    2024-02  T = 4   d, e:     2 1 1 1 0        (e leaves in period 1, d in period 4)
    2024-03  T = 3   f:        1 1 1 1
    2024-06  T = 0   g: no elapsed period, left out
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from scipy.optimize import minimize

from tenure.errors import DataError, UsageError
from tenure.models.sbg import SBG
from tests.conftest import put_rows
from tests.metrics.rows import sub

AS_OF = "2024-06-15"


@pytest.fixture
def company(workspace):
    put_rows(workspace, "accounts", [
        {"account_id": a, "created_at": "2024-01-01", "segment": s}
        for a, s in [("a", "SMB"), ("b", "SMB"), ("c", "Ent"), ("d", "Ent"), ("e", "SMB"), ("f", "Ent"), ("g", "SMB")]
    ])
    put_rows(workspace, "subscriptions", [
        sub("s1", "a", "2024-01-05", "2024-03-10"),
        sub("s2", "b", "2024-01-20"),
        sub("s3", "c", "2024-01-02", "2024-02-01"),
        sub("s4", "c", "2024-04-01"),
        sub("s5", "d", "2024-02-03", "2024-05-03"),
        sub("s6", "e", "2024-02-11", "2024-02-20"),
        sub("s7", "f", "2024-03-15", "2024-09-01", amount="300"),
        sub("s8", "g", "2024-06-02"),
    ])
    return workspace


def tables(ws, **options) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for row in ws.sbg_cohorts(**{"as_of": AS_OF, **options}).to_pylist():
        found.setdefault(row["cohort"], []).append(row["survivors"])
    return found


def test_monthly_cohorts_are_the_hand_counted_survivors(company):
    assert tables(company) == {"2024-01": [3, 3, 2, 1, 1, 1], "2024-02": [2, 1, 1, 1, 0], "2024-03": [1, 1, 1, 1]}


def test_rows_carry_the_cohort_start_and_every_period_from_0(company):
    rows = company.sbg_cohorts(as_of=AS_OF).to_pylist()
    assert [(r["cohort"], r["cohort_start"], r["period"]) for r in rows[:2]] == [
        ("2024-01", 2024 * 12, 0), ("2024-01", 2024 * 12, 1),
    ]
    assert [r["period"] for r in rows if r["cohort"] == "2024-02"] == [0, 1, 2, 3, 4]


def test_a_reactivation_does_not_bring_a_lost_customer_back(company):
    # c left in February and pays again from April (period 3 of her cohort); counted again, January
    # would read 3 3 2 2 2 2 instead of 3 3 2 1 1 1.
    assert tables(company)["2024-01"][3:] == [1, 1, 1]


def test_only_elapsed_periods_are_counted(company):
    # As of 2024-04-10 April has not elapsed: January has periods 0..3, February 0..2, March 0..1, and
    # d's churn in May is in the future, so she is still there in every period February shows.
    assert tables(company, as_of="2024-04-10") == {"2024-01": [3, 3, 2, 1], "2024-02": [2, 1, 1], "2024-03": [1, 1]}


def test_a_cohort_still_signing_up_is_left_out(company):
    # As of 2024-03-31 March (f's cohort) is not over; as of 2024-06-15 June (g's) is not.
    assert "2024-03" not in tables(company, as_of="2024-03-31")
    assert "2024-06" not in tables(company)


def test_quarterly_cohorts_stop_where_their_latest_signup_stops(company):
    # Q1 = a..f; its latest signup is in March, so T = June - March = 3 (the month ends of March, April, May).
    # Lifetimes a 2, b -, c 1, d 3, e 0, f - : alive t >= 1: 5; t >= 2: 4 (a, b, d, f); t >= 3: 3 (b, d, f).
    assert tables(company, cohort="quarter") == {"2024-Q1": [6, 5, 4, 3]}


def test_quarterly_periods_count_renewals_every_three_months(company):
    # Q1's horizon is (June - March) // 3 = 1 quarter; lost in the first quarter: lifetime // 3 = 0,
    # i.e. a (2), c (1) and e (0); d (3) made it into the second quarter.
    assert tables(company, cohort="quarter", period="quarter") == {"2024-Q1": [6, 3]}


def test_from_and_to_choose_cohorts_by_their_first_month(company):
    assert list(tables(company, start="2024-02", end="2024-02")) == ["2024-02"]


def test_segment_keeps_only_that_segments_accounts(company):
    # Ent: c (Jan), d (Feb), f (Mar).
    assert tables(company, segment="Ent") == {"2024-01": [1, 1, 0, 0, 0, 0], "2024-02": [1, 1, 1, 1, 0],
                                              "2024-03": [1, 1, 1, 1]}


def test_unknown_cohort_span_is_a_usage_error(company):
    with pytest.raises(UsageError, match="quarter"):
        company.sbg_cohorts(cohort="week", as_of=AS_OF)


def test_from_after_to_is_a_usage_error(company):
    with pytest.raises(UsageError, match="after"):
        company.sbg_cohorts(start="2024-03", end="2024-01", as_of=AS_OF)


def test_the_cohort_table_is_one_engine_query(company):
    sql = company.sql(company.sbg_cohorts_expr(as_of=AS_OF))
    assert '"subscriptions"' in sql and "UNNEST" in sql.upper()


# -- the joint fit ---------------------------------------------------------------------------------

def ln_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def cohort_log_likelihood(a: float, b: float, survivors: list[int]) -> float:
    """Fader & Hardie (2007) eq. for one cohort, written out: leavers of period t contribute
    ln P(T = t) = ln B(a + 1, b + t - 1) - ln B(a, b); those still there at T contribute ln S(T)."""
    total = 0.0
    for t in range(1, len(survivors)):
        total += (survivors[t - 1] - survivors[t]) * (ln_beta(a + 1, b + t - 1) - ln_beta(a, b))
    T = len(survivors) - 1
    return total + survivors[T] * (ln_beta(a, b + T) - ln_beta(a, b))


# Fader & Hardie's regular and high-end cohorts, truncated to different lengths as real cohorts are.
COHORTS = [
    [1000, 631, 468, 382, 326, 289, 262, 241],
    [1000, 869, 743, 653, 593],
    [500, 316, 234],
]


def independent_joint_fit(cohorts: list[list[int]]) -> tuple[float, float, float]:
    """Nelder-Mead (no gradient, unlike the module's L-BFGS-B) on the summed per-cohort LL over (ln a, ln b)."""
    def minus(x):
        return -sum(cohort_log_likelihood(math.exp(x[0]), math.exp(x[1]), c) for c in cohorts)

    found = minimize(minus, x0=[0.5, 0.5], method="Nelder-Mead", options={"xatol": 1e-9, "fatol": 1e-11, "maxiter": 10_000})
    return math.exp(found.x[0]), math.exp(found.x[1]), -found.fun


def test_joint_fit_matches_an_independent_maximisation_of_the_summed_likelihood():
    model = SBG().fit_cohorts(COHORTS)
    alpha, beta, ll = independent_joint_fit(COHORTS)
    assert (model.alpha_, model.beta_) == pytest.approx((alpha, beta), rel=1e-4)
    assert model.log_likelihood_ == pytest.approx(ll, abs=1e-6)


def test_joint_log_likelihood_is_the_sum_of_the_cohorts():
    model = SBG().fit_cohorts(COHORTS)
    expected = sum(cohort_log_likelihood(model.alpha_, model.beta_, c) for c in COHORTS)
    assert model.log_likelihood_ == pytest.approx(expected, abs=1e-8)


def test_no_point_of_a_grid_around_the_joint_fit_is_better():
    model = SBG().fit_cohorts(COHORTS)
    for a in np.linspace(model.alpha_ * 0.9, model.alpha_ * 1.1, 9):
        for b in np.linspace(model.beta_ * 0.9, model.beta_ * 1.1, 9):
            assert sum(cohort_log_likelihood(a, b, c) for c in COHORTS) <= model.log_likelihood_ + 1e-9


def test_one_cohort_fits_like_fit():
    # F&H's published regular-cohort MLE (alpha 0.704, beta 1.182) through both entry points.
    model = SBG().fit_cohorts([COHORTS[0]])
    assert (round(model.alpha_, 3), round(model.beta_, 3)) == (0.704, 1.182)


def test_cohorts_of_one_period_join_a_longer_one():
    # A cohort seen for a single period cannot be fitted alone but adds its leavers to the joint fit.
    model = SBG().fit_cohorts([[1000, 631, 468, 382], [100, 60]])
    alpha, beta, _ = independent_joint_fit([[1000, 631, 468, 382], [100, 60]])
    assert (model.alpha_, model.beta_) == pytest.approx((alpha, beta), rel=1e-4)


@pytest.mark.parametrize(
    ("cohorts", "message"),
    [([], "at least one"), ([[100, 60], [50, 40]], "at least one with 3 values"), ([[100, 60, 70]], "never increase"),
     ([[100, 60, 50], []], "cohort 2 is empty")],
    ids=["none", "all_short", "increasing", "empty_cohort"],
)
def test_bad_cohorts_are_a_usage_error(cohorts, message):
    with pytest.raises(UsageError, match=message):
        SBG().fit_cohorts(cohorts)


# -- the workspace fit -----------------------------------------------------------------------------

def test_workspace_fit_shows_each_cohorts_observed_survival_beside_the_fitted_curve(company):
    result = company.fit_sbg_cohorts(as_of=AS_OF, periods=3)
    february = result["cohorts"][1]
    assert february["cohort"] == "2024-02" and february["customers"] == 2
    assert february["observed_survival"] == [1.0, 0.5, 0.5, 0.5, 0.0]
    a, b = result["alpha"], result["beta"]
    assert february["fitted_survival"] == pytest.approx([math.exp(ln_beta(a, b + t) - ln_beta(a, b)) for t in range(5)])


def test_workspace_fit_maximises_the_summed_likelihood_of_its_cohorts(company):
    result = company.fit_sbg_cohorts(as_of=AS_OF)
    hand = [[3, 3, 2, 1, 1, 1], [2, 1, 1, 1, 0], [1, 1, 1, 1]]
    assert result["log_likelihood"] == pytest.approx(independent_joint_fit(hand)[2], abs=1e-4)


def test_default_margin_is_gross_margin_times_the_arpa_of_the_cohorts_live_customers(company):
    # At the end of May the live customers of the fitted cohorts are b ($100) and f ($300; her churn is
    # in September): ARPA 200; c is paying again but was lost in February. gross_margin 0.75 -> 150.
    config = company.path / "tenure.toml"
    config.write_text(re.sub(r"(?m)^gross_margin = .*$", "gross_margin = 0.75", config.read_text()))
    company.close()
    from tenure import Workspace

    with Workspace.open(company.path) as ws:
        result = ws.fit_sbg_cohorts(as_of=AS_OF, discount=0.1, renewals=2)
    assert (result["margin"], result["margin_source"]) == (150.0, "gross_margin x arpa")
    assert result["residual_value"] == pytest.approx(150.0 * result["derl"])


def test_a_given_margin_wins(company):
    result = company.fit_sbg_cohorts(as_of=AS_OF, discount=0.1, renewals=2, margin=10.0)
    assert (result["margin"], result["margin_source"]) == (10.0, "given")


def test_no_elapsed_cohort_is_a_data_error(company):
    with pytest.raises(DataError, match="no signup cohort"):
        company.fit_sbg_cohorts(as_of="2024-01-15")
