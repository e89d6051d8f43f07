"""Opening a user's file for loading: its format, its columns matched to the contract, whole-file errors.

A `Source` is a SQL query over one file that DuckDB streams; nothing is read into Python. The file
path and every name taken from the file reach the SQL text only as `$parameters` or as identifiers
quoted by `ident` (contract rule 5).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from tenure.contract.tables import Kind, Table
from tenure.errors import UnreadableFileError, UsageError

# The longest matching suffix wins, so `.csv.gz` is CSV (DuckDB decompresses by extension).
EXTENSIONS = {
    ".csv": "csv", ".csv.gz": "csv",
    ".parquet": "parquet", ".pq": "parquet",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonl.gz": "jsonl", ".ndjson.gz": "jsonl",
}
FORMATS = ("csv", "parquet", "jsonl")
FORMAT_NAMES = {"csv": "CSV", "parquet": "Parquet", "jsonl": "JSON Lines"}

ROW = "__tenure_row"  # 1-based data row number (for CSV: the record after the header, not the physical line)

# RFC 4180, fixed rather than sniffed: a sniffed dialect can pick the wrong header line on a ragged
# file, and DuckDB's default treats lines starting with '#' as comments, silently dropping them.
_CSV = (
    "header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"', comment = '', "
    "skip = 0, strict_mode = true, null_padding = false, encoding = 'utf-8'"
)


def ident(name: str) -> str:
    """Quote an identifier for DuckDB SQL, doubling embedded quotes."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """Quote a string literal for DuckDB SQL, doubling embedded quotes (for statements that take no parameters)."""
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class SourceColumn:
    sql: str  # expression reading this column inside Source.sql
    type: str  # its DuckDB type: VARCHAR for CSV and JSON Lines, the stored type for Parquet
    header: str  # the name as written in the file
    number: str | None = None  # JSON Lines, money and rate columns: SQL, true where the value is a JSON number


@dataclass(frozen=True)
class Source:
    path: Path
    format: str
    sql: str  # SELECT ... with ROW and the file's columns; parameters in `params`
    params: dict[str, object]
    columns: dict[str, SourceColumn] = field(default_factory=dict)  # by contract name (lower case, trimmed)


def detect_format(path: Path, fmt: str | None) -> str:
    if fmt is not None:
        chosen = fmt.lower().removeprefix(".")
        chosen = {"ndjson": "jsonl", "json": "jsonl", "pq": "parquet"}.get(chosen, chosen)
        if chosen not in FORMATS:
            raise UsageError(f"format '{fmt}' is not one of {', '.join(FORMATS)}")
        return chosen
    name = path.name.lower()
    for suffix in sorted(EXTENSIONS, key=len, reverse=True):
        if name.endswith(suffix):
            return EXTENSIONS[suffix]
    raise UnreadableFileError(
        str(path), "has no known extension (.csv, .parquet, .jsonl); pass --format csv, parquet or jsonl"
    )


def open_source(raw: duckdb.DuckDBPyConnection, path: Path, fmt: str | None, table: Table, prefix: str) -> Source:
    """Describe one file and match its columns to `table`; raise UnreadableFileError when it cannot be loaded.

    `prefix` keeps this file's parameter names apart from other files' in the same load."""
    if not path.exists():
        raise UnreadableFileError(str(path), "does not exist")
    if not path.is_file():
        raise UnreadableFileError(str(path), "is not a file")
    if path.stat().st_size == 0:
        raise UnreadableFileError(str(path), "is empty")
    fmt = detect_format(path, fmt)
    params: dict[str, object] = {f"{prefix}path": str(path)}
    try:
        if fmt == "jsonl":
            sql, columns = _jsonl(raw, path, prefix, params, table)
        else:
            reader = (
                f"read_csv(${prefix}path, {_CSV})" if fmt == "csv"
                else f"read_parquet(${prefix}path, file_row_number = true)"
            )
            described = raw.execute(f"DESCRIBE SELECT * FROM {reader}", {f"{prefix}path": str(path)}).fetchall()
            headers = [(name, type_) for name, type_, *_ in described]
            if fmt == "parquet":
                headers = [h for h in headers if h[0] != "file_row_number"]
            # The engine renames a repeated name (created_at, created_at_1) and names a blank one
            # (column4); the names as written are checked before they are matched, so such a file is
            # rejected whole instead of loading the second column under a made-up name.
            _check_names(path, _names_as_written(raw, path, fmt, prefix), len(headers))
            # Parquet carries its own row numbers; CSV rows are numbered in file order as DuckDB reads them.
            row = "file_row_number + 1" if fmt == "parquet" else "row_number() OVER ()"
            sql = f"SELECT {row} AS {ROW}, * FROM {reader}"
            columns = [(h, SourceColumn(ident(h), t, h)) for h, t in headers]
    except duckdb.Error as error:
        raise unreadable(path, fmt, error) from None
    by_name: dict[str, SourceColumn] = {}
    for header, column in columns:
        name = header.strip().lower()
        if name in by_name:
            raise UnreadableFileError(str(path), f"has two columns named {name} ('{by_name[name].header}' and '{header}')")
        by_name[name] = column
    missing = [c for c in table.required if c not in by_name]
    if missing:
        noun = "column" if len(missing) == 1 else "columns"
        raise UnreadableFileError(str(path), f"is missing the required {noun} {', '.join(missing)} for {table.name}")
    return Source(path, fmt, sql, params, by_name)


def _names_as_written(raw, path: Path, fmt: str, prefix: str) -> list[str | None]:
    """The column names as the file writes them: a CSV's first record, a Parquet file's schema."""
    if fmt == "csv":
        header = raw.execute(
            f"SELECT * FROM read_csv(${prefix}path, {_CSV.replace('header = true', 'header = false')}) LIMIT 1",
            {f"{prefix}path": str(path)},
        ).fetchone()
        return list(header or ())
    # The top-level fields of the Parquet schema are the root's children; a nested field's own
    # children follow it (depth first), so they are skipped by counting.
    schema = raw.execute(
        "SELECT name, coalesce(num_children, 0) FROM parquet_schema($path)", {"path": str(path)}
    ).fetchall()
    names, pending, skip = [], schema[0][1] if schema else 0, 0
    for name, children in schema[1:]:
        if skip:
            skip += children - 1
            continue
        names.append(name)
        skip = children
        pending -= 1
        if not pending:
            break
    return names


def _check_names(path: Path, names: list[str | None], expected: int) -> None:
    seen: dict[str, str] = {}
    for position, name in enumerate(names, start=1):
        if name is None or not name.strip():
            raise UnreadableFileError(str(path), f"has a column without a name (column {position})")
        key = name.strip().lower()
        if key in seen:
            raise UnreadableFileError(str(path), f"has two columns named {key} ('{seen[key]}' and '{name}')")
        seen[key] = name
    if len(names) != expected:
        # Not expected to happen; a mismatch would mean the names above are not the file's columns.
        raise UnreadableFileError(str(path), "has column names that cannot be told apart")


def _jsonl(raw, path: Path, prefix: str, params: dict, table: Table) -> tuple[str, list[tuple[str, SourceColumn]]]:
    # JSON Lines has no header: the columns are every key of any line (one pass), and each value is
    # read as text (objects as JSON text), like CSV, so that the same rules apply to both.
    reader = f"read_ndjson_objects(${prefix}path)"
    keys = [k for (k,) in raw.execute(
        f"SELECT DISTINCT unnest(json_keys(json)) FROM {reader} WHERE json_type(json) = 'OBJECT'",
        {f"{prefix}path": str(path)},
    ).fetchall()]
    keys.sort()
    # JSON Pointer paths address any key exactly, whatever characters it holds.
    pointers = ["/" + k.replace("~", "~0").replace("/", "~1") for k in keys]
    params[f"{prefix}keys"] = pointers
    # The engine reads a JSON number as a double, so money written as a number is checked as one
    # (parsing.float_decimal); telling numbers from strings costs a second parse, only for money.
    exact = {c.name for c in table.columns if c.kind in (Kind.DECIMAL, Kind.RATE)}
    numeric = [i for i, k in enumerate(keys) if k.strip().lower() in exact]
    types = ""
    if numeric:
        params[f"{prefix}numeric"] = [pointers[i] for i in numeric]
        types = f", json_type(json, ${prefix}numeric) AS __tenure_types"
    sql = (
        f"SELECT row_number() OVER () AS {ROW}, json_extract_string(json, ${prefix}keys) AS __tenure_values{types} "
        f"FROM {reader}"
    )
    number = {i: f"(__tenure_types[{j + 1}] = 'DOUBLE')" for j, i in enumerate(numeric)}
    return sql, [(k, SourceColumn(f"__tenure_values[{i + 1}]", "VARCHAR", k, number.get(i))) for i, k in enumerate(keys)]


def unreadable(path: Path, fmt: str, error: Exception) -> UnreadableFileError:
    """Turn DuckDB's reader error into one sentence about the file."""
    text = str(error)
    if "invalid unicode" in text.lower() or "not utf-8" in text.lower():
        return UnreadableFileError(str(path), "is not UTF-8 encoded text")
    detail = text.split("\n")[0].split("Error: ", 1)[-1].strip()
    return UnreadableFileError(str(path), f"cannot be read as {FORMAT_NAMES[fmt]} ({detail})")
