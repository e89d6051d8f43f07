"""What an account is going through on a given day, looked up for many (account, day) pairs at once.

Activity (paying, trialling, gone), the approach of a churn (usage and mood fade over its last
three months) and the approach of an expansion (usage climbs over the two months before it).
Lookups are binary searches on (account, day) keys, so any vector of pairs costs O(n log m).
"""

from __future__ import annotations

import numpy as np

from tenure.demo.billing import Billing

STRIDE = 1 << 21  # more days than any history has (day offsets, negative before the window, stay well inside)
CHURN_RAMP_DAYS = 90
CHURN_FLOOR = 0.3
EXPANSION_RAMP_DAYS = 60
EXPANSION_PEAK = 1.5


class Timeline:
    def __init__(self, billing: Billing) -> None:
        account, start, end, weight = billing.spans
        self._span_key = account * STRIDE + start
        self._span_end, self._span_weight, self._span_account = end, weight, account
        self._churns = (billing.churns[0] * STRIDE + billing.churns[1], billing.churns[0])
        self._expansions = (billing.expansions[0] * STRIDE + billing.expansions[1], billing.expansions[0])

    def activity(self, account: np.ndarray, day: np.ndarray) -> np.ndarray:
        """1.0 while paying, 0.7 in a trial, 0 before, between and after subscriptions."""
        if not len(self._span_key):
            return np.zeros(np.shape(day))
        at = np.searchsorted(self._span_key, account * STRIDE + day, side="right") - 1
        found = at >= 0
        at = np.maximum(at, 0)
        inside = found & (self._span_account[at] == account) & (day < self._span_end[at])
        return np.where(inside, self._span_weight[at], 0.0)

    def active_until(self, n: int, days: int) -> np.ndarray:
        """Per account, the day after its last paying or trial day (capped at `days`); 0 if none."""
        until = np.zeros(n, np.int64)
        np.maximum.at(until, self._span_account, np.minimum(self._span_end, days))
        return until

    def fate(self, account: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Falls linearly from 1 to CHURN_FLOOR over the days before the account's next churn."""
        left = _days_to_next(*self._churns, account, day)
        return 1 - (1 - CHURN_FLOOR) * np.clip(1 - left / CHURN_RAMP_DAYS, 0, 1)

    def boost(self, account: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Rises linearly from 1 to EXPANSION_PEAK over the days before the account's next expansion."""
        left = _days_to_next(*self._expansions, account, day)
        return 1 + (EXPANSION_PEAK - 1) * np.clip(1 - left / EXPANSION_RAMP_DAYS, 0, 1)


def _days_to_next(keys: np.ndarray, owner: np.ndarray, account: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days from each (account, day) to the account's next event strictly after that day (large if none).

    Days before the window are negative, so the owner of a key is looked up, not derived from it."""
    if not len(keys):
        return np.full(np.shape(day), float(STRIDE))
    query = account * STRIDE + day
    at = np.searchsorted(keys, query, side="right")
    last = np.minimum(at, len(keys) - 1)
    nxt = keys[last]
    same = (at < len(keys)) & (owner[last] == account)
    return np.where(same, nxt - query, STRIDE).astype(np.float64)
