"""Product events: a Poisson count per (account, day) from an intensity that knows the account's story.

intensity = rate x joined users^0.85 x activity (paying / trial) x weekday x exp(0.35 health)
            x fate (fades over the 3 months before a churn) x boost (climbs before an expansion)
            x the account's own chattiness.

Event names come from the account's feature mix (features it adopted, by the day it adopted them),
blended with a "trouble" mix (knowledge-base views, password resets, exports) that grows as health
falls and churn nears. Password resets come in bursts. Events are produced for a block of accounts
at a time and written batch by batch, so memory stays flat however many events are asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np
import pyarrow as pa

from tenure.demo.clock import Window
from tenure.demo.company import Accounts
from tenure.demo.people import People
from tenure.demo.timeline import Timeline
from tenure.demo.write import ids, instants_typed

EVENTS = (
    "login", "dashboard_viewed", "report_created", "report_shared", "integration_connected", "api_call",
    "export_csv", "alert_configured", "kb_article_viewed", "password_reset",
)
LOGIN, DASHBOARD, REPORT, SHARE, INTEGRATION, API, EXPORT, ALERT, KB, RESET = range(len(EVENTS))
BASE_MIX = np.array([0.20, 0.30, 0.09, 0.05, 0.004, 0.18, 0.05, 0.02, 0.03, 0.004])
TROUBLE_MIX = np.array([0.25, 0.10, 0.0, 0.0, 0.0, 0.0, 0.15, 0.0, 0.40, 0.10])
# Mean days to adopt each feature for an average onboarding (0 = from the first day).
ADOPT_DAYS = np.array([0, 0, 15, 35, 25, 50, 20, 45, 0, 0])
BURST_CONTINUE = 0.55  # chance a password reset is followed by another within minutes
RATE_PER_USER_DAY = 0.5
WEEKDAY = np.array([1.0, 1.05, 1.05, 1.0, 0.85, 0.12, 0.08])
ROWS_PER_FILE = 4_800_000
ROWS_PER_BATCH = 1_000_000
ACCOUNTS_PER_BATCH = 4096

PROPERTIES = {
    LOGIN: ('{"method":"password"}', '{"method":"sso"}', '{"method":"google"}'),
    DASHBOARD: ('{"dashboard":"overview"}', '{"dashboard":"pipeline"}', '{"dashboard":"renewals"}', '{"dashboard":"team"}'),
    REPORT: ('{"report_type":"cohort"}', '{"report_type":"funnel"}', '{"report_type":"table"}'),
    SHARE: ('{"channel":"email"}', '{"channel":"slack"}', '{"channel":"link"}'),
    INTEGRATION: ('{"integration":"salesforce"}', '{"integration":"hubspot"}', '{"integration":"slack"}', '{"integration":"snowflake"}'),
    API: ('{"endpoint":"/v1/reports","status":200}', '{"endpoint":"/v1/accounts","status":200}', '{"endpoint":"/v1/events","status":429}'),
    EXPORT: ('{"format":"csv","source":"report"}', '{"format":"csv","source":"dashboard"}'),
    ALERT: ('{"metric":"usage_drop"}', '{"metric":"mrr"}', '{"metric":"tickets"}'),
    KB: ('{"article":"getting-started"}', '{"article":"reset-password"}', '{"article":"billing-faq"}', '{"article":"api-limits"}', '{"article":"export-data"}'),
    RESET: (),
}


@dataclass
class Usage:
    """Everything events need, plus the features each account uses and when it adopted them."""

    accounts: Accounts
    people: People
    timeline: Timeline
    window: Window
    mix: np.ndarray  # (accounts, features): the account's own base mix, rows sum to 1
    adopted: np.ndarray  # (accounts, features): day offset each feature was adopted
    until: np.ndarray  # per account: the day after its last active day in the window (0 if none)

    def cells(self, first: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        """Every (account, day) of the window from the account's creation to its last active day."""
        accounts = np.arange(first, stop)
        since = np.maximum(self.accounts.created[accounts], 0)
        lengths = np.maximum(self.until[accounts] - since, 0)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        account = np.repeat(accounts, lengths)
        day = np.repeat(since, lengths) + np.arange(lengths.sum()) - np.repeat(starts, lengths)
        return account, day

    def intensity(self, account: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, ...]:
        """(events expected, trouble share, joined users) per (account, day), events before scaling."""
        a, t = self.accounts, self.timeline
        users = self.people.available(account, day)
        health = a.health(account, day)
        fate = t.fate(account, day)
        rate = (RATE_PER_USER_DAY * users**0.85 * t.activity(account, day) * WEEKDAY[self.window.weekday(day)]
                * np.exp(0.35 * health) * fate * t.boost(account, day) * a.engagement[account])
        trouble = np.clip(0.03 + 0.2 / (1 + np.exp(2 * health)) + 0.5 * (1 - fate), 0, 0.9)
        return rate, trouble, users

    def expected(self, account: np.ndarray, day: np.ndarray) -> np.ndarray:
        """Expected rows per cell, counting the extra rows of password-reset bursts."""
        rate, trouble, _ = self.intensity(account, day)
        resets = trouble * TROUBLE_MIX[RESET] + (1 - trouble) * self.mix[account, RESET]
        return rate * (1 + resets * BURST_CONTINUE / (1 - BURST_CONTINUE))


def make_usage(a: Accounts, people: People, timeline: Timeline, window: Window, rng: np.random.Generator) -> Usage:
    seg = a.segment
    uses = np.ones((a.n, len(EVENTS)), bool)
    uses[:, API] = rng.random(a.n) < np.array([0.05, 0.35, 0.7])[seg]
    uses[:, INTEGRATION] = rng.random(a.n) < np.array([0.3, 0.6, 0.85])[seg]
    uses[:, ALERT] = rng.random(a.n) < 1 / (1 + np.exp(-a.fit))
    uses[:, SHARE] = rng.random(a.n) < 0.5 + 0.3 * (a.fit > 0)
    mix = BASE_MIX * uses
    mix /= mix.sum(1, keepdims=True)
    pace = np.exp(-0.5 * a.onboarding)[:, None] * ADOPT_DAYS
    adopted = a.created[:, None] + (rng.exponential(1.0, (a.n, len(EVENTS))) * pace).astype(np.int64)
    return Usage(a, people, timeline, window, mix, adopted, timeline.active_until(a.n, window.days))


def plan_files(usage: Usage, target_events: int | None) -> tuple[float, list[list[tuple[int, int]]]]:
    """The intensity scale that hits target_events, and per file the account ranges of its batches.

    A batch (about ROWS_PER_BATCH rows) is generated and written as one row group, so memory is
    bounded by the batch; a file holds about ROWS_PER_FILE rows."""
    n = usage.accounts.n
    per_account = np.zeros(n)
    for first in range(0, n, ACCOUNTS_PER_BATCH):
        account, day = usage.cells(first, min(first + ACCOUNTS_PER_BATCH, n))
        per_account += np.bincount(account, weights=usage.expected(account, day), minlength=n)
    total = per_account.sum()
    scale = target_events / total if target_events and total > 0 else 1.0
    running = np.cumsum(per_account * scale)
    cuts = np.searchsorted(running, np.arange(ROWS_PER_BATCH, running[-1] if n else 0, ROWS_PER_BATCH))
    edges = sorted({0, n, *cuts.tolist()})
    batches = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        # Quiet accounts can make a batch span many accounts; cap them so the day grid stays small.
        batches.extend((s, min(s + ACCOUNTS_PER_BATCH, hi)) for s in range(lo, hi, ACCOUNTS_PER_BATCH))
    files: list[list[tuple[int, int]]] = [[]]
    rows = 0.0
    for lo, hi in batches:
        size = running[hi - 1] - (running[lo - 1] if lo else 0)
        if files[-1] and rows + size > ROWS_PER_FILE:
            files.append([])
            rows = 0.0
        files[-1].append((lo, hi))
        rows += size
    return scale, files


def event_tables(usage: Usage, account_ids: pa.Array, scale: float, files: list[list[tuple[int, int]]],
                 seed: int) -> Iterator[tuple[int, pa.Table]]:
    """(file number, batch of events) in order; each batch draws from its own seed."""
    numbered = 0
    names = pa.array(EVENTS)
    templates, first_template, template_count = _templates()
    batch_no = 0
    for file_no, batches in enumerate(files):
        for lo, hi in batches:
            rng = np.random.default_rng([seed, 101, batch_no])
            batch_no += 1
            table = _batch(usage, lo, hi, scale, rng)
            account, day, event, user = table
            n = len(account)
            # Bursts: each password reset may be followed by more from the same user within minutes.
            repeat = np.ones(n, np.int64)
            resets = event == RESET
            repeat[resets] = rng.geometric(1 - BURST_CONTINUE, resets.sum())
            account, day, event, user = (np.repeat(c, repeat) for c in (account, day, event, user))
            n = len(account)
            within = np.arange(n) - np.repeat(np.cumsum(repeat) - repeat, repeat)
            a = usage.accounts
            second = (a.clock[account] + rng.normal(0, 2.5 * 3600, n).astype(np.int64)) % 86_400
            # On the day a user joins, their events come after they joined.
            joined_today = usage.people.joined[user] == day
            second = np.where(joined_today, np.maximum(second, usage.people.clock[user]), second) + 50 * within
            micros = usage.window.micros(day, second) + rng.integers(0, 1_000_000, n)
            count = template_count[event]
            template = first_template[event] + (rng.random(n) * np.maximum(count, 1)).astype(np.int64)
            yield file_no, pa.table({
                "event_id": ids("evt_", numbered + np.arange(n), 10),
                "account_id": account_ids.take(pa.array(account)),
                "user_id": usage.people.user_ids.take(pa.array(user)),
                "event": names.take(pa.array(event)),
                "timestamp": instants_typed(np.minimum(micros, usage.window.end_micros - 1)),
                "properties": templates.take(pa.array(template, mask=count == 0)),
            })
            numbered += n


def _batch(usage: Usage, lo: int, hi: int, scale: float, rng: np.random.Generator):
    account, day = usage.cells(lo, hi)
    rate, trouble, users = usage.intensity(account, day)
    counts = rng.poisson(rate * scale)
    cell = np.flatnonzero(counts)
    k = counts[cell]
    account, day = np.repeat(account[cell], k), np.repeat(day[cell], k)
    trouble, users = np.repeat(trouble[cell], k), np.repeat(users[cell], k)
    n = len(account)
    # The account's own mix, drawn by inverse CDF one feature column at a time (memory stays O(n)).
    cdf = np.cumsum(usage.mix[lo:hi], axis=1)
    u = rng.random(n)
    event = np.zeros(n, np.int64)
    local = account - lo
    for f in range(len(EVENTS) - 1):
        event += u >= cdf[local, f]
    troubled = rng.random(n) < trouble
    event[troubled] = np.searchsorted(np.cumsum(TROUBLE_MIX), rng.random(troubled.sum()), side="right")
    event = np.minimum(event, len(EVENTS) - 1)
    # A feature is only used once the account has adopted it.
    event[usage.adopted[account, event] > day] = DASHBOARD
    offset = usage.people.offset[account]
    user = offset + np.minimum((users * rng.random(n) ** 1.8).astype(np.int64), np.maximum(users, 1) - 1)
    return account, day, event, user


def _templates():
    flat, first, count = [], [], []
    for e in range(len(EVENTS)):
        first.append(len(flat))
        count.append(len(PROPERTIES[e]))
        flat.extend(PROPERTIES[e])
    return pa.array(flat, pa.string()), np.array(first), np.array(count)
