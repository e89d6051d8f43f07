"""Shared fixtures: a fresh workspace per test, and a way to put literal rows into a contract table."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tenure import Workspace
from tenure.contract.tables import TABLES


@pytest.fixture
def workspace(tmp_path: Path):
    ws = Workspace.init(tmp_path / "ws")
    yield ws
    ws.close()


def put_rows(ws: Workspace, table: str, rows: list[dict]) -> None:
    """Insert literal rows into a canonical table, bypassing file loading (for metric tests).

    Values are cast by the engine to the stored column types, so strings like '2024-01-01' and
    '12.50' are fine; missing columns are NULL. Events live in Parquet files (warehouse/lake.py), so
    they go through the loader from a file; strict, so that a bad literal fails the test."""
    spec = TABLES[table]
    columns = {name: [row.get(name) for row in rows] for name in spec.stored_columns}
    data = pa.table({name: pa.array([None if v is None else str(v) for v in values], pa.string())
                     for name, values in columns.items()})
    if table == "events":
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "events.parquet"
            pq.write_table(data, path)
            ws.load("events", [path], strict=True)
        return
    raw = ws.warehouse.raw
    raw.register("_put_rows", data)
    try:
        select = ", ".join(f'CAST("{name}" AS {_stored_type(ws, table, name)}) AS "{name}"' for name in spec.stored_columns)
        raw.execute(f'INSERT INTO "{table}" SELECT {select} FROM _put_rows')
    finally:
        raw.unregister("_put_rows")


def _stored_type(ws: Workspace, table: str, column: str) -> str:
    found = ws.warehouse.raw.execute(
        "SELECT data_type FROM information_schema.columns WHERE table_name = ? AND column_name = ?", [table, column]
    ).fetchone()
    return found[0]
