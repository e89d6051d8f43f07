"""The customer base: who the accounts are, and the hidden health that decides their fate.

Each account carries latent causes no table shows directly: product `fit`, `onboarding` quality
(whose effect fades over the first months) and a champion who may leave at some point (and is
replaced when the account comes back after a churn). `health(account, day)` combines them; billing
draws churn and expansion from it, and usage, tickets and surveys are all shaped by it, so every
signal downstream has something true to find.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tenure.demo import names
from tenure.demo.clock import NEVER, Window
from tenure.demo.write import decimals, ids, instants, pick

SEGMENTS = ("SMB", "Mid-Market", "Enterprise")
SEGMENT_SHARE = (0.62, 0.28, 0.10)
CURRENCIES = ("USD", "EUR")
CHANNELS = ("organic", "paid_search", "paid_social", "partner", "outbound")
# Where each segment's accounts come from (rows: segment, columns: CHANNELS).
CHANNEL_SHARE = np.array([
    [0.40, 0.30, 0.22, 0.06, 0.02],
    [0.25, 0.25, 0.10, 0.20, 0.20],
    [0.10, 0.05, 0.00, 0.30, 0.55],
])
# CSM owners, assigned by segment: SMB is pooled, larger accounts have named owners.
OWNERS = (
    ("smb-success@tenure-demo.com",),
    ("maria.lopez@tenure-demo.com", "james.chen@tenure-demo.com", "fatima.khan@tenure-demo.com"),
    ("oliver.schmidt@tenure-demo.com", "sarah.okoye@tenure-demo.com"),
)
SEATS_MEDIAN = (4, 22, 70)
SEATS_SPREAD = (0.6, 0.6, 0.45)  # sigma of the log of seats wanted
SEATS_RANGE = ((1, 40), (8, 250), (40, 2500))
EMPLOYEES_MEDIAN = (30, 400, 5000)
TRIAL_SHARE = (0.75, 0.45, 0.15)
# The company is older than the window it exports: it was founded PREHISTORY_MONTHS before the window
# opens, so the window starts on an installed base instead of a founding spike. Sign-ups grow by
# ACQUISITION_GROWTH a month (compounded) from a small launch cohort of early adopters.
PREHISTORY_MONTHS = 48
ACQUISITION_GROWTH = 0.008
LAUNCH_SHARE = 0.04
# Health lost while an account has no champion, and the share of accounts that find a new one.
CHAMPION_LOSS = 1.3
CHAMPION_REPLACED = 0.5
# The tour's account (README, "A tour"): acc_000001 has the same story in every demo, whatever the seed
# and size, so each tour command has something to show. A Mid-Market customer that signed up about
# SHOWCASE_AGE_DAYS before the end (or on the first day of a shorter history), fits, onboarded well,
# keeps its champion, never churns and buys more (billing.SHOWCASE_EXPANDS_AT). Its traits are set
# after the accounts' draws, so they never depend on the seed; later stages draw for it along with
# every other account, so the rest of the company differs from a company without it.
SHOWCASE = 0
SHOWCASE_ID = "acc_000001"  # the id _columns gives account SHOWCASE
SHOWCASE_AGE_DAYS = 330


@dataclass
class Accounts:
    n: int
    since: int  # day offset (<= 0) the company was founded: the first day any row can date from
    segment: np.ndarray  # index into SEGMENTS
    region: np.ndarray
    currency: np.ndarray  # index into CURRENCIES
    channel: np.ndarray
    created: np.ndarray  # day offset
    clock: np.ndarray  # second of the day at which the account acts (signup, billing)
    seats: np.ndarray  # seats wanted at signup
    seat_ceiling: np.ndarray  # most seats the account will ever buy
    trial: np.ndarray  # starts with a 14-day trial
    fit: np.ndarray
    onboarding: np.ndarray
    engagement: np.ndarray  # how chatty the account's product usage is, independent of health
    champion_leaves: np.ndarray  # day offset, NEVER if the champion stays
    champion_back: np.ndarray  # day a new champion arrives (NEVER if none; billing sets it on win-back)
    columns: dict

    def health(self, account: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Latent health of accounts on days (broadcasting); around 0, lower is worse."""
        base = 0.9 * self.fit[account] + 0.25 * (self.segment[account] == 2)
        fading = np.exp(-np.maximum(day - self.created[account], 0) / 150.0)
        lost = (day >= self.champion_leaves[account]) & (day < self.champion_back[account])
        return base + 0.8 * self.onboarding[account] * fading - CHAMPION_LOSS * lost


def make_accounts(n: int, window: Window, rng: np.random.Generator) -> Accounts:
    days = window.days
    since = int(window.month_start(window.month_index(0) - PREHISTORY_MONTHS))
    # A launch cohort (early adopters, migrated customers), then arrivals that grow a few percent a
    # month: inverse CDF of a density proportional to exp(g t) over [since, days).
    launch = rng.random(n) < LAUNCH_SHARE
    g, span = ACQUISITION_GROWTH * 12 / 365.25, days - since
    later = since + np.log1p(rng.random(n) * np.expm1(g * span)) / g
    created = np.where(launch, since + rng.integers(0, 60, n), later.astype(np.int64))
    created = np.sort(np.minimum(created, days - 1))  # account numbers follow signup order
    segment = rng.choice(3, n, p=SEGMENT_SHARE)
    region = rng.choice(4, n, p=names.REGION_SHARE)
    currency = ((region == 1) & (rng.random(n) < 0.8)).astype(np.int64)
    channel = (rng.random(n)[:, None] > CHANNEL_SHARE[segment].cumsum(1)).sum(1).clip(0, 4)
    med = np.array(SEATS_MEDIAN)[segment]
    lo, hi = np.array(SEATS_RANGE).T[:, segment]
    seats = np.clip(np.round(med * rng.lognormal(0, np.array(SEATS_SPREAD)[segment])), lo, hi).astype(np.int64)
    # How far the account can grow (its teams, its budget): expansions stop adding seats there.
    seat_ceiling = np.maximum(seats + 1, np.round(seats * rng.lognormal(0.8, 0.35, n))).astype(np.int64)
    champion_leaves = np.where(rng.random(n) < 0.4, created + 60 + rng.exponential(420, n).astype(np.int64), NEVER)
    # Half the accounts that lose their champion find a new one within a year or so (billing also
    # brings one with every win-back); the others stay exposed until they churn.
    replaced = (champion_leaves < NEVER) & (rng.random(n) < CHAMPION_REPLACED)
    champion_back = np.where(replaced, champion_leaves + 60 + rng.exponential(240, n).astype(np.int64), NEVER)
    accounts = Accounts(
        n=n,
        since=since,
        segment=segment,
        region=region,
        currency=currency,
        channel=channel,
        created=created,
        clock=_business_second(region, rng),
        seats=seats,
        seat_ceiling=seat_ceiling,
        trial=rng.random(n) < np.array(TRIAL_SHARE)[segment],
        fit=rng.normal(0, 1, n),
        onboarding=rng.normal(0, 1, n),
        engagement=rng.lognormal(0, 0.35, n),
        champion_leaves=champion_leaves,
        champion_back=champion_back,
        columns={},
    )
    _showcase(accounts, days)
    accounts.columns = _columns(accounts, window, rng)
    return accounts


def _showcase(a: Accounts, days: int) -> None:
    i = SHOWCASE
    a.created[i] = max(0, days - SHOWCASE_AGE_DAYS)
    a.segment[i], a.trial[i] = 1, False
    a.seats[i], a.seat_ceiling[i] = 20, 60
    a.fit[i], a.onboarding[i], a.engagement[i] = 1.2, 1.0, 1.2
    a.champion_leaves[i] = a.champion_back[i] = NEVER


def _business_second(region: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A UTC second of the day that is business hours in the region."""
    local = np.clip(rng.normal(13.0, 2.6, len(region)), 0, 23.99) * 3600
    return ((local + np.array(names.REGION_UTC_SHIFT)[region] * 3600) % 86_400).astype(np.int64)


def _columns(a: Accounts, window: Window, rng: np.random.Generator) -> dict:
    n = a.n
    number = np.arange(1, n + 1)
    first = rng.integers(0, len(names.COMPANY_FIRST), n)
    second = rng.integers(0, len(names.COMPANY_SECOND), n)
    suffix_usd = rng.integers(0, len(names.SUFFIX_USD), n)
    suffix_eur = rng.integers(0, len(names.SUFFIX_EUR), n)
    label = [
        " ".join(filter(None, (names.COMPANY_FIRST[f], names.COMPANY_SECOND[s],
                               names.SUFFIX_EUR[e] if c else names.SUFFIX_USD[u])))
        for f, s, u, e, c in zip(first, second, suffix_usd, suffix_eur, a.currency)
    ]
    owner = np.array([OWNERS[s][k % len(OWNERS[s])] for s, k in zip(a.segment, rng.integers(0, 6, n))], dtype=object)
    country = [names.COUNTRIES[r][k % len(names.COUNTRIES[r])] for r, k in zip(a.region, rng.integers(0, 60, n))]
    employees = np.maximum(2, np.round(np.array(EMPLOYEES_MEDIAN)[a.segment] * rng.lognormal(0, 0.7, n))).astype(np.int64)
    # A few enterprise subsidiaries roll up to an earlier enterprise account.
    parent = np.full(n, -1)
    big = np.flatnonzero(a.segment == 2)
    if len(big) > 3:
        children = big[1:][rng.random(len(big) - 1) < 0.08]
        parent[children] = big[(rng.random(len(children)) * np.searchsorted(big, children)).astype(np.int64)]
    return {
        "account_id": ids("acc_", number, 6),
        "name": pa.array(label),
        "created_at": None,  # filled in by the writer: needs the clock
        "segment": pick(SEGMENTS, a.segment),
        "industry": pick(names.INDUSTRIES, rng.integers(0, len(names.INDUSTRIES), n)),
        "region": pick(names.REGIONS, a.region),
        "owner": pa.array(owner, pa.string()),
        "acquisition_channel": pick(CHANNELS, a.channel),
        "parent_account_id": pc.if_else(pa.array(parent >= 0), ids("acc_", parent + 1, 6), pa.nulls(n, pa.string())),
        # Extra columns a CRM export carries; tenure keeps them as account attributes.
        "employees": pa.array(employees),
        "country": pa.array(country),
    }


def accounts_table(a: Accounts, window: Window) -> pa.Table:
    columns = dict(a.columns)
    columns["created_at"] = instants(window.micros(a.created, a.clock))
    return pa.table(columns)


def fx_table(window: Window, since: int, rng: np.random.Generator) -> pa.Table:
    """Daily USD per EUR: a mean-reverting walk around 1.08, every day from `since` (the founding, so
    every subscription row can be converted at its start) to the end of the window."""
    days = window.days - since
    shocks = rng.normal(0, 0.0035, days)
    level = np.empty(days)
    x = rng.normal(0, 0.02)
    for i in range(days):  # one step per day: a couple of thousand iterations at most
        x = 0.995 * x + shocks[i]
        level[i] = x
    rate = np.round(1.08 * np.exp(level) * 10_000).astype(np.int64)
    dates = (window.first + since + np.arange(days)).astype(str)
    return pa.table({"date": pa.array(dates), "currency": pa.array(["EUR"] * days), "rate": decimals(rate, 4)})


# Monthly cost per new account by channel (USD), and a fixed monthly base (content, tools, salaries).
CHANNEL_CAC = (250.0, 1100.0, 800.0, 1600.0, 4500.0)
CHANNEL_BASE = (2500.0, 1500.0, 1000.0, 500.0, 6000.0)


def spend_table(a: Accounts, window: Window, rng: np.random.Generator) -> pa.Table:
    """Sales and marketing spend per month and channel, in USD, driven by the accounts it brought in."""
    months = window.months()
    first = months[0]
    arrived = np.zeros((len(months), len(CHANNELS)))
    inside = a.created >= 0  # the export covers the window's months only
    np.add.at(arrived, (window.month_index(a.created[inside]) - first, a.channel[inside]), 1)
    # Spend leads acquisition a little: next month's sign-ups are bought this month.
    bought = 0.6 * arrived + 0.4 * np.vstack([arrived[1:], arrived[-1:]])
    scale = max(a.n, 50) / 500
    amount = (bought * np.array(CHANNEL_CAC) + scale * np.array(CHANNEL_BASE)) * rng.lognormal(0, 0.12, bought.shape)
    cents = np.round(amount * 100).astype(np.int64)
    month_labels = months.astype("datetime64[M]").astype(str)
    return pa.table({
        "month": pa.array(np.repeat(month_labels, len(CHANNELS))),
        "channel": pa.array(np.tile(np.array(CHANNELS), len(months))),
        "amount": decimals(cents.ravel()),
        "currency": pa.array(["USD"] * cents.size),
    })
