"""Users: the people of each account, joining as the account grows into its seats.

The first user (the admin who signed up) arrives with the account; the rest of the first seats
follow within weeks; seats bought later fill gradually until the account's last active day.
Users are numbered in (account, join day) order, so "users who had joined by day d" is a prefix of
the account's users, found by one binary search.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tenure.demo import names
from tenure.demo.billing import ADDON, Billing
from tenure.demo.clock import Window
from tenure.demo.company import Accounts
from tenure.demo.timeline import STRIDE
from tenure.demo.write import ids, instants, pick

MAX_USERS_PER_ACCOUNT = 1500
ROLES = ("admin", "member", "viewer")


@dataclass
class People:
    account: np.ndarray  # per user, sorted by (account, joined)
    joined: np.ndarray  # day offset
    clock: np.ndarray  # second of the day the user joined
    offset: np.ndarray  # per account: index of its first user (length n + 1)
    user_ids: pa.Array
    columns: dict = field(default_factory=dict)

    def available(self, account: np.ndarray, day: np.ndarray) -> np.ndarray:
        """How many of the account's users had joined by that day (the first is there from day one)."""
        key = np.asarray(account) * STRIDE + np.asarray(day)
        return np.searchsorted(self.account * STRIDE + self.joined, key, side="right") - self.offset[account]

    def pick(self, account: np.ndarray, day: np.ndarray, rng: np.random.Generator, skew: float = 1.0) -> np.ndarray:
        """A random joined user per (account, day); skew > 1 favours early users (champions, power users)."""
        have = np.maximum(self.available(account, day), 1)
        return self.offset[account] + np.minimum((have * rng.random(len(have)) ** skew).astype(np.int64), have - 1)


def make_people(a: Accounts, billing: Billing, window: Window, rng: np.random.Generator) -> People:
    rows = billing.rows
    main = rows["plan"] != ADDON
    most_seats = a.seats.copy()
    np.maximum.at(most_seats, rows["account"][main], rows["seats"][main])
    last_day = np.full(a.n, -1)
    np.maximum.at(last_day, billing.spans[0], billing.spans[2] - 1)
    last_day = np.minimum(np.maximum(last_day, a.created), window.days - 1)  # accounts may predate the window

    utilisation = np.clip(0.6 + 0.12 * a.fit + rng.normal(0, 0.08, a.n), 0.25, 1.0)
    count = np.clip(np.round(most_seats * utilisation), 1, MAX_USERS_PER_ACCOUNT).astype(np.int64)
    first_seats = np.clip(np.round(a.seats * utilisation), 1, count).astype(np.int64)
    offset = np.concatenate([[0], np.cumsum(count)])
    account = np.repeat(np.arange(a.n), count)
    rank = np.arange(len(account)) - offset[account]
    early = a.created[account] + rng.exponential(12, len(account)).astype(np.int64)
    later_from = np.minimum(a.created[account] + 30, last_day[account])
    later = later_from + (rng.random(len(account)) * (last_day[account] - later_from + 1)).astype(np.int64)
    joined = np.where(rank == 0, a.created[account], np.where(rank < first_seats[account], early, later))
    joined = np.minimum(joined, last_day[account])
    order = np.lexsort((rank, joined, account))
    account, joined = account[order], joined[order]
    clock = (a.clock[account] + rng.normal(0, 3600, len(account)).astype(np.int64)) % 86_400
    # Nobody joins an account before it exists: on its first day, join after the signup.
    first_day = joined == a.created[account]
    clock = np.where(first_day, np.maximum(clock, a.clock[account]), clock)
    clock[offset[:-1][count > 0]] = a.clock[count > 0]  # the admin joined when the account was created
    people = People(account, joined, clock, offset, ids("usr_", np.arange(1, len(account) + 1), 7))
    people.columns = _columns(people, a, window, rng)
    return people


def _columns(p: People, a: Accounts, window: Window, rng: np.random.Generator) -> dict:
    n = len(p.account)
    first = rng.integers(0, len(names.FIRST_NAMES), n)
    last = rng.integers(0, len(names.LAST_NAMES), n)
    plain_first = np.array([_ascii(w) + "." for w in names.FIRST_NAMES], dtype=object)
    plain_last = np.array([_ascii(w) for w in names.LAST_NAMES], dtype=object)
    local = plain_first[first] + plain_last[last]
    domains = _domains(a)
    frame = pd.DataFrame({"account": p.account, "local": local})
    repeat = frame.groupby(["account", "local"], sort=False).cumcount().to_numpy()
    # A second Ana Smith at the same company gets ana.smith2@...
    suffix = np.where(repeat > 0, (repeat + 1).astype(str), "").astype(object)
    email = local + suffix + "@" + np.array(domains, dtype=object)[p.account]
    rank = np.arange(n) - p.offset[p.account]
    role = np.where(rank == 0, 0, np.where(rng.random(n) < 0.05, 0, np.where(rng.random(n) < 0.8, 1, 2)))
    return {
        "user_id": p.user_ids,
        "account_id": None,  # filled by the caller from the accounts' ids
        "email": pa.array(email, pa.string()),
        "name": pc.binary_join_element_wise(pick(names.FIRST_NAMES, first), pick(names.LAST_NAMES, last), " "),
        "role": pick(ROLES, role),
        "created_at": instants(window.micros(p.joined, p.clock)),
    }


def users_table(p: People, account_ids: pa.Array) -> pa.Table:
    columns = dict(p.columns)
    columns["account_id"] = account_ids.take(pa.array(p.account))
    return pa.table(columns)


def _ascii(word: str) -> str:
    return word.lower().replace("ü", "ue").replace("'", "").replace(" ", "")


def _domains(a: Accounts) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for label in a.columns["name"].to_pylist():
        words = label.split(" ")
        slug = _ascii("".join(words[:2]))
        seen[slug] = seen.get(slug, 0) + 1
        out.append(f"{slug}{seen[slug] if seen[slug] > 1 else ''}.com")
    return out
