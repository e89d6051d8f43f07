"""Tickets and surveys: the customer's voice, louder and angrier as health falls and churn nears.

Tickets arrive per account-month at a rate that grows with size and with trouble; first responses
follow business hours (a ticket filed on Saturday night waits for Monday morning); whatever would
happen after the end of history has not happened yet (open tickets, no solve time).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from tenure.demo import names
from tenure.demo.clock import Window
from tenure.demo.company import Accounts
from tenure.demo.people import People
from tenure.demo.timeline import Timeline
from tenure.demo.write import ids, instants, pick

PRIORITIES = ("low", "normal", "high", "urgent")
CHANNELS = ("email", "chat", "web", "phone")
OPEN_STATES = ("open", "pending", "on_hold")
RESPONSE_MEDIAN_HOURS = np.array([9.0, 4.0, 1.5, 0.5])
RESOLUTION_MEDIAN_HOURS = np.array([40.0, 22.0, 10.0, 5.0])
HOUR = 3600


def _month_cells(a: Accounts, window: Window):
    months = window.months()
    account = np.repeat(np.arange(a.n), len(months))
    month = np.tile(months, a.n)
    return account, window.month_start(month), window.month_start(month + 1)


def tickets(a: Accounts, people: People, timeline: Timeline, window: Window, rng: np.random.Generator) -> dict:
    account, first, stop = _month_cells(a, window)
    mid = np.minimum((first + stop) // 2, window.days - 1)
    health = a.health(account, mid)
    fate = timeline.fate(account, mid)
    size = people.available(account, mid) ** 0.5
    rate = 0.35 * size * timeline.activity(account, mid) * np.exp(-0.6 * health) * (1 + 2.5 * (1 - fate))
    k = rng.poisson(rate)
    account, first, stop = (np.repeat(x, k) for x in (account, first, stop))
    day = first + (rng.random(len(account)) * (stop - first)).astype(np.int64)
    keep = (day < window.days) & (timeline.activity(account, np.minimum(day, window.days - 1)) > 0)
    account, day = account[keep], day[keep]
    n = len(account)
    order = np.lexsort((day, account))
    account, day = account[order], day[order]
    health = a.health(account, day)
    trouble = 1 / (1 + np.exp(2 * health))

    second = (a.clock[account] + rng.normal(0, 3 * HOUR, n).astype(np.int64)) % 86_400
    created = window.micros(day, second)
    priority = np.searchsorted(np.cumsum([0.2, 0.58, 0.16, 0.06]), rng.random(n) * (1 - 0.15 * trouble) + 0.15 * trouble, side="right")
    priority = np.minimum(priority, 3)
    wait = _business_wait(window, day, second)
    response = created + (wait + rng.lognormal(np.log(RESPONSE_MEDIAN_HOURS[priority] * HOUR), 0.8)).astype(np.int64) * 1_000_000
    reopens = rng.poisson(0.08 + 0.4 * trouble)
    escalated = rng.random(n) < 0.02 + 0.08 * (priority == 3) + 0.1 * trouble
    resolve = rng.lognormal(np.log(RESOLUTION_MEDIAN_HOURS[priority] * HOUR), 1.0) * (1 + reopens) * (1 + trouble)
    solved = response + resolve.astype(np.int64) * 1_000_000
    replies = 1 + rng.poisson(0.6 + 0.5 * (priority >= 2) + 1.2 * reopens + escalated)

    end = window.end_micros
    unanswered = response >= end
    unsolved = solved >= end
    status = np.where(solved < end - 4 * 86_400 * 1_000_000, 5, 4)  # closed after 4 quiet days, else solved
    status = np.where(unsolved, 1 + rng.integers(0, 3, n), status)
    status = np.where(unanswered, 0, status)
    rated = ~unsolved & (rng.random(n) < 0.35)
    csat = np.clip(np.round(4.3 + 0.6 * health - 0.5 * reopens - 0.5 * escalated + rng.normal(0, 0.8, n)), 1, 5)
    topic = rng.integers(0, len(names.TICKET_TOPICS), n)
    statuses = ("new", "open", "pending", "on_hold", "solved", "closed")
    columns = {
        "ticket_id": ids("tkt_", np.arange(1, n + 1), 7),
        "account_id": None,
        "user_id": people.user_ids.take(pa.array(people.pick(account, day, rng))),
        "created_at": instants(created),
        "first_response_at": instants(response, unanswered),
        "solved_at": instants(solved, unsolved),
        "status": pick(statuses, status),
        "priority": pick(PRIORITIES, priority),
        "channel": pick(CHANNELS, rng.choice(4, n, p=[0.45, 0.3, 0.2, 0.05])),
        "agent_replies": pa.array(np.where(unanswered, 0, replies)),
        "reopens": pa.array(np.where(unsolved, 0, reopens)),
        "escalated": pa.array(escalated),
        "csat": pa.array(csat.astype(np.int64), mask=~rated),
        "subject": pick([s for s, _ in names.TICKET_TOPICS], topic),
        "tags": pick([t for _, t in names.TICKET_TOPICS], topic),
    }
    # What surveys need to follow up on solved tickets.
    facts = {"account": account, "solved": np.where(unsolved, -1, solved), "reopens": reopens,
             "escalated": escalated, "health": health, "day": day}
    return {"columns": columns, "account": account, "facts": facts}


def _business_wait(window: Window, day: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Seconds until agents are at their desks (08:00-18:00 UTC, Monday to Friday)."""
    late = second >= 18 * HOUR
    start_day = day + late
    start_second = np.where(late | (second < 8 * HOUR), 8 * HOUR, second)
    weekday = window.weekday(start_day)
    skip = np.select([weekday == 5, weekday == 6], [2, 1], 0)  # a weekend waits for Monday 08:00
    start_second = np.where(skip > 0, 8 * HOUR, start_second)
    return (start_day + skip - day) * 86_400 + start_second - second


def surveys(a: Accounts, people: People, timeline: Timeline, window: Window, ticket_facts: dict, rng) -> tuple[dict, np.ndarray]:
    end = window.end_micros
    parts = []
    # Relationship NPS twice a year (waves in March and September), a few users per account.
    account, first, stop = _month_cells(a, window)
    month_of_year = (window.month_index(first) % 12) + 1
    wave = np.isin(month_of_year, (3, 9))
    account, first = account[wave], first[wave]
    day = first + rng.integers(0, 25, len(account))
    asked = np.minimum(people.available(account, np.minimum(day, window.days - 1)), 6)
    k = rng.binomial(asked, 0.3) * (timeline.activity(account, np.minimum(day, window.days - 1)) > 0)
    account, day = np.repeat(account, k), np.repeat(day, k) + rng.integers(0, 10, k.sum())
    health, fate = a.health(account, day), timeline.fate(account, day)
    score = np.clip(np.round(7.4 + 1.5 * health + 4.0 * (fate - 1) + rng.normal(0, 1.5, len(account))), 0, 10)
    parts.append((account, day, 0, score))
    # In-app CSAT each quarter from a sample of active accounts.
    account, first, stop = _month_cells(a, window)
    quarter = np.isin((window.month_index(first) % 12) + 1, (2, 5, 8, 11)) & (rng.random(len(account)) < 0.25)
    account, day = account[quarter], first[quarter] + rng.integers(0, 28, quarter.sum())
    active = timeline.activity(account, np.minimum(day, window.days - 1)) > 0
    account, day = account[active], day[active]
    health, fate = a.health(account, day), timeline.fate(account, day)
    score = np.clip(np.round(4.0 + 0.6 * health + 1.5 * (fate - 1) + rng.normal(0, 0.8, len(account))), 1, 5)
    parts.append((account, day, 1, score))
    # CES after a quarter of solved tickets: effort grows with reopens and escalations.
    f = ticket_facts
    asked = (f["solved"] >= 0) & (rng.random(len(f["account"])) < 0.25)
    account, solved = f["account"][asked], f["solved"][asked]
    day = (solved // 1_000_000 // 86_400) - window.first_epoch_day
    score = np.clip(np.round(5.3 + 0.6 * f["health"][asked] - 0.7 * f["reopens"][asked] - 0.8 * f["escalated"][asked]
                             + rng.normal(0, 1.0, len(account))), 1, 7)
    parts.append((account, day, 2, score))

    account = np.concatenate([p[0] for p in parts])
    day = np.concatenate([p[1] for p in parts])
    kind = np.concatenate([np.full(len(p[0]), p[2]) for p in parts])
    score = np.concatenate([p[3] for p in parts]).astype(np.int64)
    second = (a.clock[account] + rng.integers(-4 * HOUR, 6 * HOUR, len(account))) % 86_400
    at = window.micros(day, second)
    keep = at < end
    account, day, kind, score, at = account[keep], day[keep], kind[keep], score[keep], at[keep]
    order = np.lexsort((at, account))
    account, day, kind, score, at = account[order], day[order], kind[order], score[order], at[order]
    n = len(account)
    user = people.pick(account, np.minimum(day, window.days - 1), rng)
    comment, has = _comments(kind, score, rng)
    return {
        "response_id": ids("rsp_", np.arange(1, n + 1), 7),
        "account_id": None,
        "user_id": people.user_ids.take(pa.array(user)),
        "kind": pick(("nps", "csat", "ces"), kind),
        "score": pa.array(score),
        "comment": pa.array(comment, mask=~has),
        "responded_at": instants(at),
    }, account


def _comments(kind: np.ndarray, score: np.ndarray, rng) -> tuple[list, np.ndarray]:
    has = rng.random(len(kind)) < 0.3
    pick_at = rng.integers(0, 1000, len(kind))
    out = []
    for k, s, i in zip(kind, score, pick_at):
        if k == 0:
            pool = names.NPS_COMMENTS["detractor" if s <= 6 else "passive" if s <= 8 else "promoter"]
        else:
            pool = names.CSAT_COMMENTS if k == 1 else names.CES_COMMENTS
        out.append(pool[i % len(pool)])
    return out, has
