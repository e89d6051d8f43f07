"""Messages (e-mail and in-app, with opens and clicks) and customer milestones reached with the CSM.

Healthy accounts open and click more; onboarding quality decides how fast and how surely an account
goes live; a stated goal is met mostly by accounts that stay healthy. Nothing is dated after the
end of history or after the account's first churn.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from tenure.demo import names
from tenure.demo.billing import Billing
from tenure.demo.clock import Window
from tenure.demo.company import Accounts
from tenure.demo.people import People
from tenure.demo.timeline import Timeline
from tenure.demo.write import ids, instants, pick

CAMPAIGNS = ("onboarding_welcome", "onboarding_tips", "onboarding_checkin", "newsletter", "product_update", "win_back")
MILESTONES = ("kickoff_done", "go_live", "first_business_review", "goal_met")
HOUR = 3600


def messages(a: Accounts, people: People, timeline: Timeline, billing: Billing, window: Window, rng) -> tuple[dict, np.ndarray]:
    parts = []
    # Onboarding sequence to the admin on days 0, 3 and 10.
    for k, after in enumerate((0, 3, 10)):
        parts.append((np.arange(a.n), a.created + after, np.full(a.n, k)))
    # Monthly newsletter and a quarterly product update to up to three users of every active account.
    months = window.months()
    account = np.repeat(np.arange(a.n), len(months))
    month = np.tile(months, a.n)
    day = window.month_start(month) + 6
    live = (day < window.days) & (timeline.activity(account, np.minimum(day, window.days - 1)) > 0)
    account, month, day = account[live], month[live], day[live]
    copies = np.minimum(people.available(account, day), 3)
    update = (month % 3) == 0
    parts.append((np.repeat(account, copies), np.repeat(day, copies), np.repeat(np.where(update, 4, 3), copies)))
    # A win-back offer a month after each churn.
    churned, churn_day = billing.churns
    parts.append((churned, churn_day + 30, np.full(len(churned), 5)))

    account = np.concatenate([p[0] for p in parts])
    day = np.concatenate([p[1] for p in parts])
    campaign = np.concatenate([p[2] for p in parts])
    keep = (day >= 0) & (day < window.days)  # the e-mail tool only keeps the window's sends
    account, day, campaign = account[keep], day[keep], campaign[keep]
    order = np.lexsort((day, account))
    account, day, campaign = account[order], day[order], campaign[order]
    n = len(account)
    user = np.where(campaign <= 2, people.offset[account], people.pick(account, day, rng, skew=1.5))
    sent = window.micros(day, (9 * HOUR + rng.integers(0, 1800, n)) % 86_400)
    health = a.health(account, day)
    fate = timeline.fate(account, day)
    opens = rng.random(n) < 1 / (1 + np.exp(-(-0.4 + 0.6 * health + 2.0 * (fate - 1) + 0.8 * (campaign <= 2))))
    clicks = opens & (rng.random(n) < 0.2 + 0.1 * (health > 0))
    opened = sent + (rng.exponential(8 * HOUR, n) + 60).astype(np.int64) * 1_000_000
    clicked = opened + (rng.exponential(300, n) + 5).astype(np.int64) * 1_000_000
    end = window.end_micros
    no_open = ~opens | (opened >= end)
    no_click = ~clicks | no_open | (clicked >= end)
    return {
        "message_id": ids("msg_", np.arange(1, n + 1), 8),
        "account_id": None,
        "user_id": people.user_ids.take(pa.array(user)),
        "campaign": pick(CAMPAIGNS, campaign),
        "sent_at": instants(sent),
        "opened_at": instants(opened, no_open),
        "clicked_at": instants(clicked, no_click),
    }, account


def milestones(a: Accounts, billing: Billing, window: Window, rng) -> tuple[dict, np.ndarray]:
    start = billing.paid_start
    paid = start < window.days
    big = a.segment >= 1
    onb = a.onboarding
    kickoff = start + 1 + rng.exponential(4, a.n).astype(np.int64)
    has_kickoff = paid & (rng.random(a.n) < np.where(big, 0.95, 0.6))
    go_live = kickoff + (rng.lognormal(np.log(25), 0.5, a.n) * np.exp(-0.35 * onb)).astype(np.int64)
    has_go_live = paid & (rng.random(a.n) < 1 / (1 + np.exp(-(1.0 + 1.2 * onb + 0.5 * a.fit))))
    review = go_live + rng.integers(60, 110, a.n)
    has_review = has_go_live & big & (rng.random(a.n) < 0.85)
    goal = go_live + 90 + rng.exponential(60, a.n).astype(np.int64)
    at_goal = np.minimum(goal, window.days - 1)
    has_goal = has_go_live & (rng.random(a.n) < 1 / (1 + np.exp(-(0.2 + 1.3 * a.health(np.arange(a.n), at_goal)))))

    parts = []
    for kind, (day, has) in enumerate(((kickoff, has_kickoff), (go_live, has_go_live), (review, has_review), (goal, has_goal))):
        ok = has & (day < window.days) & (day < billing.first_churn)
        parts.append((np.flatnonzero(ok), day[ok], np.full(ok.sum(), kind)))
    account = np.concatenate([p[0] for p in parts])
    day = np.concatenate([p[1] for p in parts])
    kind = np.concatenate([p[2] for p in parts])
    order = np.lexsort((kind, account))
    account, day, kind = account[order], day[order], kind[order]
    n = len(account)
    note = rng.integers(0, len(names.MILESTONE_NOTES), n)
    second = (a.clock[account] + rng.integers(0, 4 * HOUR, n)) % 86_400
    return {
        "account_id": None,
        "milestone": pick(MILESTONES, kind),
        "achieved_at": instants(window.micros(day, second)),
        "note": pick(names.MILESTONE_NOTES, note, np.array([s == "" for s in names.MILESTONE_NOTES])[note]),
    }, account

