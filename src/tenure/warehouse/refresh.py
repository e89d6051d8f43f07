"""`tenure refresh`: build the derived tables once, so metrics read compact tables, not raw events.

Each derived table is rebuilt whole inside one transaction (CREATE OR REPLACE, then a `_refreshes`
row), so a reader sees the old table or the new one, never half of either. The `_refreshes` row
(one per table, replaced by each refresh) records when and from what the table was built: the latest
events load it includes and the settings it depends on (rollup.definition). A metric calls `require`
first; when events were loaded since, or the settings changed, it raises DataError asking for
`tenure refresh` rather than answering from stale data.

`rebuild` is that transaction and its bookkeeping, for every derived table: these here, the health
score history and the stage history (tenure.health.history, tenure.journey.history).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import ibis.expr.types as ir

from tenure.config.journey import JourneySettings
from tenure.config.settings import EventsSettings
from tenure.errors import DataError
from tenure.warehouse import Warehouse, firsts, monthly, rollup, system

Report = Callable[[str, int, int], None]


def derived(warehouse: Warehouse, *, events: EventsSettings,
            journey: JourneySettings) -> tuple[tuple[str, Callable[[], ir.Table], str], ...]:
    """Each derived table: (name, the expression building it, what its contents depend on besides events)."""
    zone = warehouse.timezone
    return (
        (rollup.TABLE, lambda: rollup.daily_activity(warehouse, events=events), rollup.definition(events, zone)),
        # Folded from the rollup just built, so they come after it.
        (monthly.ACTIVITY, lambda: monthly.monthly_activity(warehouse), monthly.definition(events, zone)),
        (monthly.FEATURES, lambda: monthly.monthly_features(warehouse, events=events), monthly.definition(events, zone)),
        (firsts.TABLE, lambda: firsts.event_firsts(warehouse, events=events, journey=journey),
         firsts.definition(events, journey)),
    )


@dataclass(frozen=True)
class Refreshed:
    table: str
    rows: int
    events_load_id: int


def refresh(warehouse: Warehouse, *, events: EventsSettings, journey: JourneySettings,
            progress: Report | None = None) -> list[Refreshed]:
    """Rebuild every derived table from the current data and the [events] and [journey] settings; idempotent."""
    done = []
    for table, build, depends_on in derived(warehouse, events=events, journey=journey):
        if progress:
            progress(f"refresh {table}", 0, 1)
        sql = warehouse.sql(build())
        done.append(rebuild(warehouse, table, depends_on,
                            lambda table=table, sql=sql: warehouse.materialise(table, sql, temp=False)))
        if progress:
            progress(f"refresh {table}", 1, 1)
    return done


def rebuild(warehouse: Warehouse, table: str, definition: str, write: Callable[[], object]) -> Refreshed:
    """Run `write` (which builds or changes `table`) in one transaction that also records the refresh:
    the table's rows, the latest events load it includes and `definition` (what else it depends on), in
    its `_refreshes` row. Anything failing rolls all of it back. Compile expressions before calling:
    that takes time and needs no lock."""
    raw = warehouse.raw
    raw.execute("BEGIN TRANSACTION")
    try:
        # Read inside the transaction: the load id and the table come from the same snapshot.
        load_id = latest_events_load(warehouse)
        write()
        (rows,) = raw.execute(f'SELECT count(*) FROM "{table}"').fetchone()
        raw.execute(f'DELETE FROM {system.REFRESHES} WHERE "table" = $table', {"table": table})
        raw.execute(
            f"INSERT INTO {system.REFRESHES} VALUES ($table, now(), $load_id, $definition, $rows)",
            {"table": table, "load_id": load_id, "definition": definition, "rows": rows},
        )
        raw.execute("COMMIT")
    except BaseException:
        raw.execute("ROLLBACK")
        raise
    return Refreshed(table, int(rows), load_id)


def recorded_definition(warehouse: Warehouse, table: str) -> str | None:
    """The definition `table` was last built with, from its `_refreshes` row; None before its first build."""
    if not table_exists(warehouse, system.REFRESHES):
        return None
    found = warehouse.raw.execute(
        f'SELECT definition FROM {system.REFRESHES} WHERE "table" = $table', {"table": table}
    ).fetchone()
    return None if found is None else found[0]


def require(warehouse: Warehouse, table: str, definition: str) -> None:
    """Raise DataError unless `table` was refreshed after the latest events load, with `definition` (what
    the current settings make of it: the `definition` of the table's module, from the caller)."""
    raw = warehouse.raw
    latest = None
    if table_exists(warehouse, system.REFRESHES):
        latest = raw.execute(
            f'SELECT events_load_id, definition FROM {system.REFRESHES} WHERE "table" = $table',
            {"table": table},
        ).fetchone()
    if latest is None or not table_exists(warehouse, table):
        raise DataError(f"this figure reads {table}, which `tenure refresh` builds and has not built yet; run `tenure refresh`")
    built_from, built_with = latest
    loaded = latest_events_load(warehouse)
    if loaded > built_from:
        raise DataError(f"events were loaded (load {loaded}) after the last refresh of {table}; run `tenure refresh`")
    if built_with != definition:
        raise DataError(f"the settings {table} depends on ([events], [journey] milestones or the time zone) changed "
                        f"since it was built; run `tenure refresh`")


def latest_events_load(warehouse: Warehouse) -> int:
    """The id of the latest load that added events. A load that added no rows (all rejected, or all
    duplicates) leaves `events` as it was, so it does not count."""
    (load_id,) = warehouse.raw.execute(
        f"""SELECT coalesce(max(load_id), 0) FROM {system.LOADS} WHERE "table" = 'events' AND rows_loaded > 0"""
    ).fetchone()
    return int(load_id)


def table_exists(warehouse: Warehouse, table: str) -> bool:
    """Whether the warehouse has `table`: a workspace opened read-only may predate a table created on
    a writable open, or a derived table not refreshed yet."""
    (found,) = warehouse.raw.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' AND table_name = $name",
        {"name": table},
    ).fetchone()
    return bool(found)
