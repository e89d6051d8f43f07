"""Shared fixtures: a fresh workspace per test, and a way to put literal rows into a contract table.

A workspace is a folder (tenure.toml, the DuckDB file, the events lake; lake paths are stored relative
to the folder), so a copy of a closed workspace's folder is a fresh, independent workspace. Building
one (rendering tenure.toml, creating every table, checkpointing the new file) is done once per session
per worker; each test then gets its own copy, which it may write to freely."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tenure import Workspace
from tenure.contract.tables import TABLES


@pytest.fixture(scope="session")
def workspace_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of a new, empty, closed workspace; copy it (copy_workspace), never open it in place."""
    folder = tmp_path_factory.mktemp("template") / "ws"
    Workspace.init(folder).close()
    return folder


def copy_workspace(template: Path, folder: Path) -> Path:
    """A copy of a closed workspace's folder at `folder`: a workspace of its own, as if built there."""
    shutil.copytree(template, folder)
    return folder


@pytest.fixture
def workspace_folder(workspace_template: Path, tmp_path: Path) -> Path:
    """A new, empty workspace's folder, not opened (for tests that open it themselves, or run the CLI on it)."""
    return copy_workspace(workspace_template, tmp_path / "ws")


@pytest.fixture
def workspace(workspace_folder: Path):
    """A new, empty workspace of this test's own, opened for writing."""
    ws = Workspace.open(workspace_folder)
    yield ws
    ws.close()


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory: pytest.TempPathFactory):
    """demo_folder(accounts=..., months=..., seed=..., end=...): the folder of a closed demo workspace,
    built once per session for each set of arguments. Read it with Workspace.open(folder, read_only=True),
    or copy_workspace it first to write."""
    built: dict[tuple, Path] = {}

    def _demo_folder(*, accounts: int, months: int, seed: int, end: date) -> Path:
        key = (accounts, months, seed, end)
        if key not in built:
            from tenure.demo.make import make_demo_workspace

            folder = tmp_path_factory.mktemp("demo") / "ws"
            make_demo_workspace(folder, accounts=accounts, months=months, seed=seed, end=end).close()
            built[key] = folder
        return built[key]

    return _demo_folder


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
