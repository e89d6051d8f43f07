"""Feature adoption and breadth (docs/metrics/adoption.md), from the rollups `tenure refresh` builds.

A feature is a named group of events ([[events.features]]). Monthly figures read `_monthly_features`
(the days of each month an account used each feature, as bits) and `_monthly_activity`; breadth, a
30-day window ending any day, reads the daily rollup `_daily_activity`. Days are calendar days in the workspace time zone, and "as of" a
month means as of its last day, or today for the current month (later days are not counted).

    per month and feature (adoption, the `adoption` family):
      active_accounts            accounts active in the month (usage's definition)
      using_accounts             of them, those that used the feature in the month
      adoption_rate              using_accounts / active_accounts
      new_adopters               accounts whose first use ever of the feature falls in the month
      time_to_adopt_days_median  over new_adopters: first use - start, in days; start is the
                                 account's creation day, or the launch day when later
      adopters                   accounts whose first use is on or before the month end
      duration_days_median       over adopters: last use up to the month end - first use, in days
      still_using_30d            adopters whose first use is 30+ days before the month end and who
                                 used the feature in the 30 days ending it / those adopters
    per account (account_adoption):
      breadth                    features used in the 30 days ending as_of / features configured

Rates are null when their denominator is 0; medians are null without values.

Why spells: "last use as of the month end" must see months before the range. An account's months
with use of a feature, in order, each start a spell lasting until the next one; at the end of every
month of a spell, the last use is that spell's month's last day. One lead() over the months with use
and an expansion of each spell into its months give every adopter's months, instead of a grid of
adopters and months joined back to a running maximum.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from tenure.config.settings import EventsSettings, Settings
from tenure.metrics import breakdown as bd
from tenure.metrics.calendar import label_expr, month_of
from tenure.metrics.numbers import ratio
from tenure.warehouse import Warehouse, monthly, refresh, rollup

COLUMNS = (
    "active_accounts", "using_accounts", "adoption_rate", "new_adopters", "time_to_adopt_days_median",
    "adopters", "duration_days_median", "still_using_30d",
)
ACCOUNT_COLUMNS = ("account_id", "features_used_30d", "breadth")
RECENT_DAYS = 30  # the window of still_using_30d and breadth
_COUNTS = ("active_accounts", "using_accounts", "new_adopters", "adopters")
_KEYS = ("account_id", "feature")


def adoption(warehouse: Warehouse, first: int, last: int, *, settings: Settings, by: str | None = None) -> ir.Table:
    """One row per month index from first to last and configured feature (per group with `by`), ordered."""
    breakdown = bd.resolve(warehouse, by, reserved=(*COLUMNS, "feature"))
    refresh.require(warehouse, monthly.FEATURES, monthly.definition(settings.events, warehouse.timezone))
    today = _today(warehouse)
    through = min(last, month_of(today))

    def attach(facts: ir.Table) -> ir.Table:
        return bd.attach(warehouse, facts.filter(facts.month_index.between(first, last)), breakdown,
                         workspace=settings.workspace)

    keys = bd.keys(breakdown)
    features = _so_far(warehouse.table(monthly.FEATURES), through, today)
    start = ibis.date(features.month_index // 12, features.month_index % 12 + 1, 1)
    uses = features.select(
        *_KEYS, "month_index",
        first_day=monthly.first_day(start, features.days), last_day=monthly.last_day(start, features.days),
    )
    active = _so_far(warehouse.table(monthly.ACTIVITY), through, today)
    active = active.select("account_id", "month_index").distinct()
    by_active = (facts := attach(active)).group_by(keys).aggregate(active_accounts=facts.count())

    # Feature use counts toward adoption_rate only from active accounts, so the rate stays within 0..1
    # when [events] activity leaves out a feature's events.
    using = uses.semi_join(active, ["account_id", "month_index"])
    by_using = (facts := attach(using)).group_by([*keys, "feature"]).aggregate(using_accounts=facts.count())

    adopters = _adopters(warehouse, uses, settings.events)
    new = adopters.mutate(month_index=adopters.first_month)
    by_new = (facts := attach(new)).group_by([*keys, "feature"]).aggregate(
        new_adopters=facts.count(), time_to_adopt_days_median=facts.time_to_adopt_days.median()
    )

    states = _states(uses, first, last, today)
    by_state = (facts := attach(states)).group_by([*keys, "feature"]).aggregate(
        adopters=facts.count(),
        duration_days_median=facts.duration_days.median(),
        settled=facts.count(where=facts.settled),
        still=facts.count(where=facts.settled & facts.recent),
    )

    grid = bd.grid(first, last, breakdown, by_active, by_using, by_new, by_state).cross_join(_feature_spine(settings.events, by_active))
    rows = grid.left_join(by_active, keys).select(grid, by_active.active_accounts)
    for table in (by_using, by_new, by_state):
        on = [*keys, "feature"]
        rows = rows.left_join(table, on).select(rows, *[table[c] for c in table.columns if c not in on])
    rows = rows.mutate(**{c: rows[c].fill_null(0).cast("int64") for c in (*_COUNTS, "settled", "still")})
    rows = rows.mutate(
        adoption_rate=ratio(rows.using_accounts, rows.active_accounts),
        still_using_30d=ratio(rows.still, rows.settled),
        month=label_expr(rows.month_index),
    )
    order = ["month_index", *([bd.GROUP] if breakdown else []), "feature_order"]
    rows = rows.order_by(order)
    group = [rows[bd.GROUP].name(breakdown.name)] if breakdown else []
    return rows.select("month", *group, "feature", *COLUMNS)


def account_adoption(warehouse: Warehouse, as_of: date, *, events: EventsSettings) -> ir.Table:
    """One row per account (accounts table): features used in the 30 days ending as_of, and breadth."""
    refresh.require(warehouse, rollup.TABLE, rollup.definition(events, warehouse.timezone))
    features = len(events.features)
    activity = warehouse.table(rollup.TABLE)
    recent = activity.filter(activity.day.between(as_of - timedelta(days=RECENT_DAYS - 1), as_of))
    used = rollup.feature_uses(warehouse, recent, events=events).select("account_id", "feature")
    per_account = used.group_by("account_id").aggregate(features_used_30d=used.feature.nunique())
    accounts = warehouse.table("accounts").select("account_id")
    rows = accounts.left_join(per_account, "account_id").select(accounts.account_id, per_account.features_used_30d)
    rows = rows.mutate(features_used_30d=rows.features_used_30d.fill_null(0).cast("int64"))
    rows = rows.mutate(breadth=ratio(rows.features_used_30d, ibis.literal(features, dt.int64)))
    return rows.order_by("account_id").select(*ACCOUNT_COLUMNS)


def _so_far(table: ir.Table, through: int, today: date) -> ir.Table:
    """A monthly rollup's rows up to month `through`, with the days after today masked off (rows
    left without a day dropped)."""
    table = table.filter(table.month_index <= through)
    past = ibis.literal((1 << today.day) - 1, dt.int64)  # today's month: days 1..today
    days = ibis.ifelse(table.month_index == month_of(today), table.days & past, table.days)
    table = table.mutate(days=days)
    return table.filter(table.days != 0)


def _adopters(warehouse: Warehouse, uses: ir.Table, events: EventsSettings) -> ir.Table:
    """account_id, feature, first_use, first_month, time_to_adopt_days (null without an accounts row)."""
    firsts = uses.group_by(list(_KEYS)).aggregate(first_use=uses.first_day.min(), first_month=uses.month_index.min())
    accounts = warehouse.table("accounts")
    created = accounts.select(created_account=accounts.account_id, created_day=accounts.created_at.date())
    joined = firsts.left_join(created, firsts.account_id == created.created_account)
    launch = _launch(events, joined.feature)
    start = ibis.cases((launch > joined.created_day, launch), else_=joined.created_day)
    return joined.select(
        *_KEYS, "first_use", "first_month", time_to_adopt_days=joined.first_use.delta(start, unit="day").cast(dt.float64)
    )


def _states(uses: ir.Table, first: int, last: int, today: date) -> ir.Table:
    """One row per adopter and month first..last from its first-use month: duration and recency as of
    the month end (the module docstring explains the spells)."""
    keys = list(_KEYS)
    spells = uses.mutate(
        first_use=uses.first_day.min().over(group_by=keys),
        until=uses.month_index.lead().over(group_by=keys, order_by="month_index").fill_null(last + 1),
    )
    spells = spells.filter((spells.until > first) & (spells.month_index <= last))
    months = ibis.range(ibis.greatest(spells.month_index, first), ibis.least(spells.until, last + 1)).unnest()
    rows = spells.select(*keys, "first_use", last_use=spells.last_day, month_index=months.cast(dt.int64))
    next_month = ibis.date((rows.month_index + 1) // 12, (rows.month_index + 1) % 12 + 1, 1)
    month_end = ibis.least((next_month - ibis.interval(days=1)).cast(dt.date), ibis.date(today))
    return rows.mutate(
        duration_days=rows.last_use.delta(rows.first_use, unit="day").cast(dt.float64),
        settled=rows.first_use <= (month_end - ibis.interval(days=RECENT_DAYS)).cast(dt.date),
        recent=rows.last_use >= (month_end - ibis.interval(days=RECENT_DAYS - 1)).cast(dt.date),
    )


def _feature_spine(events: EventsSettings, any_table: ir.Table) -> ir.Table:
    """feature, feature_order: the configured features, generated by the engine (the SQL stands alone)."""
    names = [f.name for f in events.features]
    one_row = any_table.aggregate(rows=any_table.count())
    positions = one_row.select(feature_order=ibis.range(0, len(names)).unnest().cast(dt.int64))
    listed = ibis.literal(names, type=dt.Array(dt.string))
    return positions.select("feature_order", feature=listed[positions.feature_order])


def _launch(events: EventsSettings, feature: ir.StringValue) -> ir.DateValue:
    launches = [(feature == f.name, ibis.date(f.launch)) for f in events.features if f.launch]
    return ibis.cases(*launches, else_=ibis.null(dt.date)) if launches else ibis.null(dt.date)


def _today(warehouse: Warehouse) -> date:
    return datetime.now(ZoneInfo(warehouse.timezone)).date()
