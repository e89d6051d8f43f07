"""Product usage (docs/metrics/usage.md), from the rollups `tenure refresh` builds: monthly figures
from `_monthly_activity`, daily ones from `_daily_activity`.

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
from tenure.metrics.calendar import month_index_of, month_of, month_start
from tenure.metrics.numbers import ratio
from tenure.warehouse import Warehouse, monthly, refresh
from tenure.warehouse.inline import inline_table

WINDOWS = (("dau", 1), ("wau", 7), ("mau", 30))
UNITS = ("", "_accounts")  # users, then accounts: the suffix of their figures
DAILY = tuple(f"{name}{unit}" for unit in UNITS for name, _ in WINDOWS)
COLUMNS = (
    "dau", "wau", "mau", "stickiness", "dau_accounts", "wau_accounts", "mau_accounts", "stickiness_accounts",
)


def usage(warehouse: Warehouse, first: int, last: int, *, by: str | None = None) -> ir.Table:
    """One row per month index from first to last (per group with `by`), ordered.

    The same figures as averaging and reading `daily_usage` at month end, from the monthly rollup
    `_monthly_activity` instead of a row per unit and day: the days of a month are bits of one integer
    per unit and month, so "active in the 7 / 30 days ending the month's end (or today)" and "active days
    so far" are masks AND-ed with it. A window that reaches into earlier months (February's 30 days,
    or a month in progress) reads those months' rows with their own masks; a unit is counted once per
    month however many of its rows fall in the window."""
    breakdown = bd.resolve(warehouse, by, reserved=COLUMNS)
    refresh.require(warehouse, monthly.ACTIVITY)
    today = _today(warehouse)
    ends = _month_ends(first, last, today)
    masks = _masks_table(ends)
    activity = warehouse.table(monthly.ACTIVITY)
    # Months wholly in the future read nothing; the earliest window starts at most two months back.
    sources = (ends[0][0] - 2, ends[-1][0]) if ends else (first, first - 1)
    activity = bd.attach(warehouse, activity.filter(activity.month_index.between(*sources)), breakdown)
    group = [bd.GROUP] if breakdown else []
    keys = [*group, "month_index"]

    users = activity.filter(activity.user_id.notnull()).select(*group, "account_id", "user_id", "month_index", "days")
    accounts = activity.group_by([*group, "account_id", "month_index"]).aggregate(days=activity.days.bit_or())
    figures = []
    for unit, table, ids in (("", users, ["account_id", "user_id"]), ("_accounts", accounts, ["account_id"])):
        tagged = table.join(masks, table.month_index == masks.source)
        tagged = tagged.select(
            *group, *ids, month_index=tagged.target,
            own=monthly.bit_count(tagged.days & tagged.own_bits),
            weekly=(tagged.days & tagged.week_bits) != 0,
            monthly=(tagged.days & tagged.month_bits) != 0,
        )
        per_unit = tagged.group_by([*keys, *ids]).aggregate(
            own=tagged.own.sum(), weekly=tagged.weekly.any(), monthly=tagged.monthly.any()
        )
        figures.append(per_unit.group_by(keys).aggregate(
            **{
                f"_unit_days{unit}": per_unit.own.sum(),
                f"mau{unit}": per_unit.count(where=per_unit.monthly),
                f"wau{unit}": per_unit.count(where=per_unit.weekly),
            }
        ))

    grid = bd.grid(first, last, breakdown, *figures)
    rows = bd.join_onto(grid, breakdown, *figures)
    month_ends = _ends_table(ends)
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


def _masks_table(ends: list[tuple[int, date, int]]) -> ir.Table:
    """target, source, own_bits, week_bits, month_bits: for each month read (target) and each month
    whose days its windows touch (source), the bits of the source month's mask that fall among the
    target's days so far (own, the target itself only), in the 7 days ending its end day (week) and in
    the 30 (month). Configuration-sized: at most three sources per month."""
    rows = []
    for target, end, counted in ends:
        bits: dict[int, list[int]] = {}
        for back in range(max(30, counted)):  # the window's 30 days, and every day of a 31-day month
            day = end - timedelta(days=back)
            bit = 1 << (day.day - 1)
            masks = bits.setdefault(month_of(day), [0, 0, 0])
            for position, width in enumerate((counted, 7, 30)):  # own, week, month
                if back < width:
                    masks[position] |= bit
        rows += [{"target": target, "source": source, "own_bits": own, "week_bits": week, "month_bits": month}
                 for source, (own, week, month) in bits.items()]
    schema = {"target": dt.int64, "source": dt.int64, "own_bits": dt.int64, "week_bits": dt.int64, "month_bits": dt.int64}
    return inline_table(rows, schema)


def _ends_table(ends: list[tuple[int, date, int]]) -> ir.Table:
    """month_index, days (days counted)."""
    rows = [{"month_index": m, "days": n} for m, _, n in ends]
    return inline_table(rows, {"month_index": dt.int64, "days": dt.int64})


def daily_usage(warehouse: Warehouse, first_day: date, last_day: date, *, by: str | None = None) -> ir.Table:
    """One row per day from first_day to last_day (per group with `by`): day, then DAILY, ordered."""
    breakdown = bd.resolve(warehouse, by, reserved=DAILY)
    days = _daily(warehouse, first_day, last_day, breakdown)
    if breakdown is None:
        return days.order_by("day").select("day", *DAILY)
    days = days.order_by(["day", bd.GROUP])
    return days.select("day", days[bd.GROUP].name(breakdown.name), *DAILY)


def _daily(warehouse: Warehouse, first_day: date, last_day: date, breakdown: bd.Breakdown | None) -> ir.Table:
    """day, month_index, the DAILY counts (and GROUP): every day of the range, zeros included (the
    module docstring explains the masks)."""
    refresh.require(warehouse, monthly.ACTIVITY)
    first, last = month_of(first_day), month_of(last_day)
    activity = warehouse.table(monthly.ACTIVITY)
    # Activity after the range cannot change a count inside it; the two months before it can (windows).
    activity = bd.attach(warehouse, activity.filter(activity.month_index.between(first - 2, last)), breakdown)
    group = [bd.GROUP] if breakdown else []
    users = activity.filter(activity.user_id.notnull())
    accounts = activity.group_by([*group, "account_id", "month_index"]).aggregate(days=activity.days.bit_or())
    layout = _layout_table(first, last)
    per_month = [
        _day_counts(_spans(users, ["account_id", "user_id"], group, layout), [*group, "month_index"], ""),
        _day_counts(_spans(accounts, ["account_id"], group, layout), [*group, "month_index"], "_accounts"),
    ]
    grid = bd.grid(first, last, breakdown, *per_month)
    rows = bd.join_onto(grid, breakdown, *per_month)
    positions = ibis.array([
        ibis.struct({"position": ibis.literal(bit, dt.int64), **{c: rows[f"{c}_{bit}"] for c in DAILY}})
        for bit in range(31)
    ])
    rows = rows.select(*group, "month_index", day_of=positions.unnest()).unpack("day_of")
    start = ibis.date(rows.month_index // 12, rows.month_index % 12 + 1, 1)
    rows = rows.mutate(day=(start + rows.position.as_interval("D")).cast(dt.date))
    # Positions past a short month's end spill into the next month: not its days.
    rows = rows.filter((month_index_of(rows.day) == rows.month_index) & rows.day.between(first_day, last_day))
    return rows.select(*group, "day", "month_index", **{c: rows[c].fill_null(0).cast(dt.int64) for c in DAILY})


_MONTH_BITS = (1 << 31) - 1
_LOW_HALF = (1 << 32) - 1


def _spans(units: ir.Table, ids: list[str], group: list[str], layout: ir.Table) -> ir.Table:
    """GROUP, month_index, dau, wau, mau: per unit (ids) and month of the range, the days of the month
    (bits 0..30 = days 1..31) on which the unit was active, in the 7 days ending the day, in the 30."""
    placed = units.join(layout, units.month_index == layout.source)
    placed = placed.select(
        *group, *ids, month_index=placed.target, days=(placed.days << placed.left) >> placed.right
    )
    spans = placed.group_by([*group, *ids, "month_index"]).aggregate(days=placed.days.bit_or())
    both = spans.days
    return spans.select(
        *group, "month_index",
        dau=both >> 31, wau=(_reach(both, 7) >> 25) & _MONTH_BITS, mau=(_reach(both, 30) >> 2) & _MONTH_BITS,
    )


def _day_counts(spans: ir.Table, keys: list[str], suffix: str) -> ir.Table:
    """keys, then <figure><suffix>_<bit> for each window and bit 0..30: the units with that bit set.

    Summing a bit per unit is the count; two bits go in one sum (bit 2i in the low 32 bits, bit 2i + 1
    in the high ones; no count reaches 2^32), halving the aggregates, which bound this step."""
    sums = {}
    for name, _ in WINDOWS:
        for pair in range(16):
            two = (spans[name] >> (2 * pair)) & 3
            sums[f"{name}_{pair}"] = ((two & 1) | ((two & 2) << 31)).sum()
    per = spans.group_by(keys).aggregate(**sums)
    return per.select(*keys, **{
        f"{name}{suffix}_{bit}": ((per[f"{name}_{bit // 2}"] >> (32 * (bit % 2))) & _LOW_HALF).cast(dt.int32)
        for name, _ in WINDOWS for bit in range(31)
    })



def _reach(bits: ir.IntegerValue, width: int) -> ir.IntegerValue:
    """Bit i set when any of bits i .. i + width - 1 is: OR of right shifts by 0 .. width - 1, by doubling."""
    covered, reach = 1, bits
    while covered * 2 <= width:
        reach, covered = reach | (reach >> covered), covered * 2
    return reach | (reach >> (width - covered)) if covered < width else reach


def _layout_table(first: int, last: int) -> ir.Table:
    """target, source, left, right: where the days of month `source` go in the 62-bit span of month
    `target` (module docstring): (days << left) >> right. The target's own days at bits 31..61, the
    month before right below them (its last day at bit 30), and the month before that only where a
    window can reach it (1 March of a common year reaches back to 31 January)."""
    rows = []
    for target in range(first, last + 1):
        before, earlier = _days_in(target - 1), _days_in(target - 2)
        rows.append({"target": target, "source": target, "left": 31, "right": 0})
        rows.append({"target": target, "source": target - 1, "left": 31 - before, "right": 0})
        right = before + earlier - 31  # where the month before that lands: its day d at bit d - 1 - right
        if 30 - right >= 2:  # its last day at bit 2 or above: inside the 30 days ending 1 <target>
            rows.append({"target": target, "source": target - 2, "left": 0, "right": right})
    return inline_table(rows, {"target": dt.int64, "source": dt.int64, "left": dt.int64, "right": dt.int64})


def _days_in(index: int) -> int:
    return (month_start(index + 1) - month_start(index)).days


def _today(warehouse: Warehouse) -> date:
    return datetime.now(ZoneInfo(warehouse.settings.workspace.timezone)).date()
