"""Kaplan-Meier survival curves of customers, whole or by segment or cohort, with confidence intervals.

Each customer gives a duration (months from her start to her churn, or to now if she is still a
customer) and whether her churn was observed (False: still a customer, right-censored). Per group:

    survival(t) = product over churn times u <= t of (1 - churned at u / at risk at u)
    at_risk(t)  = customers whose duration is t or more
    ci_lower, ci_upper = lifelines' exponential Greenwood interval (Greenwood's variance on
                         ln(-ln S)), which stays inside [0, 1]

The estimator is lifelines.KaplanMeierFitter; the timeline is 0 and every distinct duration.
Rows come group by group, groups sorted by name; `group` is null when no groups are given.
"""

from __future__ import annotations

from numbers import Real

import numpy as np
import pyarrow as pa
from numpy.typing import ArrayLike

from tenure.errors import UsageError

SCHEMA = pa.schema([
    ("group", pa.string()),
    ("timeline", pa.float64()),
    ("survival", pa.float64()),
    ("ci_lower", pa.float64()),
    ("ci_upper", pa.float64()),
    ("at_risk", pa.int64()),
])


def kaplan_meier(
    durations: ArrayLike, observed: ArrayLike, groups: ArrayLike | None = None, alpha: float = 0.05
) -> pa.Table:
    """Kaplan-Meier curve(s) with a (1 - alpha) confidence interval, one row per group and time."""
    durations, observed, groups = _validated(durations, observed, groups, alpha)
    # Imported here because importing lifelines takes seconds, and every `tenure` command would pay it.
    from lifelines import KaplanMeierFitter

    parts = []
    for group in [None] if groups is None else sorted(set(groups)):
        mask = np.ones(len(durations), dtype=bool) if group is None else groups == group
        fitted = KaplanMeierFitter(alpha=alpha).fit(durations[mask], event_observed=observed[mask])
        timeline = fitted.survival_function_.index.to_numpy(dtype=float)
        interval = fitted.confidence_interval_survival_function_.to_numpy(dtype=float)
        parts.append(pa.table({
            "group": pa.array([group] * len(timeline), pa.string()),
            "timeline": timeline,
            "survival": fitted.survival_function_.iloc[:, 0].to_numpy(dtype=float),
            "ci_lower": interval[:, 0],
            "ci_upper": interval[:, 1],
            "at_risk": fitted.event_table["at_risk"].loc[timeline].to_numpy(dtype=np.int64),
        }, schema=SCHEMA))
    return pa.concat_tables(parts)


def _validated(durations, observed, groups, alpha):
    durations = np.asarray(durations)
    observed = np.asarray(observed)
    if durations.ndim != 1 or len(durations) == 0:
        raise UsageError("durations must be a non-empty list of numbers, one per customer")
    if not np.issubdtype(durations.dtype, np.number) or not np.all(np.isfinite(durations)) or np.any(durations < 0):
        raise UsageError("durations must be finite numbers of months, 0 or more")
    if observed.shape != durations.shape:
        raise UsageError(f"observed has {observed.size} values but durations has {len(durations)}; give one per customer")
    if observed.dtype != bool:
        if not np.issubdtype(observed.dtype, np.number) or not np.all(np.isin(observed, (0, 1))):
            raise UsageError("observed must say for each customer whether she churned: True/False or 1/0")
        observed = observed == 1
    if groups is not None:
        raw = list(groups)
        if len(raw) != len(durations):
            raise UsageError(f"groups has {len(raw)} values but durations has {len(durations)}; give one per customer")
        if any(g is None or (isinstance(g, float) and np.isnan(g)) for g in raw):
            raise UsageError("groups must name a group for every customer; found a missing value")
        groups = np.array([str(g) for g in raw], dtype=object)
    if isinstance(alpha, bool) or not isinstance(alpha, Real) or not 0 < alpha < 1:
        raise UsageError(f"alpha must be between 0 and 1 (0.05 gives a 95% interval), not {alpha!r}")
    return durations.astype(float), observed, groups


def survival_summary(curves: pa.Table, at: list[float]) -> pa.Table:
    """Per group of `kaplan_meier` curves: customers (at risk at time 0), median_survival (the first
    time the curve is at or below 0.5; null if it never gets there) and survival_at_<t> for each t of
    `at` (the curve's value at its last time <= t; null past the group's longest duration unless the
    curve has reached 0, since a censored tail says nothing about later times)."""
    rows = []
    groups = curves.column("group").to_pylist()
    timeline = np.asarray(curves.column("timeline").to_numpy(zero_copy_only=False), dtype=float)
    survival = np.asarray(curves.column("survival").to_numpy(zero_copy_only=False), dtype=float)
    at_risk = curves.column("at_risk").to_pylist()
    # Rows come group by group (see kaplan_meier), so each group is one contiguous run.
    starts = [i for i in range(len(groups)) if i == 0 or groups[i] != groups[i - 1]]
    for first, stop in zip(starts, starts[1:] + [len(groups)]):
        times, values = timeline[first:stop], survival[first:stop]
        below = np.nonzero(values <= 0.5)[0]
        row = {
            "group": groups[first],
            "customers": int(at_risk[first]),
            "median_survival": float(times[below[0]]) if len(below) else None,
        }
        for t in at:
            seen = np.nonzero(times <= t)[0]
            # Past the longest duration the curve is known only if it has reached 0 (nobody left).
            known = len(seen) and (t <= times[-1] or values[-1] == 0)
            row[f"survival_at_{t:g}"] = float(values[seen[-1]]) if known else None
        rows.append(row)
    return pa.Table.from_pylist(rows)
