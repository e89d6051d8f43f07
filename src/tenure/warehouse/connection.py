"""The warehouse: an Ibis connection to the analytic engine holding the canonical tables.

DuckDB is the embedded default (one file in the workspace). The session time zone is set to the
workspace's, so that day/week/month bucketing of stored instants happens in that zone on every engine.
`events` is a view over Parquet files in the workspace (lake.py); every other table is native.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import duckdb
import ibis
import ibis.expr.types as ir

from tenure.config.settings import WarehouseSettings
from tenure.errors import QueryTimeoutError, WorkspaceBusyError, WorkspaceError
from tenure.contract.tables import TABLES
from tenure.warehouse import holders, lake, system
from tenure.warehouse.sources import literal
from tenure.warehouse.types import DUCKDB_TYPES


class Warehouse:
    """Owns one engine connection. `ibis` is the Ibis backend; `raw` the DuckDB connection for bulk loading;
    `engine` the [warehouse] settings it was opened with; `timezone` the session time zone (the workspace's)."""

    def __init__(self, backend: ibis.BaseBackend, engine: WarehouseSettings, timezone: str, root: Path):
        self.ibis = backend
        self.engine = engine
        self.timezone = timezone
        self.root = root  # the workspace folder; the events lake lives under it
        self.holder: Path | None = None  # this process's record in warehouse/holders.py, removed on close

    @classmethod
    def connect(
        cls, path: Path, engine: WarehouseSettings, *, timezone: str, read_only: bool = False,
        root: Path | None = None,
    ) -> "Warehouse":
        config: dict[str, object] = {"memory_limit": engine.memory_limit}
        if engine.threads:
            config["threads"] = engine.threads
        if read_only and not Path(path).is_file():
            # A command that only reads never creates the warehouse: a missing file is a wrong [warehouse] path.
            raise WorkspaceError(f"no warehouse at {path}: check [warehouse] path in tenure.toml, or load data first")
        try:
            backend = ibis.duckdb.connect(str(path), read_only=read_only, **config)
        except duckdb.IOException as error:
            # DuckDB lets one process write a database file; a second one (a refresh still running,
            # a notebook holding the workspace open) gets a lock error: say who holds it.
            if "lock" in str(error).lower():
                raise WorkspaceBusyError(holders.busy_message(Path(path), str(error))) from None
            raise WorkspaceError(f"cannot open the warehouse {path}: {str(error).splitlines()[0]}") from None
        # ibis sets UTC on connect; bucketing must follow the workspace instead.
        backend.raw_sql(f"SET TimeZone = {literal(timezone)}")
        warehouse = cls(backend, engine, timezone, Path(root) if root is not None else Path(path).parent)
        warehouse.holder = holders.record(Path(path), writing=not read_only)
        lake.attach(backend.con, warehouse.root)
        if not read_only:
            warehouse.create_tables()
        return warehouse

    @property
    def raw(self):
        """The underlying DuckDB connection (bulk loading and transactions live in warehouse.load)."""
        return self.ibis.con

    def create_tables(self) -> None:
        """Create every canonical table, the system tables and the events view when missing (idempotent)."""
        for table in TABLES.values():
            if table.name == lake.VIEW:
                continue
            cols = []
            for name in table.stored_columns:
                kind = next((c.kind for c in table.columns if c.name == name), None)
                sql_type = DUCKDB_TYPES[kind] if kind else "VARCHAR"
                cols.append(f'"{name}" {sql_type}')
            self.raw.execute(f'CREATE TABLE IF NOT EXISTS "{table.name}" ({", ".join(cols)})')
        for ddl in system.DDL:
            self.raw.execute(ddl)
        lake.prepare(self.raw, self.root)

    def table(self, name: str) -> ir.Table:
        return self.ibis.table(name)

    def sql(self, expr: ir.Table) -> str:
        """The engine's SQL for an expression (compile before a transaction: it takes time, needs no lock)."""
        return str(ibis.to_sql(expr, dialect=self.ibis.name))

    def materialise(self, name: str, query: ir.Table | str, *, temp: bool = True) -> ir.Table:
        """`query` (an expression, or its SQL from `sql`) computed into table `name`, replacing it; a
        temporary table (the default) is this connection's and goes when it closes. Reading the result
        many times then costs one computation."""
        sql = query if isinstance(query, str) else self.sql(query)
        self.raw.execute(f'CREATE OR REPLACE {"TEMP " if temp else ""}TABLE "{name}" AS {sql}')
        return self.table(name)

    def close(self) -> None:
        self.ibis.disconnect()
        holders.release(self.holder)
        self.holder = None


@contextmanager
def time_limit(seconds: int, connected: Callable[[], Warehouse | None]) -> Iterator[None]:
    """Stop the engine's work inside this block after `seconds` (0: never): a timer thread interrupts
    the warehouse `connected()` returns (None: not connected yet, so nothing to stop), and the query
    running then fails with QueryTimeoutError. The engine stops between two of its own steps, so no
    query runs on for minutes past the limit. A warehouse first connected after the limit passed is not
    stopped: the limit is for long queries, and one only starts on a connection."""
    if not seconds:
        yield
        return
    expired = threading.Event()

    def stop() -> None:
        expired.set()
        warehouse = connected()
        if warehouse is not None:
            warehouse.raw.interrupt()

    timer = threading.Timer(seconds, stop)
    timer.daemon = True
    timer.start()
    try:
        yield
    except duckdb.InterruptException:
        if not expired.is_set():
            raise
        raise QueryTimeoutError(seconds) from None
    finally:
        timer.cancel()
