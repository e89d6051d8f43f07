"""Subscriptions as service periods, simulated one billing boundary at a time for all accounts at once.

Each paying account walks its own boundaries (every 1, 3 or 12 months from its start). At each
boundary its latent health sets the odds of churning (monthly plans at any boundary, longer terms
only at term end), expanding (more seats, a plan upgrade, a switch to annual) or contracting. A
change ends the current row and starts the next at the same instant; an annual row that simply
renews stays one open row, so renewals are read from its anniversaries. Some churned accounts come
back months later on a new subscription (win-back), with a new champion.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tenure.demo.clock import NEVER, Window
from tenure.demo.company import SEATS_MEDIAN, SHOWCASE, Accounts

PLANS = ("Starter", "Growth", "Enterprise", "Analytics add-on")
ADDON = 3
# Monthly list price per seat, by currency (USD, EUR) and plan tier.
SEAT_PRICE = np.array([[25.0, 45.0, 79.0], [23.0, 42.0, 73.0]])
ADDON_PRICE = np.array([150.0, 140.0])
TERM_DISCOUNT = {1: 1.0, 3: 0.95, 12: 0.85}
# Billing interval mix by segment over (1, 3, 12) months.
INTERVALS = np.array([1, 3, 12])
INTERVAL_SHARE = np.array([[0.80, 0.05, 0.15], [0.40, 0.10, 0.50], [0.08, 0.04, 0.88]])
# Monthly base hazards by segment; health scales them up or down.
CHURN = np.array([0.034, 0.012, 0.008])
EXPAND = np.array([0.022, 0.050, 0.065])
CONTRACT = np.array([0.012, 0.014, 0.012])
SIZE_STICKINESS = 0.3
SEATS_MEDIAN = np.array(SEATS_MEDIAN)
TRIAL_DAYS = 14
# The tour's account (company.SHOWCASE) pays monthly, never churns, and expands at this boundary.
SHOWCASE_EXPANDS_AT = 2


@dataclass
class Billing:
    rows: dict[str, np.ndarray]  # account, sub_key, plan, start, end, cents, interval, seats, trial
    churns: tuple[np.ndarray, np.ndarray]  # (account, day), sorted
    expansions: tuple[np.ndarray, np.ndarray]
    spans: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # (account, start, end, weight) of main rows
    paid_start: np.ndarray  # first paid day per account, NEVER if it never paid
    first_churn: np.ndarray


class _Rows:
    def __init__(self) -> None:
        self.parts: list[dict[str, np.ndarray]] = []

    def add(self, **columns: np.ndarray) -> None:
        self.parts.append({k: np.asarray(v) for k, v in columns.items()})

    def concat(self) -> dict[str, np.ndarray]:
        return {k: np.concatenate([p[k] for p in self.parts]) for k in self.parts[0]}


def _cents(a: Accounts, idx, plan, seats, interval, price_factor) -> np.ndarray:
    discount = np.select([interval == 1, interval == 3], [1.0, 0.95], 0.85)
    amount = SEAT_PRICE[a.currency[idx], plan] * seats * interval * discount * price_factor
    return np.maximum(np.round(amount * 100), 100).astype(np.int64)


def simulate(a: Accounts, window: Window, rng: np.random.Generator) -> Billing:
    n, end = a.n, window.days
    everyone = np.arange(n)
    rows = _Rows()
    churn_parts: list[tuple[np.ndarray, np.ndarray]] = []
    expand_parts: list[tuple[np.ndarray, np.ndarray]] = []

    plan = np.minimum(a.segment, 2).astype(np.int64)
    seats = a.seats.copy()
    interval = INTERVALS[(rng.random(n)[:, None] > INTERVAL_SHARE[a.segment].cumsum(1)).sum(1).clip(0, 2)]
    # Enterprise deals are negotiated; everyone else pays list price.
    price_factor = np.where(a.segment == 2, rng.uniform(0.7, 1.0, n), 1.0)
    showcase = everyone == SHOWCASE
    interval[showcase] = 1

    converts = 1 / (1 + np.exp(-(0.6 + 1.1 * a.fit + 0.8 * a.onboarding))) > rng.random(n)
    trial_idx = np.flatnonzero(a.trial)
    rows.add(account=trial_idx, sub_no=np.zeros(len(trial_idx), np.int64), plan=plan[trial_idx],
             start=a.created[trial_idx], end=a.created[trial_idx] + TRIAL_DAYS, cents=np.zeros(len(trial_idx), np.int64),
             interval=np.ones(len(trial_idx), np.int64), seats=seats[trial_idx], trial=np.ones(len(trial_idx), bool))
    paid_start = np.where(a.trial, a.created + TRIAL_DAYS, a.created)
    paying = (~a.trial | converts) & (paid_start < end)
    paid_start = np.where(paying, paid_start, NEVER)

    alive = paying.copy()
    row_start = paid_start.copy()
    sub_no = np.zeros(n, np.int64)
    anchor = paid_start.copy()  # boundaries are anchor + k * interval months
    dom = np.minimum(window.day_of_month(np.minimum(paid_start, end)), 28)
    cycles = np.ones(n, np.int64)
    next_boundary = np.where(alive, window.add_months(np.minimum(anchor, end), interval, dom), NEVER)
    comeback = np.full(n, NEVER)
    first_churn = np.full(n, NEVER)

    def close(i: np.ndarray, at: np.ndarray) -> None:
        rows.add(account=i, sub_no=sub_no[i], plan=plan[i], start=row_start[i], end=at,
                 cents=_cents(a, i, plan[i], seats[i], interval[i], price_factor[i]), interval=interval[i],
                 seats=seats[i], trial=np.zeros(len(i), bool))

    while True:
        back = np.flatnonzero(~alive & (comeback < end))
        if len(back):
            day = comeback[back]
            alive[back], row_start[back], anchor[back], cycles[back] = True, day, day, 1
            sub_no[back] += 1
            seats[back] = np.maximum(1, np.round(seats[back] * rng.uniform(0.5, 1.0, len(back)))).astype(np.int64)
            dom[back] = np.minimum(window.day_of_month(day), 28)
            next_boundary[back] = window.add_months(day, interval[back], dom[back])
            # The account returns because someone new champions it.
            a.champion_back[back] = np.minimum(a.champion_back[back], day)
            comeback[back] = NEVER
        due = np.flatnonzero(alive & (next_boundary < end))
        if not len(due) and not len(back):
            break
        if not len(due):
            continue
        at = next_boundary[due]
        seg, months = a.segment[due], interval[due]
        h = a.health(due, at)
        # Bigger deployments are stickier than the segment's typical account.
        size = (seats[due] / SEATS_MEDIAN[seg]) ** -SIZE_STICKINESS
        p_churn = 1 - (1 - np.minimum(CHURN[seg] * size * np.exp(-1.1 * h), 0.6)) ** months
        # An account that has every seat it will ever need can only expand by upgrading its plan.
        full = seats[due] >= a.seat_ceiling[due]
        can_expand = ~full | (plan[due] < 2)
        p_expand = (1 - (1 - np.minimum(EXPAND[seg] * np.exp(0.8 * h), 0.5)) ** months) * can_expand
        p_contract = 1 - (1 - np.minimum(CONTRACT[seg] * np.exp(-0.8 * h), 0.5)) ** months
        shown = showcase[due]
        p_churn = np.where(shown, 0.0, p_churn)
        p_expand = np.where(shown & (cycles[due] == SHOWCASE_EXPANDS_AT), 1.0, p_expand)
        u = rng.random(len(due))
        churn = u < p_churn
        expand = ~churn & (u < p_churn + p_expand)
        # Nothing left to cut on a one-seat plan that cannot be downgraded.
        room = (seats[due] > 1) | (plan[due] == 1)
        contract = ~churn & ~expand & (u < p_churn + p_expand + p_contract) & room
        uplift = ~(churn | expand | contract) & (months >= 12) & (rng.random(len(due)) < 0.3)
        changed = churn | expand | contract | uplift
        close(due[changed], at[changed])

        i = due[expand]
        kind = rng.random(len(i))
        upgrade = ((kind < 0.15) | full[expand]) & (plan[i] < 2)
        to_annual = ~upgrade & (kind < 0.25) & (interval[i] == 1)
        plan[i] += upgrade
        interval[i[to_annual]] = 12
        # Seats grow up to the ceiling; an account moving to annual commits to more seats too, so its
        # MRR still rises after the annual discount.
        g = i[~upgrade]
        low = np.where(to_annual[~upgrade], 1.25, 1.1)
        seats[g] = np.minimum(np.ceil(seats[g] * rng.uniform(low, low + 0.5)), a.seat_ceiling[g]).astype(np.int64)
        expand_parts.append((i, at[expand]))

        i = due[contract]
        downgrade = (rng.random(len(i)) < 0.2) & (plan[i] == 1)
        plan[i] -= downgrade
        shrink = i[~downgrade]
        seats[shrink] = np.maximum(1, np.floor(seats[shrink] * rng.uniform(0.6, 0.9, len(shrink)))).astype(np.int64)

        price_factor[due[uplift]] *= rng.uniform(1.03, 1.08, uplift.sum())
        row_start[due[changed]] = at[changed]

        i = due[churn]
        alive[i] = False
        churn_parts.append((i, at[churn]))
        first_churn[i] = np.minimum(first_churn[i], at[churn])
        wins = rng.random(len(i)) < 0.10 + 0.08 * (a.fit[i] > 0.5)
        delay = 2 + rng.geometric(0.25, len(i))
        comeback[i[wins]] = window.add_months(at[churn][wins], delay[wins], dom[i[wins]])

        # Advance: a new interval (switch to annual) re-anchors the term at this boundary.
        reanchor = expand & (interval[due] != months)
        anchor[due[reanchor]], cycles[due[reanchor]] = at[reanchor], 0
        cycles[due] += 1
        next_boundary[due] = window.add_months(anchor[due], interval[due] * cycles[due], dom[due])
        next_boundary[due[churn]] = NEVER

    still = np.flatnonzero(alive)
    close(still, np.full(len(still), NEVER))
    _add_ons(a, rows, paid_start, first_churn, end, rng)
    table = rows.concat()
    order = np.lexsort((table["start"], table["sub_no"], table["account"]))
    table = {k: v[order] for k, v in table.items()}
    main = table["plan"] != ADDON
    spans = (table["account"][main], table["start"][main], np.minimum(table["end"][main], end),
             np.where(table["trial"][main], 0.7, 1.0))
    return Billing(table, _events(churn_parts), _events(expand_parts), spans, paid_start, first_churn)


def _add_ons(a: Accounts, rows: _Rows, paid_start, first_churn, end: int, rng) -> None:
    """A second, monthly subscription next to the main one for some larger accounts."""
    candidates = np.flatnonzero((a.segment >= 1) & (paid_start < end) & (rng.random(a.n) < 0.18))
    start = paid_start[candidates] + rng.integers(45, 300, len(candidates))
    ok = (start < end) & (start < first_churn[candidates])
    i, start = candidates[ok], start[ok]
    dropped = start + rng.integers(60, 400, len(i))
    stop = np.where(rng.random(len(i)) < 0.3, np.minimum(dropped, first_churn[i]), first_churn[i])
    stop = np.where(stop < end, stop, NEVER)
    cents = np.round(ADDON_PRICE[a.currency[i]] * 100).astype(np.int64)
    rows.add(account=i, sub_no=np.full(len(i), 63), plan=np.full(len(i), ADDON), start=start, end=stop, cents=cents,
             interval=np.ones(len(i), np.int64), seats=np.ones(len(i), np.int64), trial=np.zeros(len(i), bool))


def _events(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    account = np.concatenate([p[0] for p in parts])
    day = np.concatenate([p[1] for p in parts])
    order = np.lexsort((day, account))
    return account[order], day[order]
