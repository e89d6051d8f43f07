"""`_health_history`: every account's score on past days, written by `tenure refresh` (docs/health.md).

    _health_history(account_id, day, scorecard, score, band, confidence, low_confidence, stale)

Each refresh scores today (replacing an earlier snapshot of today). When the history is missing, or the
definition it was built with changed (the [health] settings, or the settings the signals depend on),
the past is replayed first: every `history_cadence` day of the last `history_days` days, each scored
from the signals as of that day, so only facts dated on or before it count. The definition is kept in
`_refreshes`, as the daily rollup's is (warehouse/refresh.py).

The replayed days are computed by one query, built and compiled once over a stand-in for the day
and run for each day (warehouse/dated.py): building and compiling it costs ten to twenty times what
the engine takes to run it for a day. Days whose stale sources differ (a feed that stopped between
them) score through different queries, one per set of stale sources.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from typing import Callable

import ibis
import ibis.expr.types as ir

from tenure.config.settings import Settings
from tenure.health.scored import day_scores, scores_of
from tenure.health.sources import stale_signals
from tenure.warehouse import Warehouse, dated
from tenure.warehouse.refresh import Refreshed, rebuild, recorded_definition, table_exists

TABLE = "_health_history"
COLUMN_TYPES = {
    "account_id": "VARCHAR", "day": "DATE", "scorecard": "VARCHAR", "score": "DOUBLE", "band": "VARCHAR",
    "confidence": "DOUBLE", "low_confidence": "BOOLEAN", "stale": "BOOLEAN",
}
COLUMNS = tuple(COLUMN_TYPES)
STEP_DAYS = {"day": 1, "week": 7}
# Settings that never change a score: where the files are, the app state database, and what playbooks do.
_NOT_SCORING = {"warehouse", "state", "playbooks"}


def definition(settings: Settings) -> str:
    """A hash of everything the scores depend on besides the data: a different one means replay."""
    scoring = settings.model_dump(mode="json", exclude=_NOT_SCORING)
    return hashlib.sha256(json.dumps(scoring, sort_keys=True).encode()).hexdigest()[:16]


def snapshot(
    warehouse: Warehouse, day: date | ir.DateValue, scored: ir.Table | None = None, *, settings: Settings,
    stale: frozenset[str] | None = None,
) -> ir.Table:
    """The history rows of one day: every account's score from the signals as of that day (`scored`:
    that day's materialised scored signals, when the caller has them; `day` may be
    warehouse.dated.replay_day(), with the `stale` signals of the days it stands for)."""
    scored = day_scores(warehouse, day, settings=settings, stale=stale) if scored is None else scores_of(scored)
    return scored.mutate(day=dated.as_value(day)).select(*COLUMNS)


def replay_days(settings: Settings, today: date, first: date | None) -> list[date]:
    """The past days to replay, oldest first, none before `first` (the first account's creation)."""
    health = settings.health
    step = STEP_DAYS[health.history_cadence]
    days = [today - timedelta(days=k) for k in range(step, health.history_days + 1, step)]
    return sorted(d for d in days if first is not None and d >= first)


def refresh_history(
    warehouse: Warehouse, today: date, *, settings: Settings, progress: Callable[[str, int, int], None] | None = None,
    scored: ir.Table | None = None,
) -> Refreshed:
    """Score today, after replaying the past when the history is missing or its definition changed.
    `scored`: today's materialised scored signals (health.scored.materialise), when the caller has them."""
    dated.create(warehouse, TABLE, COLUMN_TYPES)
    current = definition(settings)
    replay = recorded_definition(warehouse, TABLE) != current
    days = [today]
    if replay:
        accounts = warehouse.table("accounts")
        first = accounts.aggregate(first=accounts.created_at.min().date()).to_pyarrow().column("first")[0].as_py()
        days = [*replay_days(settings, today, first), today]
    # Built before the transaction: compiling the expressions takes time and needs no lock.
    statements = _replayed(warehouse, days[:-1], settings=settings) + [
        (today, warehouse.sql(snapshot(warehouse, today, scored, settings=settings)), False)]

    def write() -> None:
        if replay:
            dated.clear(warehouse, TABLE)
        else:
            dated.remove_day(warehouse, TABLE, today)
        for i, (day, sql, replayed) in enumerate(statements):
            if progress:
                progress(f"refresh {TABLE}", i, len(statements))
            if replayed:
                dated.append_days(warehouse, TABLE, [day], sql, COLUMNS)
            else:
                dated.append_day(warehouse, TABLE, day, sql, COLUMNS)

    refreshed = rebuild(warehouse, TABLE, current, write)
    if progress:
        progress(f"refresh {TABLE}", len(statements), len(statements))
    return refreshed


def _replayed(warehouse: Warehouse, days: list[date], *, settings: Settings) -> list[tuple[date, str, bool]]:
    """(day, SQL, True) per past day: one SQL over dated.replay_day() per set of stale signals."""
    health = settings.health
    stale = {day: frozenset(stale_signals(warehouse, day, health)) for day in days}
    compiled = {s: warehouse.sql(snapshot(warehouse, dated.replay_day(), settings=settings, stale=s)) for s in dict.fromkeys(stale.values())}
    return [(day, compiled[stale[day]], True) for day in days]


def history(warehouse: Warehouse, account_id: str | None = None) -> ir.Table:
    """The stored history, ordered by account and day; empty before the first refresh."""
    if not table_exists(warehouse, TABLE):
        # From an empty Arrow table: an empty dict goes through pandas, whose empty "day" column (float64)
        # the engine then refuses to read as a date.
        return ibis.memtable(ibis.schema(_SCHEMA).to_pyarrow().empty_table()).select(*COLUMNS)
    rows = warehouse.table(TABLE)
    if account_id is not None:
        rows = rows.filter(rows.account_id == account_id)
    return rows.order_by(["account_id", "day"]).select(*COLUMNS)


_SCHEMA = {
    "account_id": "string", "day": "date", "scorecard": "string", "score": "float64", "band": "string",
    "confidence": "float64", "low_confidence": "boolean", "stale": "boolean",
}
