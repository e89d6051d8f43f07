"""Data in: load files into the contract's tables, the rows they turned away, what the workspace holds,
and the refresh that rebuilds the derived tables (then today's health and stage histories)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Callable, Sequence

import ibis.expr.types as ir

from tenure.config.settings import Settings, WorkspaceSettings
from tenure.contract.tables import TABLES
from tenure.errors import DataError, UsageError
from tenure.warehouse import Warehouse

Progress = Callable[[str, int, int], None]
FORMATS = ("csv", "parquet", "jsonl")


def load(warehouse: Warehouse, *, workspace: WorkspaceSettings, table: str, files: Sequence[str | Path],
         format: str | None = None, strict: bool = False, progress: Progress | None = None):
    """Load files into a contract table in one transaction (tenure.warehouse.load.load_files): a LoadResult."""
    from tenure.warehouse.load import load_files

    # The table is checked by load_files and rejects_expr themselves.
    if format is not None and format not in FORMATS:
        raise UsageError(f"{{format}}: '{format}' is not one of {', '.join(FORMATS)}")
    return load_files(warehouse, table, [Path(f) for f in files], workspace=workspace, fmt=format, strict=strict,
                      progress=progress)


def rejects(warehouse: Warehouse, *, table: str | None = None, all_loads: bool = False,
            limit: int | None = None) -> ir.Table:
    """Rows rejected by the latest load of each table (or by every load): file, row, column, value, reason."""
    from tenure.warehouse.load import rejects_expr

    if limit is not None and limit < 0:
        raise UsageError(f"{{limit}}: {limit} is negative")
    rows = rejects_expr(warehouse, table, all_loads=all_loads)
    return rows.limit(limit) if limit else rows


def check_dates(warehouse: Warehouse) -> None:
    """Raise DataError naming every stored date outside years 1..9999, which no result can carry into Python
    (a workspace loaded before the loader rejected them); nothing when there is none."""
    from tenure.warehouse.representable import unrepresentable

    found = unrepresentable(warehouse)
    if found:
        raise DataError(
            "the workspace holds dates outside the years 1..9999, which tenure cannot compute with ("
            + "; ".join(map(str, found)) + "); correct those rows in the source and load them again"
        )


def status(warehouse: Warehouse) -> list[dict]:
    """Per contract table: its rows, when it was last loaded and how many rows that load rejected."""
    from tenure.warehouse import system

    loads = warehouse.table(system.LOADS)
    latest = loads.filter(loads.load_id == loads.load_id.max().over(group_by=loads.table)).to_pyarrow().to_pylist()
    by_table = {row["table"]: row for row in latest}
    tables = []
    for name in TABLES:
        last = by_table.get(name)
        tables.append({
            "table": name,
            "rows": int(warehouse.table(name).count().to_pyarrow().as_py()),
            "last_load": last["finished_at"].isoformat(timespec="seconds") if last else None,
            "rejected_in_last_load": last["rows_rejected"] if last else None,
        })
    return tables


def refresh(warehouse: Warehouse, *, settings: Settings, today: date, health: bool = False,
            progress: Progress | None = None) -> list:
    """Rebuild the derived tables from the loaded events (a list of warehouse.refresh.Refreshed). With
    health (as `tenure refresh` does), then score today into the health history and sample today's stages
    into the stage history, replaying the past when the settings they depend on changed."""
    from tenure.warehouse.refresh import refresh as rebuild

    done = rebuild(warehouse, events=settings.events, journey=settings.journey, progress=progress)
    if health:
        # Here, not in warehouse.refresh: the warehouse sits below signals, journey and health.
        from tenure.health.history import refresh_history
        from tenure.health.scored import materialise
        from tenure.journey import refresh_journey
        from tenure.journey.history import HISTORY
        from tenure.warehouse.refresh import Refreshed

        scored = materialise(warehouse, today, settings=settings)  # computed once, read by both histories
        done.append(refresh_history(warehouse, today, settings=settings, progress=progress, scored=scored))
        if progress:
            progress(f"refresh {HISTORY}", 0, 1)
        stages = refresh_journey(warehouse, today, settings=settings, signals=scored)
        done.append(Refreshed(HISTORY, stages.spells, done[0].events_load_id))
        if progress:
            progress(f"refresh {HISTORY}", 1, 1)
    return done
