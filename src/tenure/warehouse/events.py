"""Loading events into the lake (lake.py): adopt canonical Parquet files as they are, rewrite the rest.

A Parquet file whose columns are exactly the canonical events columns is *adopted*: copied byte for
byte into the lake, then checked in one scan that keeps the hash of each good row's event_id. Only
when some row is flagged does a second look tell apart rows with a problem (their sentences go to
the stage table, as any file's would) from rows that would be stored differently than written (no
event_id, a blank user_id or properties, an empty properties object); one of the latter sends the
whole file down the rewrite path instead, so an adopted row reads back as the rewrite path would have
stored it. One difference is deliberate: adopted JSON properties keep their text as written (checked
to be an object, not re-serialised minified, which would cost a second parse of every row). Rejected
and duplicate rows of an adopted file stay in it and are listed in `_event_exclusions`.

Every other file is *rewritten*: staged by the contract's validation query like any table (load.py),
then its good, new rows are written by one COPY into a lake file.

Duplicates: the batch's good rows are checked for a repeated event_id by sorting their 64-bit hashes
(distinct hashes prove distinct ids, and sorting 10M integers takes ~0.3 s against ~1.7 s for DuckDB
to GROUP BY them); only when a hash repeats are the exact duplicate rows ranked (first occurrence
wins: earlier file, earlier row). Ids already in the lake are found by a semi-join.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb
import numpy as np

from tenure.contract.tables import Table
from tenure.errors import UnreadableFileError
from tenure.warehouse import lake, system
from tenure.warehouse.parsing import Rules
from tenure.warehouse.validation import Params, check_query
from tenure.warehouse.sources import Source, ident, unreadable

DUPS = "__tenure_dups"
HASHES = "__tenure_hashes"
GOOD, PROBLEM, CHANGED = 0, 1, 2


@dataclass
class Adopted:
    index: int  # the file's position in the load
    source: Source  # reading the lake copy
    relative: str  # the lake copy's path relative to the workspace
    path: Path  # and its absolute path
    rows: int
    problems: int  # rows with a problem (their sentences are in the stage table)
    hashes: np.ndarray  # hash(event_id) of the good rows


def adoptable(source: Source) -> bool:
    """A Parquet file with exactly the canonical columns and types (names matched case-insensitively)."""
    if source.format != "parquet" or len(source.columns) != len(lake.CANONICAL):
        return False
    return all(
        name in source.columns and source.columns[name].type.upper() == type_.replace("TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE")
        for name, type_ in lake.CANONICAL
    )


def adopt(raw, spec: Table, source: Source, index: int, *, stage: str, root: Path, load_id: int,
          rules: Rules, written: list[Path]) -> Adopted | None:
    """Copy `source` into the lake and check the copy; None (copy removed) when it must be rewritten instead.

    Problem rows go into the stage table with their sentences, as a rewritten file's would."""
    relative, target = lake.lake_path(root, load_id, index)
    target.parent.mkdir(parents=True, exist_ok=True)
    # A copy, not a link: the user may overwrite their file later. Checking the copy means the bytes
    # validated are the bytes adopted, even if the user's file changes meanwhile.
    written.append(target)
    shutil.copyfile(source.path, target)
    copy = replace(source, params={**source.params, **{k: str(target) for k in source.params if k.endswith("path")}})
    params = Params(f"f{index}_r")
    flags_sql, problems_sql = check_query(spec, copy, params, rules=rules, key="event_id")
    values = {**copy.params, **params.values}
    try:
        (rows,) = raw.execute("SELECT coalesce(sum(num_rows), 0) FROM parquet_file_metadata($path)",
                              {"path": str(target)}).fetchone()
        # Only the good rows' hashes cross into Python; fewer than `rows` means some row is flagged,
        # which a second look tells apart. Through a temp table: fetching the filtered query directly
        # is ~30% slower (its result is collected in order, on one thread).
        raw.execute(f"CREATE OR REPLACE TEMP TABLE {HASHES} AS SELECT __hash FROM ({flags_sql}) WHERE __flag = {GOOD}",
                    _used(flags_sql, values))
        good = raw.execute(f"SELECT __hash FROM {HASHES}").fetchnumpy()["__hash"]
        raw.execute(f"DROP TABLE {HASHES}")
        problems = 0
        if len(good) < rows:
            counts = dict(raw.execute(f"SELECT __flag, count(*) FROM ({flags_sql}) GROUP BY 1",
                                      _used(flags_sql, values)).fetchall())
            if counts.get(CHANGED):
                target.unlink(missing_ok=True)
                written.remove(target)
                return None
            problems = counts.get(PROBLEM, 0)
        if problems:
            raw.execute(
                f"INSERT INTO {stage} (__file, __row, __problems) SELECT {int(index)}, __row, __problems FROM ({problems_sql})",
                _used(problems_sql, values),
            )
    except (duckdb.InvalidInputException, duckdb.IOException, duckdb.ConversionException) as error:
        raise unreadable(source.path, source.format, error) from None
    if rows == 0:
        raise UnreadableFileError(str(source.path), "has no rows")
    return Adopted(index, copy, relative, target, rows, problems, good)


def write(raw, *, stage: str, root: Path, load_id: int, files: int, adopted: list[Adopted], rewritten: list[int],
          written: list[Path]) -> int:
    """Register the adopted files and their exclusions, COPY the rewritten files' good rows into one lake
    file, and rebuild the view. Returns the rows that became visible in `events`."""
    raw.execute(f"CREATE OR REPLACE TEMP TABLE {DUPS} (__file INTEGER, __row BIGINT)")
    good = _good_rows(adopted, rewritten, stage)
    params = {f"p{a.index}": str(a.path) for a in adopted}
    if _repeats(raw, adopted, rewritten, stage):
        raw.execute(
            f"INSERT INTO {DUPS} SELECT __file, __row FROM ({good}) "
            f"QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY __file, __row) > 1",
            params,
        )
    if raw.execute(f"SELECT EXISTS (SELECT 1 FROM {system.EVENT_FILES})").fetchone()[0]:
        # Events are immutable facts: an id already stored keeps its stored row.
        raw.execute(
            f"""INSERT INTO {DUPS}
            SELECT __file, __row FROM ({good}) AS g WHERE event_id IN (SELECT event_id FROM {lake.VIEW})
            EXCEPT SELECT __file, __row FROM {DUPS}""",
            params,
        )

    loaded = 0
    for a in adopted:
        excluded = f"SELECT __row FROM {stage} WHERE __file = {a.index} UNION ALL SELECT __row FROM {DUPS} WHERE __file = {a.index}"
        (count,) = raw.execute(f"SELECT count(*) FROM ({excluded})").fetchone()
        if count == a.rows:
            # Nothing new in it: not worth a file in the lake.
            a.path.unlink(missing_ok=True)
            continue
        raw.execute(f"INSERT INTO {system.EVENT_FILES} VALUES ($file, $load_id, $rows)",
                    {"file": a.relative, "load_id": load_id, "rows": a.rows})
        if count:
            raw.execute(f"INSERT INTO {system.EVENT_EXCLUSIONS} SELECT $file, __row - 1 FROM ({excluded})",
                        {"file": a.relative})
        loaded += a.rows - count

    if rewritten:
        # Adopted copies are numbered by their file's position in the load; the rewritten rows come after.
        relative, target = lake.lake_path(root, load_id, files)
        target.parent.mkdir(parents=True, exist_ok=True)
        columns = ", ".join(ident(name) for name, _ in lake.CANONICAL)
        written.append(target)
        (count,) = raw.execute(
            f"""COPY (SELECT {columns} FROM {stage} AS s WHERE __problems IS NULL
                      AND NOT EXISTS (SELECT 1 FROM {DUPS} AS d WHERE d.__file = s.__file AND d.__row = s.__row))
            TO $path (FORMAT parquet, COMPRESSION {lake.COMPRESSION})""",
            {"path": str(target)},
        ).fetchone()
        if count:
            raw.execute(f"INSERT INTO {system.EVENT_FILES} VALUES ($file, $load_id, $rows)",
                        {"file": relative, "load_id": load_id, "rows": count})
        else:
            target.unlink(missing_ok=True)
        loaded += count
    raw.execute(f"DROP TABLE {DUPS}")
    lake.create_view(raw)
    return loaded


def _good_rows(adopted: list[Adopted], rewritten: list[int], stage: str) -> str:
    """__file, __row (1-based) and event_id of every good row of the load, adopted files read from the lake copy."""
    parts = []
    for a in adopted:
        event_id = a.source.columns["event_id"].sql
        read = (
            f"SELECT {a.index} AS __file, file_row_number + 1 AS __row, {event_id} AS event_id "
            f"FROM read_parquet($p{a.index}, file_row_number = true)"
        )
        if a.problems:
            read += f" WHERE file_row_number + 1 NOT IN (SELECT __row FROM {stage} WHERE __file = {a.index})"
        parts.append(read)
    if rewritten:
        parts.append(f"SELECT __file, __row, event_id FROM {stage} WHERE __problems IS NULL")
    return " UNION ALL ".join(parts)


def _repeats(raw, adopted: list[Adopted], rewritten: list[int], stage: str) -> bool:
    """Whether any event_id may repeat within the load: a repeated hash of the good rows' ids."""
    hashes = [a.hashes for a in adopted]
    if rewritten:
        hashes.append(raw.execute(f"SELECT hash(event_id) AS h FROM {stage} WHERE __problems IS NULL").fetchnumpy()["h"])
    if not hashes:
        return False
    everything = np.concatenate(hashes) if len(hashes) > 1 else hashes[0].copy()
    everything.sort()
    return bool((everything[1:] == everything[:-1]).any())


def _used(sql: str, values: dict[str, object]) -> dict[str, object]:
    """The parameters `sql` refers to (DuckDB refuses unused named parameters)."""
    return {k: v for k, v in values.items() if re.search(rf"\${re.escape(k)}\b", sql)}
