"""Loading files into a contract table: validate every row, record rejects, upsert the good rows, atomically.

    load_files(warehouse, "subscriptions", [Path("subs.csv")], workspace=settings.workspace, fmt=None,
               strict=False, progress=None)

The whole call is one DuckDB transaction (contract, "Bad input" 2): every file is staged into a
temporary table in one pass (sources.py reads, validation.py validates), the problems go to `_rejects`,
the good rows are upserted by key, and a `_loads` row records the load. Events go to the Parquet
lake instead (events.py, lake.py): its files are written before the COMMIT and referenced only by
it. Any exception, KeyboardInterrupt included, rolls everything back and deletes this load's lake
files; a killed process never commits, and its files are deleted by the next load or open.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import duckdb
import ibis.expr.types as ir

from tenure.config.settings import WorkspaceSettings
from tenure.contract.tables import TABLES, Table
from tenure.errors import StrictLoadError, UnreadableFileError, UsageError
from tenure.warehouse import events, lake, system
from tenure.warehouse.parsing import Rules
from tenure.warehouse.validation import PROBLEM_TYPE, Params, contract_columns, stage_query
from tenure.warehouse.sources import Source, ident, open_source, unreadable
from tenure.warehouse.types import DUCKDB_TYPES

Progress = Callable[[str, int, int], None]
STAGE = "__tenure_stage"
EXAMPLES = 3  # examples kept per reason in LoadResult


@dataclass(frozen=True)
class Example:
    file: str
    row: int
    column: str
    value: str | None


@dataclass(frozen=True)
class Reason:
    reason: str  # the rule, e.g. "amount is negative"
    count: int
    examples: tuple[Example, ...]


@dataclass(frozen=True)
class LoadResult:
    load_id: int
    table: str
    files: tuple[str, ...]
    # Every row read is exactly one of these four (docs/data-contract.md#keys-upserts-and-duplicates).
    rows_read: int
    rows_inserted: int  # a key not stored before
    rows_updated: int  # a stored key, replaced by a row that differs from it
    rows_unchanged: int  # a stored key with the same values, a stored event, or a key repeated in this load
    rows_rejected: int  # rows with at least one problem (a row with two problems counts once)
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict:
        return asdict(self)

    def counts(self) -> str:
        """'read 3 rows: inserted 0, updated 3, unchanged 0, rejected 0': the words of every load message."""
        return (f"read {self.rows_read:,} rows: inserted {self.rows_inserted:,}, updated {self.rows_updated:,}, "
                f"unchanged {self.rows_unchanged:,}, rejected {self.rows_rejected:,}")

    def summary(self) -> str:
        """The lines the CLI prints: counts, then each reason with its first examples."""
        lines = [f"{self.table}: {self.counts()}"]
        for reason in self.reasons:
            lines.append(f"  {reason.count} × {reason.reason}")
            lines += [f"      {e.file} row {e.row}: {e.column} = {e.value!r}" for e in reason.examples]
        return "\n".join(lines)


def load_files(
    warehouse,
    table: str,
    files: list[Path],
    *,
    workspace: WorkspaceSettings,
    fmt: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
) -> LoadResult:
    """Load `files` into `table` in one transaction; see the module docstring. `workspace` gives the
    years a date may fall in ([workspace] earliest_year, latest_year)."""
    spec = TABLES.get(table)
    if spec is None:
        raise UsageError(f"unknown table '{table}'; choose one of {', '.join(TABLES)}")
    if not files:
        raise UsageError("no files to load")
    report = progress or (lambda stage, done, total: None)
    with _no_file_cache(warehouse.raw):
        return _load(warehouse, spec, files, workspace=workspace, fmt=fmt, strict=strict, report=report)


@contextmanager
def _no_file_cache(raw):
    """DuckDB's external file cache (1.3+) can serve a file's old bytes after the file is rewritten
    under the same name within the same second: a user's export written again between two loads
    read as a Snappy error, and a lake file name reused after a rolled-back load could read stale.
    A load reads each file once, so it loses nothing by going to the file itself."""
    found = raw.execute(
        "SELECT value FROM duckdb_settings() WHERE name = 'enable_external_file_cache'"
    ).fetchone()
    if found is None:
        yield
        return
    raw.execute("SET enable_external_file_cache = false")
    try:
        yield
    finally:
        raw.execute(f"SET enable_external_file_cache = {'true' if found[0].lower() == 'true' else 'false'}")


def _load(warehouse, spec: Table, files: list[Path], *, workspace: WorkspaceSettings, fmt: str | None, strict: bool,
          report: Progress) -> LoadResult:
    step = f"load {spec.name}"  # one step per load, counting files read, the check, and the two writes
    steps = len(files) + 3
    raw: duckdb.DuckDBPyConnection = warehouse.raw
    names = [str(f) for f in files]
    to_lake = spec.name == lake.VIEW
    written: list[Path] = []  # lake files of this load, deleted unless it commits
    adopted: list[events.Adopted] = []
    rewritten: list[int] = []
    if to_lake:
        lake.remove_orphans(raw, warehouse.root)
    raw.execute("BEGIN TRANSACTION")
    try:
        started = datetime.now(timezone.utc)
        rules = _rules(warehouse, workspace)
        load_id = raw.execute(f"SELECT coalesce(max(load_id), 0) + 1 FROM {system.LOADS}").fetchone()[0]
        _create_stage(raw, spec)
        rows_read = 0
        for i, path in enumerate(files):
            report(step, i, steps)
            source = open_source(raw, path, fmt, spec, f"f{i}_")
            if to_lake and events.adoptable(source):
                found = events.adopt(raw, spec, source, i, stage=STAGE, root=warehouse.root, load_id=load_id,
                                     rules=rules, written=written)
                if found is not None:
                    adopted.append(found)
                    rows_read += found.rows
                    continue
            rows_read += _stage_file(raw, spec, source, i, rules)
            rewritten.append(i)
        report(step, len(files), steps)
        rows_rejected, reasons = _record_rejects(raw, spec, load_id, names)
        report(step, len(files) + 1, steps)
        if strict and rows_rejected:
            # The data stays untouched; only the load and its rejects are committed, for `tenure rejects`.
            _record_load(raw, load_id, spec, names, started, rows_read, 0, rows_rejected, strict)
            raw.execute("COMMIT")
            _delete(written)
            written.clear()
            # Nothing written: every row that was not rejected is unchanged.
            result = LoadResult(load_id, spec.name, tuple(names), rows_read, 0, 0, rows_read - rows_rejected,
                                rows_rejected, reasons)
            raise StrictLoadError(spec.name, rows_rejected, result.summary())
        if to_lake:
            rows_inserted = events.write(raw, stage=STAGE, root=warehouse.root, load_id=load_id, files=len(files),
                                         adopted=adopted, rewritten=rewritten, written=written)
            rows_updated = 0  # events are facts: a stored one is never replaced
        else:
            rows_inserted, rows_updated = _upsert(raw, spec)
        report(step, len(files) + 2, steps)
        # _loads.rows_loaded: the rows this load wrote (a refresh looks for loads that added events).
        _record_load(raw, load_id, spec, names, started, rows_read, rows_inserted + rows_updated, rows_rejected, strict)
        raw.execute(f"DROP TABLE {STAGE}")
        raw.execute("COMMIT")
        written.clear()  # committed: from here on, the files belong to the workspace
        report(step, steps, steps)
    except StrictLoadError:
        _drop_stage(raw)
        raise
    except BaseException:
        # Ctrl-C and bugs alike: nothing of this load may remain.
        try:
            raw.execute("ROLLBACK")
        except duckdb.Error:
            pass
        _drop_stage(raw)
        _delete(written)
        raise
    unchanged = rows_read - rows_rejected - rows_inserted - rows_updated
    return LoadResult(load_id, spec.name, tuple(names), rows_read, rows_inserted, rows_updated, unchanged, rows_rejected,
                      reasons)


def _create_stage(raw, spec: Table) -> None:
    kinds = {c.name: c.kind for c in contract_columns(spec)}
    columns = ", ".join(f"{ident(n)} {DUCKDB_TYPES[kinds[n]]}" for n in spec.stored_columns)
    raw.execute(f"CREATE OR REPLACE TEMP TABLE {STAGE} (__file INTEGER, __row BIGINT, {columns}, __problems {PROBLEM_TYPE})")


def _drop_stage(raw) -> None:
    try:
        raw.execute(f"DROP TABLE IF EXISTS {STAGE}")
    except duckdb.Error:
        pass


def _delete(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _rules(warehouse, workspace: WorkspaceSettings) -> Rules:
    """The settings and engine facts that reading values depends on, for this load."""
    raw = warehouse.raw
    (timezone_name,) = raw.execute("SELECT current_setting('TimeZone')").fetchone()
    zones = tuple(name for (name,) in raw.execute("SELECT name FROM pg_timezone_names() ORDER BY name").fetchall())
    return Rules(timezone_name, workspace.earliest_year, workspace.latest_year, zones)


def _stage_file(raw, spec: Table, source: Source, index: int, rules: Rules) -> int:
    """One pass over a file: typed columns and problems into the stage table. Returns its row count."""
    params = Params(f"f{index}_r")
    sql = stage_query(spec, source, index, params, rules=rules)
    try:
        (count,) = raw.execute(f"INSERT INTO {STAGE} {sql}", {**source.params, **params.values}).fetchone()
    except (duckdb.InvalidInputException, duckdb.IOException, duckdb.ConversionException) as error:
        raise unreadable(source.path, source.format, error) from None
    if count == 0:
        raise UnreadableFileError(str(source.path), "has no rows")
    return count


def _record_rejects(raw, spec: Table, load_id: int, names: list[str]) -> tuple[int, tuple[Reason, ...]]:
    """Write one `_rejects` row per problem; return the number of rejected rows and the reasons summary."""
    rows_rejected = raw.execute(f"SELECT count(*) FROM {STAGE} WHERE __problems IS NOT NULL").fetchone()[0]
    if not rows_rejected:
        return 0, ()
    problems = f"(SELECT __file, __row, unnest(__problems) AS p FROM {STAGE} WHERE __problems IS NOT NULL)"
    raw.execute(
        f"""INSERT INTO {system.REJECTS}
        SELECT $load_id, $table, $files[__file + 1], __row, p."column", p.value, p.reason
        FROM {problems} ORDER BY __file, __row""",
        {"load_id": load_id, "table": spec.name, "files": names},
    )
    found = raw.execute(
        f"""SELECT p.rule, count(*) AS n,
                   min_by({{'file': $files[__file + 1], 'row': __row, 'column': p."column", 'value': p.value}},
                          {{'f': __file, 'r': __row}}, {EXAMPLES})
        FROM {problems} GROUP BY p.rule ORDER BY n DESC, p.rule""",
        {"files": names},
    ).fetchall()
    reasons = tuple(
        Reason(rule, count, tuple(Example(e["file"], e["row"], e["column"], e["value"]) for e in examples))
        for rule, count, examples in found
    )
    return rows_rejected, reasons


def _upsert(raw, spec: Table) -> tuple[int, int]:
    """Insert the good rows; a stored row with the same key is replaced (events: kept). Returns the rows
    inserted (new keys) and updated (replacing a stored row that differs from them)."""
    target = ident(spec.name)
    columns = ", ".join(ident(n) for n in spec.stored_columns)
    key = ", ".join(ident(k) for k in spec.key)
    good = f"(SELECT * FROM {STAGE} WHERE __problems IS NULL) AS good"
    keep = f"SELECT {columns} FROM {good}"
    stored = raw.execute(f"SELECT EXISTS (SELECT 1 FROM {target})").fetchone()[0]
    match = " AND ".join(f"e.{ident(k)} = good.{ident(k)}" for k in spec.key)
    if stored and spec.immutable:
        # Events are facts: a stored event id is kept as it is.
        keep += f" WHERE NOT EXISTS (SELECT 1 FROM {target} AS e WHERE {match})"
    # Ranking rows by key is the costliest step of a large load, so first look (cheaply, by hash)
    # whether any key repeats at all; distinct hashes prove distinct keys.
    repeats = raw.execute(
        f"SELECT EXISTS (SELECT hash({key}) AS h FROM {good} GROUP BY h HAVING count(*) > 1)"
    ).fetchone()[0]
    if repeats:
        # The later row (later file, later row) replaces an earlier one; for events the first is kept.
        order = "__file, __row" if spec.immutable else "__file DESC, __row DESC"
        keep += f" QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY {order}) = 1"
    replaced = updated = 0
    if stored and not spec.immutable:
        # Before the stored rows go: which kept rows replace one, and which of those change a value.
        on = " AND ".join(f"e.{ident(k)} = k.{ident(k)}" for k in spec.key)
        same = " AND ".join(f"e.{ident(n)} IS NOT DISTINCT FROM k.{ident(n)}" for n in spec.stored_columns)
        replaced, updated = raw.execute(
            f"SELECT count(*), count(*) FILTER (WHERE NOT ({same})) FROM ({keep}) AS k JOIN {target} AS e ON {on}"
        ).fetchone()
        raw.execute(f"DELETE FROM {target} AS e USING {good} WHERE {match}")
    (written,) = raw.execute(f"INSERT INTO {target} ({columns}) {keep}").fetchone()
    return written - replaced, updated


def _record_load(raw, load_id, spec, names, started, rows_read, rows_loaded, rows_rejected, strict) -> None:
    raw.execute(
        f"INSERT INTO {system.LOADS} VALUES ($id, $table, $files, $started, $finished, $read, $loaded, $rejected, $strict)",
        {
            "id": load_id, "table": spec.name, "files": json.dumps(names), "started": started,
            "finished": datetime.now(timezone.utc),
            "read": rows_read, "loaded": rows_loaded, "rejected": rows_rejected, "strict": strict,
        },
    )


def rejects_expr(warehouse, table: str | None = None, *, all_loads: bool = False) -> ir.Table:
    """The `_rejects` rows of the latest load of each table (or of every load), ordered by table, file, row."""
    if table is not None and table not in TABLES:
        raise UsageError(f"unknown table '{table}'; choose one of {', '.join(TABLES)}")
    rejects = warehouse.table(system.REJECTS)
    if table is not None:
        rejects = rejects.filter(rejects["table"] == table)
    if not all_loads:
        loads = warehouse.table(system.LOADS)
        latest = loads.group_by(loads["table"]).aggregate(latest_load=loads["load_id"].max())
        rejects = rejects.semi_join(
            latest, [rejects["table"] == latest["table"], rejects["load_id"] == latest["latest_load"]]
        )
    columns = ["load_id", "table", "file", "row", "column", "value", "reason"]
    return rejects.select(*columns).order_by([rejects["table"], rejects["file"], rejects["row"], rejects["column"]])
