"""The shifted-beta-geometric (sBG) model of contractual retention (Fader & Hardie 2007, 2010).

Every customer has her own constant probability theta of leaving at each renewal; across customers
theta is Beta(alpha, beta). A cohort's retention rises over time because the likely leavers go first.
With t the number of periods (renewal opportunities) since acquisition:

    P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta)   she leaves at the end of period t (t >= 1)
    S(t)     = B(alpha, beta + t) / B(alpha, beta)           she is still a customer after t periods, S(0) = 1
    r(t)     = S(t) / S(t - 1) = (beta + t - 1) / (alpha + beta + t - 1)   retention rate of period t

Survivors n_0, ..., n_T are the customers alive at the start of periods 0..T (n_0 = the cohort), so
n_t / n_0 estimates S(t). The log-likelihood counts n_{t-1} - n_t leavers in period t and n_T
customers who are still there (right-censored):

    LL(alpha, beta) = sum_{t=1..T} (n_{t-1} - n_t) ln P(T = t) + n_T ln S(T)

Several cohorts observed for different numbers of periods share alpha and beta (`fit_cohorts`): the
joint log-likelihood is the sum of the cohorts' LLs. Since P(T = t) is the same for every cohort, it
is computed as sum_t D_t ln P(T = t) + sum_h C_h ln S(h), with D_t the leavers of period t over all
cohorts and C_h the customers still there in the cohorts observed for h periods.

DERL, the discounted expected residual lifetime, follows Fader & Hardie (2010) "Customer-Base
Valuation in a Contractual Setting: The Perils of Ignoring Heterogeneity", eq. (6). They stand at the
end of period n, just before the customer's n-th renewal decision, when she has made n - 1 renewals:

    DERL(d | n - 1 renewals) = sum_{t >= n} S(t) / S(n - 1) / (1 + d)^(t - n)
                             = (beta + n - 1) / (alpha + beta + n - 1) * 2F1(1, beta + n; alpha + beta + n; 1 / (1 + d))

`renewals` here is the number of renewals made (F&H's n - 1), so renewals = 0 is a customer in her
first period. The payment at the upcoming renewal counts undiscounted, and the payment already
made for the current period is not counted: residual value = DERL x margin per period.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Integral, Real

import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln, digamma, hyp2f1

from tenure.errors import DataError, UsageError

# alpha and beta are fitted as ln(alpha), ln(beta) inside [-10, 10], i.e. about 4.5e-5..22026:
# positive by construction, and a flat retention curve (no heterogeneity, alpha and beta -> infinity
# together) stops at the bound instead of running away; the projections are still right there.
LOG_BOUNDS = ((-10.0, 10.0), (-10.0, 10.0))


class SBG:
    """The sBG model: `SBG().fit(survivors)`, then `alpha_`, `beta_`, `log_likelihood_` and projections."""

    alpha_: float
    beta_: float
    log_likelihood_: float

    def fit(self, survivors: Sequence[int]) -> SBG:
        """Maximum-likelihood alpha and beta from the customers alive at the start of periods 0..T."""
        return self._fit([_validated_survivors(survivors)])

    def fit_cohorts(self, cohorts: Sequence[Sequence[int]]) -> SBG:
        """Maximum-likelihood alpha and beta shared by several cohorts, each with its own survivors
        n_0..n_T (T may differ): the sum of the cohorts' log-likelihoods is maximized."""
        cohorts = list(cohorts)
        if not cohorts:
            raise UsageError("no cohorts to fit: give at least one cohort's survivors")
        tables = [_validated_survivors(c, minimum=1, name=f"cohort {i + 1}") for i, c in enumerate(cohorts)]
        # Only a cohort seen for two periods or more tells alpha from beta; see _validated_survivors.
        if max(len(t) for t in tables) < 3:
            raise UsageError(
                "the cohorts need at least one with 3 values (the cohort and two later periods) to tell alpha "
                "from beta; wait for more periods to elapse or use shorter periods"
            )
        return self._fit(tables)

    def _fit(self, tables: list[np.ndarray]) -> SBG:
        horizon = max(len(t) for t in tables) - 1
        churned, still = np.zeros(horizon), np.zeros(horizon + 1)
        for alive in tables:
            churned[: len(alive) - 1] += alive[:-1] - alive[1:]
            still[len(alive) - 1] += alive[-1]
        # Start at alpha = beta = 1: theta uniform, no prior view of the churn rate.
        result = minimize(_minus_log_likelihood, x0=np.zeros(2), args=(churned, still), jac=True,
                          method="L-BFGS-B", bounds=LOG_BOUNDS, options={"maxiter": 1000})
        # Status 2 is a line search that found nothing better: on the flat ridge of a near-constant
        # retention curve that is the optimum to machine precision, not a failure.
        if result.status not in (0, 2) or not np.all(np.isfinite([result.fun, *result.x])):
            raise DataError(f"the sBG fit did not converge ({result.message}); check the survivors")
        self.alpha_, self.beta_ = (float(v) for v in np.exp(result.x))
        self.log_likelihood_ = float(-result.fun)
        return self

    def survival(self, periods: int) -> np.ndarray:
        """S(t) for t = 0..periods: the share of the cohort still customers after t periods; S(0) = 1."""
        a, b = self._parameters()
        t = np.arange(_whole("periods", periods, minimum=0) + 1, dtype=float)
        return np.exp(betaln(a, b + t) - betaln(a, b))

    def retention(self, periods: int) -> np.ndarray:
        """r(t) for t = 1..periods: the share of period t's customers who renew at its end."""
        a, b = self._parameters()
        t = np.arange(1, _whole("periods", periods, minimum=0) + 1, dtype=float)
        return (b + t - 1) / (a + b + t - 1)

    def derl(self, discount: float, renewals: int) -> float:
        """Discounted expected residual lifetime, in periods, of a customer who has made `renewals` renewals."""
        a, b = self._parameters()
        d = _discount(discount)
        k = _whole("renewals", renewals, minimum=0)
        return float((b + k) / (a + b + k) * hyp2f1(1.0, b + k + 1, a + b + k + 1, 1.0 / (1.0 + d)))

    def residual_value(self, margin: float, discount: float, renewals: int) -> float:
        """Expected present value of a customer's future margin: DERL x margin per period."""
        if isinstance(margin, bool) or not isinstance(margin, Real) or not math.isfinite(margin):
            raise UsageError(f"margin must be a finite number per period, not {margin!r}")
        return float(margin) * self.derl(discount, renewals)

    def _parameters(self) -> tuple[float, float]:
        if not hasattr(self, "alpha_"):
            raise UsageError("the sBG model is not fitted yet; call SBG().fit(survivors) first")
        return self.alpha_, self.beta_


def fit_sbg_json(
    survivors: Sequence[int],
    periods: int,
    discount: float | None = None,
    renewals: int | None = None,
    margin: float | None = None,
) -> dict:
    """The JSON of `tenure model sbg`: alpha, beta, log_likelihood, survival (t = 0..periods), retention
    (t = 1..periods), plus derl when discount and renewals are given and residual_value when margin is."""
    return projection_json(SBG().fit(survivors), periods, discount=discount, renewals=renewals, margin=margin)


def projection_json(
    model: SBG,
    periods: int,
    discount: float | None = None,
    renewals: int | None = None,
    margin: float | None = None,
) -> dict:
    """The JSON keys of a fitted model: alpha, beta, log_likelihood, survival, retention[, derl, residual_value]."""
    result = {
        "alpha": model.alpha_,
        "beta": model.beta_,
        "log_likelihood": model.log_likelihood_,
        "survival": [float(s) for s in model.survival(periods)],
        "retention": [float(r) for r in model.retention(periods)],
    }
    if discount is None and renewals is None and margin is None:
        return result
    if discount is None or renewals is None:
        raise UsageError("DERL needs both a discount rate and a number of renewals; give both or neither")
    result["derl"] = model.derl(discount, renewals)
    if margin is not None:
        result["residual_value"] = model.residual_value(margin, discount, renewals)
    return result


def _minus_log_likelihood(log_params: np.ndarray, churned: np.ndarray, still: np.ndarray) -> tuple[float, np.ndarray]:
    """-LL and its gradient with respect to (ln alpha, ln beta), the coordinates the optimizer moves.
    churned[t - 1] leave in period t; still[h] are still there after h periods, the end of their data."""
    a, b = np.exp(log_params)
    t = np.arange(1, len(churned) + 1, dtype=float)
    h = np.arange(len(still), dtype=float)
    log_p = betaln(a + 1, b + t - 1) - betaln(a, b)
    log_s = betaln(a, b + h) - betaln(a, b)
    ll = churned @ log_p + still @ log_s
    # d ln B(x, y) / dx = psi(x) - psi(x + y), and the same for y; -ln B(a, b) is in every term.
    base_a, base_b = digamma(a + b) - digamma(a), digamma(a + b) - digamma(b)
    da = churned @ (digamma(a + 1) - digamma(a + b + t) + base_a) + still @ (digamma(a + b) - digamma(a + b + h))
    db = churned @ (digamma(b + t - 1) - digamma(a + b + t) + base_b) + still @ (
        digamma(b + h) - digamma(a + b + h) + base_b
    )
    return -float(ll), -np.array([a * da, b * db])


def _validated_survivors(survivors: Sequence[int], *, minimum: int = 3, name: str = "survivors") -> np.ndarray:
    values = list(survivors)
    # One period only shows r(1) = beta / (alpha + beta): any alpha with the right ratio fits it exactly.
    if not values and minimum <= 1:
        raise UsageError(f"{name} is empty: give at least the cohort size")
    if len(values) < minimum:
        raise UsageError(
            f"{name} needs at least {minimum} values (the cohort and two later periods) to tell alpha from beta, "
            f"got {len(values)}"
        )
    for i, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, Real) or not float(value).is_integer() or value < 0:
            raise UsageError(f"{name} must be whole numbers of customers (0 or more); value {i + 1} is {value!r}")
    if values[0] <= 0:
        raise UsageError(f"{name} must start with the cohort size, which must be more than 0")
    for i in range(1, len(values)):
        if values[i] > values[i - 1]:
            raise UsageError(
                f"{name} must never increase (a cohort only loses customers); value {i + 1} ({values[i]}) "
                f"is more than value {i} ({values[i - 1]})"
            )
    return np.array(values, dtype=float)


def _whole(name: str, value: int, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < minimum:
        raise UsageError(f"{name} must be a whole number of at least {minimum}, not {value!r}")
    return int(value)


def _discount(discount: float) -> float:
    # d = 0 is refused: the undiscounted residual lifetime is infinite whenever alpha <= 1.
    if isinstance(discount, bool) or not isinstance(discount, Real) or not (0 < discount < math.inf):
        raise UsageError(f"discount must be a rate per period above 0 (for example 0.1), not {discount!r}")
    return float(discount)
