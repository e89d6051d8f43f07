"""The warehouse: an Ibis connection to the analytic engine holding the canonical tables.

DuckDB is the embedded default (one file in the workspace). The session time zone is set to the
workspace's, so that day/week/month bucketing of stored instants happens in that zone on every engine.
`events` is a view over Parquet files in the workspace (lake.py); every other table is native.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import ibis
import ibis.expr.types as ir

from tenure.config.settings import WarehouseSettings
from tenure.errors import WorkspaceError
from tenure.contract.tables import TABLES
from tenure.warehouse import lake, system
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

    @classmethod
    def connect(
        cls, path: Path, engine: WarehouseSettings, *, timezone: str, read_only: bool = False,
        root: Path | None = None,
    ) -> "Warehouse":
        config: dict[str, object] = {"memory_limit": engine.memory_limit}
        if engine.threads:
            config["threads"] = engine.threads
        try:
            backend = ibis.duckdb.connect(str(path), read_only=read_only, **config)
        except duckdb.IOException as error:
            # DuckDB lets one process write a database file; a second one (a load still running,
            # a notebook holding the workspace open) gets a lock error, which is the user's to resolve.
            if "lock" in str(error).lower():
                raise WorkspaceError(
                    f"{path} is in use by another process (a load still running, or a notebook with the "
                    "workspace open); close it and try again"
                ) from None
            raise
        # ibis sets UTC on connect; bucketing must follow the workspace instead.
        backend.raw_sql(f"SET TimeZone = {literal(timezone)}")
        warehouse = cls(backend, engine, timezone, Path(root) if root is not None else Path(path).parent)
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

