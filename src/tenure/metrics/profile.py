"""The per-account usage profile (docs/metrics/accounts.md): one row per account as of a day.

Everything is point-in-time: only facts dated on or before the `as_of` day (days of the workspace
time zone) count, so a health backtest can evaluate the profile at past days. Windows end with
`as_of`, included: the last 30 days are `as_of - 29 .. as_of`, the 30 before `as_of - 59 .. as_of - 30`.

    from the daily and monthly rollups (`_daily_activity`, `_monthly_activity`; tenure refresh):
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

from tenure.config.settings import Settings, WorkspaceSettings
from tenure.metrics.adoption import account_adoption
from tenure.metrics.calendar import month_of
from tenure.metrics.engagement import account_engagement
from tenure.metrics.fx import row_mrr
from tenure.metrics.numbers import MONEY, ratio
from tenure.metrics.per_account import join_figures
from tenure.metrics.surveys import account_voice
from tenure.warehouse import Warehouse, dated, monthly, refresh, rollup
from tenure.warehouse.localday import after, on_or_after, on_or_before

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


def account_profile(warehouse: Warehouse, as_of: date, *, settings: Settings) -> ir.Table:
    """One row per account created on or before `as_of`, ordered by account_id (module docstring): the
    settings give [usage.tiers], the features ([events]), the survey windows and the reporting currency."""
    zone = warehouse.timezone
    refresh.require(warehouse, rollup.TABLE, rollup.definition(settings.events, zone))
    refresh.require(warehouse, monthly.ACTIVITY, monthly.definition(settings.events, zone))
    accounts = warehouse.table("accounts")
    accounts = accounts.filter(on_or_before(accounts.created_at, as_of, zone))
    rows = accounts.select("account_id", "name", "segment", "owner", "created_at")
    engagement = account_engagement(warehouse, as_of, days=WINDOW_DAYS)
    engagement = engagement.select(
        "account_id", messages_30d=engagement.messages, open_rate_30d=engagement.open_rate,
        click_rate_30d=engagement.click_rate,
    )
    rows = join_figures(
        rows,
        (_usage(warehouse, as_of), dict.fromkeys(_USAGE_COUNTS, 0)),
        (account_adoption(warehouse, as_of, events=settings.events), {"features_used_30d": 0}),
        (engagement, {"messages_30d": 0}),
        (account_voice(warehouse, as_of, surveys=settings.surveys), {"nps_responses": 0, "csat_responses": 0}),
        (_tickets(warehouse, as_of), {"tickets_30d": 0, "open_tickets": 0}),
        (_mrr(warehouse, as_of, settings.workspace), {"mrr": 0}),
    )

    tiers = settings.usage.tiers
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
        days_since_active=(dated.as_value(as_of) - rows.last_active_day).cast(dt.int64),
    )
    return rows.order_by("account_id").select(*COLUMNS)


def _usage(warehouse: Warehouse, as_of: date) -> ir.Table:
    """Per account: the rollup's counts over the two windows, active users and days, the last active day.

    Event counts sum the daily rollup's rows of the 60 days. Active users and days read the monthly
    rollup instead: a unit's `span` (warehouse/monthly.py) holds its active days of the 30 days ending
    any day of its month, so "active in the window" is one mask test on the row of the window's last
    month, a user has one row per month (counted once), and an account's active days are the set bits
    of its rows' spans OR-ed together. The last active day is the highest day set up to as_of. The three
    parts are stacked (UNION ALL) and aggregated once per account instead of joined."""
    activity = warehouse.table(rollup.TABLE)
    window = activity.filter(activity.day.between(as_of - timedelta(days=2 * WINDOW_DAYS - 1), as_of))
    recent = window.day >= as_of - timedelta(days=WINDOW_DAYS - 1)
    sums = {
        "logins_30d": window.logins.sum(where=recent), "logins_prev_30d": window.logins.sum(where=~recent),
        "kb_views_30d": window.kb_views.sum(where=recent), "content_views_30d": window.content_views.sum(where=recent),
        "password_resets_30d": window.password_resets.sum(where=recent),
    }
    counts = window.group_by("account_id").aggregate(**sums)

    months = warehouse.table(monthly.ACTIVITY)
    ends = {"recent": as_of, "previous": as_of - timedelta(days=WINDOW_DAYS)}  # each window's last day
    active = months.filter(months.month_index.isin([month_of(end) for end in ends.values()]))
    users, days = {}, {}
    for name, end in ends.items():
        # The window's 30 days in the span of its last day's month: bits day - 29 + 30 .. day + 30.
        mask = _ones(WINDOW_DAYS, dated.day_of_month(end) + monthly.OWN_DAYS - WINDOW_DAYS)
        own = active.month_index == month_of(end)
        users[name] = active.count(where=own & active.user_id.notnull() & ((active.span & mask) != 0))
        days[name] = monthly.bit_count(active.span.bit_or(where=own) & mask)
    # (bit_or over no row is null: an account without a row in one of the months has 0 active days)
    units = active.group_by("account_id").aggregate(
        active_users_30d=users["recent"], active_users_prev_30d=users["previous"],
        active_days_30d=days["recent"], active_days_prev_30d=days["previous"],
    )

    so_far = months.filter(months.month_index <= month_of(as_of))
    past = _ones(dated.day_of_month(as_of))
    so_far = so_far.mutate(days=ibis.ifelse(so_far.month_index == month_of(as_of), so_far.days & past, so_far.days))
    so_far = so_far.filter(so_far.days != 0)
    # Each row's last day as month_index * 32 + (day - 1), so the account's latest is one max().
    latest = so_far.month_index * 32 + so_far.days.log2().floor().cast(dt.int64)
    last = so_far.group_by("account_id").aggregate(latest=latest.max())
    start = ibis.date(last.latest // 32 // 12, last.latest // 32 % 12 + 1, 1)
    last = last.select("account_id", last_active_day=monthly.plus_days(start, last.latest % 32))

    zero, no_day = ibis.literal(0, dt.int64), ibis.null(dt.date)
    figures = [*sums, *units.columns[1:]]
    stacked = ibis.union(
        counts.select("account_id", **{c: counts[c] for c in sums}, **{c: zero for c in units.columns[1:]}, last_day=no_day),
        units.select("account_id", **{c: zero for c in sums}, **{c: units[c] for c in units.columns[1:]}, last_day=no_day),
        last.select("account_id", **{c: zero for c in figures}, last_day=last.last_active_day),
    )
    return stacked.group_by("account_id").aggregate(
        **{c: stacked[c].sum().fill_null(0).cast(dt.int64) for c in figures}, last_active_day=stacked.last_day.max()
    )


def _ones(count: int | ir.IntegerValue, shift: int | ir.IntegerValue = 0) -> ir.IntegerValue:
    """An int64 with `count` bits set from bit `shift` up: a literal for numbers, an expression for a
    replayed day's (warehouse.dated.replay_day)."""
    if isinstance(count, int) and isinstance(shift, int):
        return ibis.literal(((1 << count) - 1) << shift, dt.int64)
    count, shift = (ibis.literal(n, dt.int64) if isinstance(n, int) else n.cast(dt.int64) for n in (count, shift))
    return ((ibis.literal(1, dt.int64) << count) - 1) << shift


def _tickets(warehouse: Warehouse, as_of: date) -> ir.Table:
    """tickets_30d created in the window; open_tickets created by as_of and not solved by it."""
    zone = warehouse.timezone
    tickets = warehouse.table("tickets")
    tickets = tickets.filter(on_or_before(tickets.created_at, as_of, zone))
    # A ticket solved without a recorded solved_at was solved at an unknown time: trust its status.
    still_open = ibis.ifelse(
        tickets.solved_at.notnull(),
        after(tickets.solved_at, as_of, zone),
        ~tickets.status.lower().isin(["solved", "closed"]),
    )
    recent = on_or_after(tickets.created_at, as_of - timedelta(days=WINDOW_DAYS - 1), zone)
    return tickets.group_by("account_id").aggregate(
        tickets_30d=tickets.count(where=recent), open_tickets=tickets.count(where=still_open)
    )


def _mrr(warehouse: Warehouse, as_of: date, workspace: WorkspaceSettings) -> ir.Table:
    """MRR at the end of as_of: rows started on or before it and not ended by then, as month-end MRR is."""
    zone = warehouse.timezone
    rows = row_mrr(warehouse, workspace=workspace)
    live = on_or_before(rows.start_date, as_of, zone) & (rows.end_date.isnull() | after(rows.end_date, as_of, zone))
    rows = rows.filter(live)
    return rows.group_by("account_id").aggregate(mrr=rows.mrr.sum())
