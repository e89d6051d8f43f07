"""The per-account usage profile (docs/metrics/accounts.md): one row per account as of a day.

Everything is point-in-time: only facts dated on or before the `as_of` day (days of the workspace
time zone) count, so a health backtest can evaluate the profile at past days. Windows end with
`as_of`, included: the last 30 days are `as_of - 29 .. as_of`, the 30 before `as_of - 59 .. as_of - 30`.

    from the daily rollup `_daily_activity` (tenure refresh):
      active_users_30d / _prev_30d   distinct users with an active row in the window
      active_days_30d / _prev_30d    distinct days with an active row (any user, or none)
      logins_30d / _prev_30d         login events in the window
      logins_per_user_week           logins_30d / active_users_30d x 7 / 30
      login_trend                    (logins_30d - logins_prev_30d) / logins_prev_30d
      tier                           [usage.tiers] thresholds on active_days_30d
      kb_views_30d, content_views_30d, password_resets_30d
      last_active_day, days_since_active
    reused families: features_used_30d and breadth (adoption), messages_30d, open_rate_30d,
    click_rate_30d (engagement), nps and csat with their responses (surveys, [surveys] windows);
    and here: mrr at the end of as_of (the revenue engine's row MRR), tickets_30d, open_tickets.

An account created after `as_of` did not exist yet and has no row. Accounts without activity have
zero counts and the tier `dormant`; ratios are null where their denominator is 0.
"""

from __future__ import annotations

from datetime import date, timedelta

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from tenure.metrics.adoption import account_adoption
from tenure.metrics.engagement import account_engagement
from tenure.metrics.fx import row_mrr
from tenure.metrics.numbers import MONEY, ratio
from tenure.metrics.surveys import account_voice
from tenure.warehouse import Warehouse, refresh, rollup

WINDOW_DAYS = 30
TIERS = ("power", "core", "casual", "dormant")
COLUMNS = (
    "account_id", "name", "segment", "owner", "created_at", "mrr",
    "active_users_30d", "active_users_prev_30d", "active_days_30d", "active_days_prev_30d",
    "logins_30d", "logins_prev_30d", "logins_per_user_week", "login_trend", "tier",
    "features_used_30d", "breadth", "kb_views_30d", "content_views_30d", "password_resets_30d",
    "last_active_day", "days_since_active",
    "messages_30d", "open_rate_30d", "click_rate_30d",
    "nps_responses", "nps", "csat_responses", "csat",
    "tickets_30d", "open_tickets",
)
_USAGE_COUNTS = (
    "active_users_30d", "active_users_prev_30d", "active_days_30d", "active_days_prev_30d",
    "logins_30d", "logins_prev_30d", "kb_views_30d", "content_views_30d", "password_resets_30d",
)


def account_profile(warehouse: Warehouse, as_of: date) -> ir.Table:
    """One row per account created on or before `as_of`, ordered by account_id (module docstring)."""
    refresh.require(warehouse, rollup.TABLE)
    accounts = warehouse.table("accounts")
    accounts = accounts.filter(accounts.created_at.date() <= as_of)
    rows = accounts.select("account_id", "name", "segment", "owner", "created_at")
    rows = _attach(rows, _usage(warehouse, as_of), zero=_USAGE_COUNTS)
    rows = _attach(rows, account_adoption(warehouse, as_of), zero=("features_used_30d",))
    engagement = account_engagement(warehouse, as_of, days=WINDOW_DAYS)
    rows = _attach(rows, engagement.select(
        "account_id", messages_30d=engagement.messages, open_rate_30d=engagement.open_rate,
        click_rate_30d=engagement.click_rate,
    ), zero=("messages_30d",))
    rows = _attach(rows, account_voice(warehouse, as_of), zero=("nps_responses", "csat_responses"))
    rows = _attach(rows, _tickets(warehouse, as_of), zero=("tickets_30d", "open_tickets"))
    rows = _attach(rows, _mrr(warehouse, as_of), zero=("mrr",))

    tiers = warehouse.settings.usage.tiers
    days = rows.active_days_30d
    rows = rows.mutate(
        mrr=rows.mrr.cast(MONEY),
        # Per active user and week: 30 days are 30/7 weeks.
        logins_per_user_week=ratio(rows.logins_30d * 7, rows.active_users_30d * WINDOW_DAYS),
        login_trend=ratio(rows.logins_30d - rows.logins_prev_30d, rows.logins_prev_30d),
        tier=ibis.cases(
            (days >= tiers.power_days, "power"),
            (days >= tiers.core_days, "core"),
            (days >= tiers.casual_days, "casual"),
            else_="dormant",
        ),
        days_since_active=(ibis.literal(as_of) - rows.last_active_day).cast(dt.int64),
    )
    return rows.order_by("account_id").select(*COLUMNS)


def _usage(warehouse: Warehouse, as_of: date) -> ir.Table:
    """The rollup's counts per account over the two windows, and the last active day up to as_of."""
    activity = warehouse.table(rollup.TABLE)
    activity = activity.filter(activity.day <= as_of)
    recent = activity.day >= as_of - timedelta(days=WINDOW_DAYS - 1)
    previous = activity.day.between(as_of - timedelta(days=2 * WINDOW_DAYS - 1), as_of - timedelta(days=WINDOW_DAYS))
    active = activity.active
    # count(DISTINCT user_id) skips the null user of events sent without one: they make a day active, not a user.
    return activity.group_by("account_id").aggregate(
        active_users_30d=activity.user_id.nunique(where=active & recent),
        active_users_prev_30d=activity.user_id.nunique(where=active & previous),
        active_days_30d=activity.day.nunique(where=active & recent),
        active_days_prev_30d=activity.day.nunique(where=active & previous),
        logins_30d=activity.logins.sum(where=recent),
        logins_prev_30d=activity.logins.sum(where=previous),
        kb_views_30d=activity.kb_views.sum(where=recent),
        content_views_30d=activity.content_views.sum(where=recent),
        password_resets_30d=activity.password_resets.sum(where=recent),
        last_active_day=activity.day.max(where=active),
    )


def _tickets(warehouse: Warehouse, as_of: date) -> ir.Table:
    """tickets_30d created in the window; open_tickets created by as_of and not solved by it."""
    tickets = warehouse.table("tickets")
    tickets = tickets.filter(tickets.created_at.date() <= as_of)
    # A ticket solved without a recorded solved_at was solved at an unknown time: trust its status.
    still_open = ibis.ifelse(
        tickets.solved_at.notnull(),
        tickets.solved_at.date() > as_of,
        ~tickets.status.lower().isin(["solved", "closed"]),
    )
    recent = tickets.created_at.date() >= as_of - timedelta(days=WINDOW_DAYS - 1)
    return tickets.group_by("account_id").aggregate(
        tickets_30d=tickets.count(where=recent), open_tickets=tickets.count(where=still_open)
    )


def _mrr(warehouse: Warehouse, as_of: date) -> ir.Table:
    """MRR at the end of as_of: rows started on or before it and not ended by then, as month-end MRR is."""
    rows = row_mrr(warehouse)
    live = (rows.start_date.date() <= as_of) & (rows.end_date.isnull() | (rows.end_date.date() > as_of))
    rows = rows.filter(live)
    return rows.group_by("account_id").aggregate(mrr=rows.mrr.sum())


def _attach(rows: ir.Table, per_account: ir.Table, *, zero: tuple[str, ...]) -> ir.Table:
    """Left-join per-account figures onto the rows; the `zero` columns of an absent account are 0."""
    added = [c for c in per_account.columns if c != "account_id"]
    joined = rows.left_join(per_account, "account_id").select(rows, *[per_account[c] for c in added])
    return joined.mutate(**{c: joined[c].fill_null(0) for c in zero})
