"""The stage history (docs/journey.md#history): every account's stage sampled at a cadence, turned into
a log of stage spells, rebuilt by `refresh_journey`.

    _stage_snapshots(account_id, day, stage)   the stage as of each snapshot day: the days on the
        [journey] snapshot_days grid (days d with (d - 2000-01-03) divisible by it: Mondays for 7, so
        past snapshots fall on the same days at every refresh) from the first account's creation day
        or history_days before the refresh day, whichever is later, plus the refresh day itself
    _stage_history(account_id, stage, entered_on, left_on, days)   one row per spell: consecutive
        snapshots in the same stage. entered_on is the first snapshot in it (for an account's first
        spell, the creation day, or the history's first day for an account older than the history); left_on the first snapshot in the next stage (null: the current spell);
        days = (left_on, or the refresh day) - entered_on

A change is seen at the first snapshot after it happened, so entered_on and left_on are late by less
than snapshot_days. Each snapshot evaluates the signals point in time, one engine query per day (the
past days' query built and compiled once, warehouse/dated.py); past snapshots are kept from one
refresh to the next while the settings are unchanged (refresh_journey).
Each refresh is one transaction, recorded in `_refreshes` like the daily rollup.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from tenure.config.settings import Settings
from tenure.signals import account_signals
from tenure.journey.stages import stages
from tenure.warehouse import Warehouse, dated
from tenure.warehouse.refresh import rebuild, recorded_definition, table_exists

SNAPSHOTS = "_stage_snapshots"
SNAPSHOT_COLUMNS = {"account_id": "VARCHAR", "day": "DATE", "stage": "VARCHAR"}
HISTORY = "_stage_history"
GRID_ORIGIN = date(2000, 1, 3)  # a Monday


@dataclass(frozen=True)
class JourneyRefreshed:
    as_of: date
    snapshots: int
    spells: int


def snapshot_days(first: date, as_of: date, every: int) -> list[date]:
    """The grid days from first to as_of (module docstring), then as_of when it is not one of them."""
    start = first + timedelta(days=(-(first - GRID_ORIGIN).days) % every)
    days = [start + timedelta(days=k * every) for k in range(max(0, (as_of - start).days // every + 1))]
    return days if days and days[-1] == as_of else [*days, as_of]


def refresh_journey(target, as_of: date, *, settings: Settings, signals: ir.Table | None = None) -> JourneyRefreshed:
    """Bring _stage_snapshots up to a day and rebuild _stage_history; `target` is a Workspace or a Warehouse.

    Past snapshots are kept while the settings the stages depend on are unchanged: a past day's stage
    is computed from the facts known on that day, so it does not change when later data arrives. Only
    the grid days not yet sampled, and the refresh day itself, are computed; a settings change
    recomputes every day. `signals`: as_of's day signals with their `stage` already computed
    (journey.day_signals, or a table materialised from it), when the caller has them."""
    warehouse: Warehouse = getattr(target, "warehouse", target)
    accounts = warehouse.table("accounts")
    first = accounts.filter(accounts.created_at.date() <= as_of).created_at.min().date().to_pyarrow().as_py()
    journey = settings.journey
    if first is not None:
        first = max(first, as_of - timedelta(days=journey.history_days))
    days = snapshot_days(first, as_of, journey.snapshot_days) if first else []
    current = settings_definition(settings)
    kept = _kept_days(warehouse, current)
    todo = [day for day in days if kept is None or day not in kept or day == as_of]
    # Compiled before the transaction: building the expressions takes time and needs no lock.
    def staged(day: date | ir.DateValue) -> ir.Table:
        if signals is not None and isinstance(day, date) and day == as_of:
            return signals.select("account_id", "stage")
        return stages(warehouse, account_signals(warehouse, day, settings=settings), day, events=settings.events,
                      journey=journey)

    past = [day for day in todo if day != as_of]
    # The past days share one query over a stand-in for the day (dated.replay_day), compiled once.
    replayed = warehouse.sql(staged(dated.replay_day())) if past else ""
    current_sql = warehouse.sql(staged(as_of)) if as_of in todo else None

    def write() -> None:
        if kept is None:
            dated.create(warehouse, SNAPSHOTS, SNAPSHOT_COLUMNS, replace=True)
        # Days before the history window or after the refresh day drop out; the refresh day is redone.
        dated.keep_between(warehouse, SNAPSHOTS, days[0] if days else as_of, as_of)
        dated.append_days(warehouse, SNAPSHOTS, past, replayed, tuple(SNAPSHOT_COLUMNS))
        if current_sql is not None:
            dated.append_day(warehouse, SNAPSHOTS, as_of, current_sql, tuple(SNAPSHOT_COLUMNS))
        warehouse.materialise(HISTORY, history_expr(warehouse, as_of, days[0] if days else as_of), temp=False)

    definition = json.dumps({"as_of": as_of.isoformat(), "settings": current}, sort_keys=True)
    return JourneyRefreshed(as_of, len(todo), rebuild(warehouse, HISTORY, definition, write).rows)


# Settings that never change a stage: where the files are, the app state, scores and playbooks.
_NOT_STAGING = {"warehouse", "state", "health", "playbooks"}


def settings_definition(settings: Settings) -> str:
    """A hash of the settings the stages depend on: [journey], and every setting the signals read."""
    staging = settings.model_dump(mode="json", exclude=_NOT_STAGING)
    return hashlib.sha256(json.dumps(staging, sort_keys=True).encode()).hexdigest()[:16]


def _kept_days(warehouse: Warehouse, current: str) -> set[date] | None:
    """The snapshot days already sampled with the current settings; None when they must all be redone."""
    if not (table_exists(warehouse, SNAPSHOTS) and table_exists(warehouse, HISTORY)):
        return None
    found = recorded_definition(warehouse, HISTORY)
    if found is None or json.loads(found).get("settings") != current:
        return None
    return dated.days(warehouse, SNAPSHOTS)


def history_expr(warehouse: Warehouse, as_of: date, first_snapshot: date) -> ir.Table:
    """_stage_history from _stage_snapshots (gaps and islands over each account's snapshots)."""
    snaps = warehouse.table(SNAPSHOTS)
    by_day = ibis.window(group_by="account_id", order_by="day")
    snaps = snaps.mutate(before=snaps.stage.lag().over(by_day))
    starts = snaps.filter(snaps.before.isnull() | (snaps.stage != snaps.before))
    starts = starts.mutate(left_on=starts.day.lead().over(ibis.window(group_by="account_id", order_by="day")))
    accounts = warehouse.table("accounts")
    spells = starts.join(accounts, "account_id").select(
        "account_id", "stage",
        # The first spell began when the account did, not at the first snapshot that saw it; for an account
        # older than the history, the history's first day is all that is known.
        entered_on=ibis.ifelse(starts.before.isnull(),
                               ibis.greatest(accounts.created_at.date(), ibis.literal(first_snapshot)), starts.day),
        left_on=starts.left_on,
    )
    return spells.mutate(
        days=ibis.coalesce(spells.left_on, ibis.literal(as_of)).delta(spells.entered_on, unit="day").cast(dt.int64)
    ).order_by(["account_id", "entered_on"])


def history_as_of(warehouse: Warehouse) -> date | None:
    """The day the stage history was last refreshed to, or None when it never was."""
    if not table_exists(warehouse, HISTORY):
        return None
    found = recorded_definition(warehouse, HISTORY)
    return None if found is None else date.fromisoformat(json.loads(found)["as_of"])


def stage_history(warehouse: Warehouse, account: str | None = None) -> ir.Table:
    """The spells of _stage_history (one account's with `account`); an error until refresh_journey ran."""
    if history_as_of(warehouse) is None:
        from tenure.errors import DataError

        raise DataError(f"the stage history ({HISTORY}) has not been built; run `tenure journey refresh`")
    spells = warehouse.table(HISTORY)
    return spells.filter(spells.account_id == account) if account is not None else spells


def time_in_stage(warehouse: Warehouse) -> ir.Table:
    """Per account and stage: spells and days (all its spells in the stage, the current one to the refresh day)."""
    spells = stage_history(warehouse)
    return spells.group_by(["account_id", "stage"]).aggregate(
        spells=spells.count(), days=spells.days.sum()
    ).order_by(["account_id", "stage"])
