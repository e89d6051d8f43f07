"""Product usage (docs/metrics/usage.md), from the daily rollup `_daily_activity` (`tenure refresh`).

A user is active on a day when they have an active rollup row that day ([events] activity: any event
by default); an account is active when any of its rows is (events without a user count for it).

    per day d (daily_usage):
      dau, wau, mau                   distinct users active on d, in the 7 days ending d, in the 30 days ending d
      dau_accounts, wau_accounts, mau_accounts   the same for accounts
    per month (usage, the `usage` family):
      dau                 average of the daily dau over the month's days
      wau, mau            on the month's last day: users active in the 7 / 30 days ending it
      stickiness          dau / mau; null when mau is 0
      the same four for accounts, suffixed _accounts

Days after today (in the workspace time zone) are not counted: the current month averages its days
so far, and its wau and mau end today. A month wholly in the future has null figures.

The windows are exact distinct counts, without a distinct count per day. Take a unit's active days
a1 < a2 < ...: on day d the unit is in a trailing window of W days exactly when its last active day
up to d is at least d - W + 1, that is when d lies in [a_i, min(a_i + W, a_i+1) - 1] for some i. These
intervals never overlap, so +1 at each start and -1 after each end, summed cumulatively over days,
is the number of distinct units in the window on every day: one lead() over the active unit-days
and one running sum, instead of a join of every day with 30 days of activity.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from tenure.metrics import breakdown as bd
from tenure.metrics.calendar import month_index_of, month_start
from tenure.metrics.numbers import ratio
from tenure.warehouse import Warehouse, refresh, rollup
from tenure.warehouse.inline import inline_table

WINDOWS = (("dau", 1), ("wau", 7), ("mau", 30))
UNITS = ("", "_accounts")  # users, then accounts: the suffix of their figures
DAILY = tuple(f"{name}{unit}" for unit in UNITS for name, _ in WINDOWS)
COLUMNS = (
    "dau", "wau", "mau", "stickiness", "dau_accounts", "wau_accounts", "mau_accounts", "stickiness_accounts",
)


def usage(warehouse: Warehouse, first: int, last: int, *, by: str | None = None) -> ir.Table:
    """One row per month index from first to last (per group with `by`), ordered.

    The same figures as averaging and reading `daily_usage` at month end, without a row per day: an
    active unit-day can only fall in the trailing 30 days ending its own month's end or the next
    month's (months are at least 28 days long), so each is tagged with those two months, joined on
    the month's end day and kept when it lies in the window; a distinct count per month and window
    follows. One pass over the rollup instead of a sort of every unit's days."""
    breakdown = bd.resolve(warehouse, by, reserved=COLUMNS)
    refresh.require(warehouse, rollup.TABLE)
    today = _today(warehouse)
    ends = _month_ends(first, last, today)
    activity = warehouse.table(rollup.TABLE)
    # The first month's own days (its dau), and the 30 days before its end (its mau); nothing at all
    # when every month of the range is in the future.
    earliest = min(month_start(first), ends[0][1] - timedelta(days=29)) if ends else today + timedelta(days=1)
    latest = ends[-1][1] if ends else today
    activity = activity.filter(activity.active & activity.day.between(earliest, latest))
    activity = bd.attach(warehouse, activity, breakdown)
    group = [bd.GROUP] if breakdown else []
    keys = [*group, "month_index"]
    month_ends = _ends_table(ends)

    users = activity.filter(activity.user_id.notnull()).select(*group, "account_id", "user_id", "day")
    accounts = activity.select(*group, "account_id", "day").distinct()
    figures = []
    for unit, table, ids in (("", users, ["account_id", "user_id"]), ("_accounts", accounts, ["account_id"])):
        own = table.mutate(month_index=month_index_of(table.day))
        daily = own.group_by(keys).aggregate(**{f"_unit_days{unit}": own.count()})
        tagged = ibis.union(own, table.mutate(month_index=month_index_of(table.day) + 1))
        tagged = tagged.join(month_ends, "month_index")
        tagged = tagged.filter(tagged.day.between(tagged.window_start, tagged.end_day))
        windows = tagged.select(*keys, *ids, weekly=tagged.day >= tagged.week_start)
        windows = windows.group_by([*keys, *ids]).aggregate(weekly=windows.weekly.max())
        counted = windows.group_by(keys).aggregate(
            **{f"mau{unit}": windows.count(), f"wau{unit}": windows.count(where=windows.weekly)}
        )
        figures += [daily, counted]

    grid = bd.grid(first, last, breakdown, *figures)
    rows = bd.join_onto(grid, breakdown, *figures)
    rows = rows.left_join(month_ends, "month_index").select(rows, month_ends.days)
    started = rows.days.notnull()  # months wholly in the future keep null figures
    zero = ibis.literal(0, dt.int64)
    rows = rows.mutate(
        **{
            f"{name}{u}": ibis.ifelse(started, rows[f"{name}{u}"].fill_null(0), ibis.null(dt.int64)).cast(dt.int64)
            for u in UNITS for name in ("wau", "mau")
        },
        **{f"dau{u}": ibis.ifelse(started, rows[f"_unit_days{u}"].fill_null(zero) / rows.days, ibis.null(dt.float64))
           for u in UNITS},
    )
    rows = rows.mutate(**{f"stickiness{u}": ratio(rows[f"dau{u}"], rows[f"mau{u}"]) for u in UNITS})
    return bd.present(rows, breakdown, COLUMNS)


def _month_ends(first: int, last: int, today: date) -> list[tuple[int, date, int]]:
    """(month index, the day its figures are read on, days counted) for each month that has begun:
    the month's last day, or today for the current month."""
    ends = []
    for index in range(first, last + 1):
        start = month_start(index)
        if start > today:
            break
        end = min(month_start(index + 1) - timedelta(days=1), today)
        ends.append((index, end, (end - start).days + 1))
    return ends


def _ends_table(ends: list[tuple[int, date, int]]) -> ir.Table:
    """month_index, end_day, window_start (end_day - 29), week_start (end_day - 6), days."""
    rows = [{"month_index": m, "end_day": end, "window_start": end - timedelta(days=29),
             "week_start": end - timedelta(days=6), "days": n} for m, end, n in ends]
    return inline_table(rows, {"month_index": dt.int64, "end_day": dt.date, "window_start": dt.date,
                               "week_start": dt.date, "days": dt.int64})


def daily_usage(warehouse: Warehouse, first_day: date, last_day: date, *, by: str | None = None) -> ir.Table:
    """One row per day from first_day to last_day (per group with `by`): day, then DAILY, ordered."""
    breakdown = bd.resolve(warehouse, by, reserved=DAILY)
    days = _daily(warehouse, first_day, last_day, breakdown)
    if breakdown is None:
        return days.order_by("day").select("day", *DAILY)
    days = days.order_by(["day", bd.GROUP])
    return days.select("day", days[bd.GROUP].name(breakdown.name), *DAILY)


def _daily(warehouse: Warehouse, first_day: date, last_day: date, breakdown: bd.Breakdown | None) -> ir.Table:
    """day, month_index, the DAILY counts (and GROUP): every day of the range, zeros included."""
    refresh.require(warehouse, rollup.TABLE)
    activity = warehouse.table(rollup.TABLE)
    # Activity after the range cannot change a count inside it; activity before it can (the windows).
    activity = activity.filter(activity.active & (activity.day <= last_day))
    activity = bd.attach(warehouse, activity.mutate(month_index=month_index_of(activity.day)), breakdown)
    group = [bd.GROUP] if breakdown else []
    users = activity.filter(activity.user_id.notnull()).select(*group, "account_id", "user_id", "day")
    accounts = activity.select(*group, "account_id", "day").distinct()
    steps = [
        *_steps(users, [*group, "account_id", "user_id"], group, ""),
        *_steps(accounts, [*group, "account_id"], group, "_accounts"),
    ]
    spine = _day_spine(activity, first_day, last_day, breakdown)
    counted = ibis.union(spine.mutate(**{c: ibis.literal(0, dt.int64) for c in DAILY}), *steps)
    per_day = counted.group_by([*group, "day"]).aggregate(**{c: counted[c].sum() for c in DAILY})
    running = ibis.cumulative_window(group_by=group or None, order_by="day")
    per_day = per_day.select(*group, "day", **{c: per_day[c].sum().over(running).cast(dt.int64) for c in DAILY})
    per_day = per_day.filter(per_day.day.between(first_day, last_day))
    return per_day.mutate(month_index=month_index_of(per_day.day))


def _steps(unit_days: ir.Table, unit: list[str], group: list[str], suffix: str) -> list[ir.Table]:
    """+1 on each active day and -1 the day after each interval ends, for every window (module docstring)."""
    following = unit_days.day.lead().over(group_by=unit, order_by="day")
    spans = unit_days.mutate(next_day=following)
    zero = {f"{name}{u}": ibis.literal(0, dt.int64) for u in UNITS for name, _ in WINDOWS}
    starts = spans.select(*group, "day", **{**zero, **{f"{name}{suffix}": ibis.literal(1, dt.int64) for name, _ in WINDOWS}})
    ends = []
    for name, width in WINDOWS:
        end = (spans.day + ibis.interval(days=width)).cast(dt.date)
        end = ibis.least(end, spans.next_day.fill_null(end))
        ends.append(spans.select(*group, day=end, **{**zero, f"{name}{suffix}": ibis.literal(-1, dt.int64)}))
    return [starts, *ends]


def _day_spine(activity: ir.Table, first_day: date, last_day: date, breakdown: bd.Breakdown | None) -> ir.Table:
    """Every day from first_day to last_day (for every group with activity, with a breakdown)."""
    one_row = activity.aggregate(rows=activity.count())
    offsets = one_row.select(offset=ibis.range(0, max((last_day - first_day).days + 1, 0)).unnest())
    spine = offsets.select(day=(ibis.date(first_day) + offsets.offset.as_interval("D")).cast(dt.date))
    if breakdown is None:
        return spine
    return spine.cross_join(activity.select(bd.GROUP).distinct())


def _today(warehouse: Warehouse) -> date:
    return datetime.now(ZoneInfo(warehouse.settings.workspace.timezone)).date()
