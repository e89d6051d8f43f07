"""Events in the Parquet lake (tenure.warehouse.lake, tenure.warehouse.events): adoption, exclusions,
rewrites, orphans, moving the workspace. Files are written into tmp_path; expectations are literals."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from tenure import StrictLoadError, Workspace
from tests.conftest import put_rows

CANONICAL = (
    "SELECT * FROM (VALUES {rows}) AS t(event_id, account_id, user_id, event, timestamp, properties)"
)


def canonical_parquet(path: Path, rows: str) -> Path:
    """A Parquet file with exactly the canonical events columns and types."""
    duckdb.sql(
        "SELECT CAST(event_id AS VARCHAR) AS event_id, CAST(account_id AS VARCHAR) AS account_id, "
        "CAST(user_id AS VARCHAR) AS user_id, CAST(event AS VARCHAR) AS event, "
        "CAST(timestamp AS TIMESTAMPTZ) AS timestamp, CAST(properties AS VARCHAR) AS properties "
        f"FROM ({CANONICAL.format(rows=rows)})"
    ).write_parquet(str(path))
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rows(ws: Workspace, sql: str) -> list[tuple]:
    return ws.warehouse.raw.execute(sql).fetchall()


def lake_files(ws: Workspace) -> list[str]:
    folder = ws.path / "lake" / "events"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


GOOD_AND_BAD = """
    ('E1', 'A1', 'U1', 'login', '2024-01-01 00:00:00+00', '{"plan":"pro"}'),
    ('E2', NULL, 'U1', 'login', '2024-01-02 00:00:00+00', NULL),
    ('E1', 'A1', 'U2', 'logout', '2024-01-03 00:00:00+00', NULL),
    ('E3', 'A2', NULL, 'login', '2024-01-04 00:00:00+00', '[1]'),
    ('E4', 'A2', 'U3', 'report_created', '2024-01-05 00:00:00+00', NULL)
"""


def test_a_canonical_parquet_file_is_adopted_unchanged_with_its_bad_and_duplicate_rows_excluded(workspace, tmp_path):
    source = canonical_parquet(tmp_path / "e.parquet", GOOD_AND_BAD)
    result = workspace.load("events", [source])
    assert (result.rows_read, result.rows_inserted, result.rows_unchanged, result.rows_rejected) == (5, 2, 1, 2)
    assert lake_files(workspace) == ["part-1-0.parquet"]
    assert sha256(workspace.path / "lake" / "events" / "part-1-0.parquet") == sha256(source)
    assert rows(workspace, "SELECT event_id, user_id, event, properties FROM events ORDER BY 1") == [
        ("E1", "U1", "login", '{"plan":"pro"}'), ("E4", "U3", "report_created", None),
    ]
    # Rows are 0-based in the lake (DuckDB's file_row_number), 1-based data rows in rejects.
    assert rows(workspace, 'SELECT file, "row" FROM _event_exclusions ORDER BY 2') == [
        ("lake/events/part-1-0.parquet", 1), ("lake/events/part-1-0.parquet", 2), ("lake/events/part-1-0.parquet", 3),
    ]
    assert [(r["row"], r["column"], r["reason"]) for r in workspace.rejects("events").to_pylist()] == [
        (2, "account_id", "account_id is required"), (4, "properties", "properties '[1]' is not a JSON object"),
    ]


def test_reloading_the_same_file_adds_nothing(workspace, tmp_path):
    source = canonical_parquet(tmp_path / "e.parquet", GOOD_AND_BAD)
    workspace.load("events", [source])
    again = workspace.load("events", [source])
    assert (again.rows_read, again.rows_inserted, again.rows_unchanged, again.rows_rejected) == (5, 0, 3, 2)
    assert lake_files(workspace) == ["part-1-0.parquet"]
    assert rows(workspace, "SELECT count(*) FROM events") == [(2,)]
    assert rows(workspace, "SELECT file, load_id FROM _event_files") == [("lake/events/part-1-0.parquet", 1)]


def test_a_later_file_with_some_known_ids_adds_only_the_new_ones(workspace, tmp_path):
    workspace.load("events", [canonical_parquet(tmp_path / "a.parquet", "('E1', 'A1', 'U1', 'login', '2024-01-01 00:00:00+00', NULL)")])
    second = canonical_parquet(tmp_path / "b.parquet", """
        ('E1', 'A1', 'U1', 'changed', '2024-01-01 00:00:00+00', NULL),
        ('E2', 'A1', 'U1', 'login', '2024-01-02 00:00:00+00', NULL)""")
    result = workspace.load("events", [second])
    assert (result.rows_inserted, result.rows_unchanged) == (1, 1)
    assert rows(workspace, "SELECT event_id, event FROM events ORDER BY 1") == [("E1", "login"), ("E2", "login")]


def test_within_one_load_the_first_occurrence_of_an_id_wins(workspace, tmp_path):
    first = canonical_parquet(tmp_path / "a.parquet", "('E1', 'A1', 'U1', 'first', '2024-01-01 00:00:00+00', NULL)")
    second = canonical_parquet(tmp_path / "b.parquet", """
        ('E1', 'A1', 'U1', 'second', '2024-01-01 00:00:00+00', NULL),
        ('E2', 'A1', 'U1', 'login', '2024-01-02 00:00:00+00', NULL)""")
    result = workspace.load("events", [first, second])
    assert (result.rows_inserted, result.rows_unchanged) == (2, 1)
    assert rows(workspace, "SELECT event_id, event FROM events ORDER BY 1") == [("E1", "first"), ("E2", "login")]


def test_a_file_whose_rows_are_all_excluded_is_not_adopted(workspace, tmp_path):
    result = workspace.load("events", [canonical_parquet(tmp_path / "e.parquet", "('E1', NULL, 'U1', 'login', '2024-01-01 00:00:00+00', NULL)")])
    assert (result.rows_inserted, result.rows_rejected) == (0, 1)
    assert lake_files(workspace) == []
    assert rows(workspace, "SELECT count(*) FROM _event_files") == [(0,)]


def test_a_canonical_file_stored_differently_than_written_is_rewritten(workspace, tmp_path):
    # A blank user_id is stored as missing, and a missing event_id is filled with the hash: the file
    # cannot be kept as it is, so its rows are written into a new lake file.
    source = canonical_parquet(tmp_path / "e.parquet", """
        ('E1', 'A1', '  ', 'login', '2024-01-01 00:00:00+00', NULL),
        (NULL, 'A1', 'U1', 'login', '2024-01-02 00:00:00+00', NULL)""")
    result = workspace.load("events", [source])
    assert result.rows_inserted == 2
    assert lake_files(workspace) == ["part-1-1.parquet"]
    assert sha256(workspace.path / "lake" / "events" / "part-1-1.parquet") != sha256(source)
    found = rows(workspace, "SELECT event_id, user_id FROM events ORDER BY timestamp")
    assert found[0] == ("E1", None) and len(found[1][0]) == 32


def test_strict_adopts_nothing_when_a_row_is_rejected(workspace, tmp_path):
    with pytest.raises(StrictLoadError):
        workspace.load("events", [canonical_parquet(tmp_path / "e.parquet", GOOD_AND_BAD)], strict=True)
    assert lake_files(workspace) == []
    assert rows(workspace, "SELECT count(*) FROM events") == [(0,)]
    assert len(workspace.rejects("events")) == 2


def test_the_workspace_folder_can_be_moved(tmp_path):
    with Workspace.init(tmp_path / "ws") as ws:
        ws.load("events", [canonical_parquet(tmp_path / "a.parquet", "('E1', 'A1', 'U1', 'login', '2024-01-01 00:00:00+00', NULL)")])
        ws.load("events", [canonical_parquet(tmp_path / "b.parquet", """
            ('E2', NULL, 'U1', 'login', '2024-01-02 00:00:00+00', NULL),
            ('E3', 'A1', 'U1', 'login', '2024-01-03 00:00:00+00', NULL)""")])
    (tmp_path / "ws").rename(tmp_path / "moved")
    with Workspace.open(tmp_path / "moved", read_only=True) as ws:
        assert rows(ws, "SELECT event_id FROM events ORDER BY 1") == [("E1",), ("E3",)]
        assert ws.warehouse.table("events").count().to_pyarrow().as_py() == 2


def test_files_no_load_references_are_removed(workspace, tmp_path):
    stray = workspace.path / "lake" / "events" / "part-9-0.parquet"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"left behind by a killed load")
    workspace.load("events", [canonical_parquet(tmp_path / "e.parquet", "('E1', 'A1', 'U1', 'login', '2024-01-01 00:00:00+00', NULL)")])
    assert lake_files(workspace) == ["part-1-0.parquet"]


def test_an_older_workspace_with_an_events_table_is_moved_into_the_lake(tmp_path):
    with Workspace.init(tmp_path / "ws") as ws:
        raw = ws.warehouse.raw
        raw.execute("DROP VIEW events")
        raw.execute("CREATE TABLE events (event_id VARCHAR, account_id VARCHAR, user_id VARCHAR, event VARCHAR, "
                    "timestamp TIMESTAMPTZ, properties VARCHAR)")
        raw.execute("INSERT INTO events VALUES ('E1', 'A1', NULL, 'login', '2024-01-01 00:00:00+00', NULL)")
    with Workspace.open(tmp_path / "ws") as ws:
        assert rows(ws, "SELECT table_type FROM information_schema.tables WHERE table_name = 'events'") == [("VIEW",)]
        assert rows(ws, "SELECT event_id, account_id FROM events") == [("E1", "A1")]
        assert lake_files(ws) == ["part-0-0.parquet"]


def test_put_rows_loads_events_through_the_lake(workspace):
    put_rows(workspace, "events", [
        {"event_id": "E1", "account_id": "A1", "event": "login", "timestamp": "2024-01-01"},
        {"account_id": "A2", "event": "login", "timestamp": "2024-01-02 10:00:00+02:00", "properties": '{"a": 1}'},
    ])
    found = rows(workspace, "SELECT account_id, CAST(timestamp AS VARCHAR), properties FROM events ORDER BY 1")
    assert found == [("A1", "2024-01-01 00:00:00+00", None), ("A2", "2024-01-02 08:00:00+00", '{"a":1}')]


def test_canonical_columns_in_another_order_or_case_are_adopted_and_read_by_name(workspace, tmp_path):
    workspace.load("events", [canonical_parquet(tmp_path / "a.parquet", "('E1', 'A1', 'U1', 'login', '2024-01-01 00:00:00+00', NULL)")])
    other = tmp_path / "b.parquet"
    duckdb.sql(
        "SELECT CAST(NULL AS VARCHAR) AS Properties, TIMESTAMPTZ '2024-01-02 00:00:00+00' AS TIMESTAMP, "
        "'logout' AS Event, 'U2' AS User_Id, 'A2' AS Account_ID, 'E2' AS Event_ID"
    ).write_parquet(str(other))
    workspace.load("events", [other])
    assert sha256(workspace.path / "lake" / "events" / "part-2-0.parquet") == sha256(other)
    assert rows(workspace, "SELECT event_id, account_id, user_id, event FROM events ORDER BY 1") == [
        ("E1", "A1", "U1", "login"), ("E2", "A2", "U2", "logout"),
    ]
