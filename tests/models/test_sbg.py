"""The sBG model (tenure.models.sbg) against Fader & Hardie's published fits and brute-force sums of
the definitions, written here with math.lgamma so that no scipy code is shared with the module.

Data: Fader & Hardie (2007) "How to Project Customer Retention", Journal of Interactive Marketing
21(1): customers of a 1,000-customer cohort alive at the start of years 1..8. The "regular" cohort
(63.1% renew the first year) has the published MLE alpha = 0.704, beta = 1.182; the "high end"
cohort (86.9% renew) has alpha = 0.668, beta = 3.806.
"""

from __future__ import annotations

import json
import math

import pytest

from tenure.errors import UsageError
from tenure.models.sbg import SBG, fit_sbg_json

REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491]
PUBLISHED = [(REGULAR, 0.704, 1.182), (HIGH_END, 0.668, 3.806)]
IDS = ["regular", "high_end"]


def ln_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def S(a: float, b: float, t: int) -> float:
    """S(t) = B(a, b + t) / B(a, b)."""
    return math.exp(ln_beta(a, b + t) - ln_beta(a, b))


def P(a: float, b: float, t: int) -> float:
    """P(T = t) = B(a + 1, b + t - 1) / B(a, b)."""
    return math.exp(ln_beta(a + 1, b + t - 1) - ln_beta(a, b))


def brute_log_likelihood(a: float, b: float, survivors: list[int]) -> float:
    """Leavers of period t contribute ln P(T = t); those still there at T contribute ln S(T)."""
    total = 0.0
    for t in range(1, len(survivors)):
        total += (survivors[t - 1] - survivors[t]) * math.log(P(a, b, t))
    T = len(survivors) - 1
    return total + survivors[T] * math.log(S(a, b, T))


def brute_derl(a: float, b: float, d: float, renewals: int) -> float:
    """Fader & Hardie (2010) eq. (6): DERL(d | n - 1 renewals) = sum_{t >= n} S(t) / S(n - 1) / (1 + d)^(t - n),
    a customer in period n, just before her n-th renewal decision; summed to 10,000 terms."""
    n = renewals + 1
    return sum(S(a, b, t) / S(a, b, n - 1) * (1 + d) ** -(t - n) for t in range(n, n + 10_000))


@pytest.mark.parametrize(("survivors", "alpha", "beta"), PUBLISHED, ids=IDS)
def test_fit_reproduces_the_published_parameters(survivors, alpha, beta):
    model = SBG().fit(survivors)
    assert (round(model.alpha_, 3), round(model.beta_, 3)) == (alpha, beta)


@pytest.mark.parametrize(("survivors", "alpha", "beta"), PUBLISHED, ids=IDS)
def test_log_likelihood_is_the_brute_force_sum_at_the_published_parameters(survivors, alpha, beta):
    # The published parameters are rounded to 3 decimals; at a maximum that moves LL by about 3e-6.
    assert SBG().fit(survivors).log_likelihood_ == pytest.approx(brute_log_likelihood(alpha, beta, survivors), abs=1e-4)


@pytest.mark.parametrize("survivors", [REGULAR, HIGH_END], ids=IDS)
def test_no_nearby_parameters_fit_better(survivors):
    model = SBG().fit(survivors)
    for da in (-0.01, 0, 0.01):
        for db in (-0.01, 0, 0.01):
            assert brute_log_likelihood(model.alpha_ + da, model.beta_ + db, survivors) <= model.log_likelihood_ + 1e-9


@pytest.mark.parametrize("survivors", [REGULAR, HIGH_END], ids=IDS)
def test_survival_is_the_beta_function_ratio_from_period_0(survivors):
    model = SBG().fit(survivors)
    expected = [S(model.alpha_, model.beta_, t) for t in range(13)]
    assert model.survival(12).tolist() == pytest.approx(expected, rel=1e-12)
    assert model.survival(12)[0] == 1.0


@pytest.mark.parametrize("survivors", [REGULAR, HIGH_END], ids=IDS)
def test_retention_is_the_ratio_of_consecutive_survivals_from_period_1(survivors):
    model = SBG().fit(survivors)
    a, b = model.alpha_, model.beta_
    expected = [S(a, b, t) / S(a, b, t - 1) for t in range(1, 13)]
    assert model.retention(12).tolist() == pytest.approx(expected, rel=1e-12)


def test_the_first_projected_survival_is_close_to_the_observed_share():
    # A sanity check of direction and scale against the data itself: 86.9% of the high-end cohort renewed.
    assert SBG().fit(HIGH_END).survival(1)[1] == pytest.approx(0.869, abs=0.02)


@pytest.mark.parametrize("renewals", [0, 1, 4, 20])
@pytest.mark.parametrize("discount", [0.1, 0.02])
@pytest.mark.parametrize("survivors", [REGULAR, HIGH_END], ids=IDS)
def test_derl_is_the_discounted_sum_of_survival_ratios(survivors, discount, renewals):
    model = SBG().fit(survivors)
    expected = brute_derl(model.alpha_, model.beta_, discount, renewals)
    assert model.derl(discount, renewals) == pytest.approx(expected, rel=1e-9)


def test_derl_grows_with_renewals_because_stayers_are_the_loyal_ones():
    model = SBG().fit(REGULAR)
    values = [model.derl(0.1, n) for n in range(6)]
    assert values == sorted(values) and values[0] < values[-1]


def test_residual_value_is_derl_times_margin():
    model = SBG().fit(REGULAR)
    expected = 250.0 * brute_derl(model.alpha_, model.beta_, 0.1, 2)
    assert model.residual_value(250.0, 0.1, 2) == pytest.approx(expected, rel=1e-9)


def test_flat_retention_fits_a_constant_rate():
    # No heterogeneity: alpha and beta run to the bound together and r(t) is the geometric MLE,
    # 1 - churned / customer-periods at risk = 1 - 488 / (1000 + 800 + 640) = 0.8.
    model = SBG().fit([1000, 800, 640, 512])
    assert model.retention(10).tolist() == pytest.approx([0.8] * 10, abs=1e-3)


@pytest.mark.parametrize(
    ("survivors", "message"),
    [
        ([1000, 869, 900], "never increase"),
        ([0, 0, 0], "cohort size"),
        ([1000, -5, -6], "whole numbers"),
        ([1000, 869.5, 700], "whole numbers"),
        ([1000, "869", 700], "whole numbers"),
        ([1000, True, 0], "whole numbers"),
        ([1000, 869], "at least 3 values"),
        ([], "at least 3 values"),
    ],
    ids=["increasing", "empty_cohort", "negative", "fraction", "text", "bool", "one_period", "none"],
)
def test_bad_survivors_are_a_usage_error_with_a_sentence(survivors, message):
    with pytest.raises(UsageError, match=message):
        SBG().fit(survivors)


def test_a_cohort_that_has_all_left_still_fits():
    # Retention that falls (40% then 0%) is outside the sBG, whose retention only rises; the best it
    # can do is the constant geometric MLE 1 - churned / customer-periods = 1 - 100 / (100 + 40).
    assert SBG().fit([100, 40, 0]).retention(3).tolist() == pytest.approx([40 / 140] * 3, abs=1e-3)


@pytest.mark.parametrize(("discount", "renewals"), [(0, 1), (-0.1, 1), (float("nan"), 1), (0.1, -1), (0.1, 1.5)])
def test_bad_discount_or_renewals_are_a_usage_error(discount, renewals):
    with pytest.raises(UsageError):
        SBG().fit(REGULAR).derl(discount, renewals)


def test_an_unfitted_model_says_to_fit_first():
    with pytest.raises(UsageError, match="fit"):
        SBG().survival(3)


def test_json_has_exactly_the_spec_keys_and_is_json_safe():
    result = fit_sbg_json(REGULAR, 12)
    assert list(result) == ["alpha", "beta", "log_likelihood", "survival", "retention"]
    assert (len(result["survival"]), len(result["retention"])) == (13, 12)
    assert json.loads(json.dumps(result, allow_nan=False)) == result


def test_json_adds_derl_and_residual_value_when_asked():
    result = fit_sbg_json(HIGH_END, 5, discount=0.1, renewals=3, margin=100.0)
    assert list(result)[-2:] == ["derl", "residual_value"]
    assert (round(result["alpha"], 3), round(result["beta"], 3)) == (0.668, 3.806)
    assert result["derl"] == pytest.approx(brute_derl(result["alpha"], result["beta"], 0.1, 3), rel=1e-9)
    assert result["residual_value"] == pytest.approx(100.0 * result["derl"], rel=1e-12)
    json.dumps(result, allow_nan=False)


@pytest.mark.parametrize("asked", [{"discount": 0.1}, {"renewals": 2}, {"margin": 10.0}])
def test_json_derl_needs_both_discount_and_renewals(asked):
    with pytest.raises(UsageError, match="both"):
        fit_sbg_json(REGULAR, 5, **asked)
