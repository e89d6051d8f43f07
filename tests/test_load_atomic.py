"""A load killed with SIGKILL after writing its rows but before committing leaves the workspace as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from tenure import Workspace

# Loads the file, reporting each stage on stderr; once the rows are written (not yet committed) it
# stalls, so that the kill lands at the worst moment rather than at a random one.
LOADER = textwrap.dedent(
    """
    import sys, time
    from tenure import Workspace

    def progress(stage, done, total):
        print(stage, done, total, file=sys.stderr, flush=True)
        if stage == "load events" and done == total - 1:  # the rows written, the commit next
            time.sleep(60)

    with Workspace.open(sys.argv[1]) as ws:
        ws.load("events", [sys.argv[2]], progress=progress)
    """
)


def snapshot(ws: Workspace) -> list[tuple]:
    raw = ws.warehouse.raw
    return [
        *raw.execute("SELECT event_id, account_id, event, CAST(timestamp AS VARCHAR) FROM events ORDER BY event_id").fetchall(),
        *raw.execute("SELECT load_id, \"table\", rows_loaded FROM _loads ORDER BY load_id").fetchall(),
    ]


def kill_while_writing(folder, file, tmp_path) -> None:
    """Load `file` in a child process and kill -9 it once its rows are written but not committed."""
    script = tmp_path / "loader.py"
    script.write_text(LOADER)
    child = subprocess.Popen([sys.executable, str(script), str(folder), str(file)], stderr=subprocess.PIPE, text=True)
    try:
        for line in child.stderr:
            if line.split() == ["load", "events", "3", "4"]:  # one file read, checked, rows written
                break
        else:
            pytest.fail(f"the loader never reached writing (exit code {child.wait()})")
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL


@pytest.mark.slow
def test_kill_9_mid_load_leaves_the_workspace_as_before(workspace, tmp_path):
    small = tmp_path / "small.csv"
    small.write_text("event_id,account_id,event,timestamp\nE1,A1,login,2024-01-01\nE2,A2,login,2024-01-02\n")
    workspace.load("events", [small])
    before = snapshot(workspace)
    folder = workspace.path
    workspace.close()

    big = tmp_path / "big.parquet"
    duckdb.sql(
        "SELECT 'B' || i AS event_id, 'A' || (i % 100) AS account_id, 'login' AS event, "
        "TIMESTAMP '2024-01-01' + to_seconds(i) AS timestamp FROM range(300000) AS t(i)"
    ).write_parquet(str(big))
    kill_while_writing(folder, big, tmp_path)

    with Workspace.open(folder) as ws:
        assert snapshot(ws) == before
        result = ws.load("events", [big])
        assert result.rows_inserted == 300_000
        assert ws.warehouse.raw.execute("SELECT count(*) FROM events").fetchone() == (300_002,)


@pytest.mark.slow
def test_kill_9_while_adopting_leaves_no_referenced_file_and_a_later_load_removes_the_orphans(workspace, tmp_path):
    small = tmp_path / "small.csv"
    small.write_text("event_id,account_id,event,timestamp\nE1,A1,login,2024-01-01\n")
    workspace.load("events", [small])
    before = snapshot(workspace)
    folder = workspace.path
    lake = folder / "lake" / "events"
    files_before = sorted(p.name for p in lake.iterdir())
    workspace.close()

    # Exactly the canonical columns and types: the file is adopted (copied into the lake) and checked.
    big = tmp_path / "big.parquet"
    duckdb.sql(
        "SELECT 'B' || i AS event_id, 'A' || (i % 100) AS account_id, CAST(NULL AS VARCHAR) AS user_id, "
        "'login' AS event, TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(i) AS timestamp, "
        "CAST(NULL AS VARCHAR) AS properties FROM range(300000) AS t(i)"
    ).write_parquet(str(big))
    kill_while_writing(folder, big, tmp_path)
    orphans = sorted(set(p.name for p in lake.iterdir()) - set(files_before))
    assert orphans == ["part-2-0.parquet"]  # written, never committed

    with Workspace.open(folder, read_only=True) as ws:
        assert snapshot(ws) == before
        referenced = [f for (f,) in ws.warehouse.raw.execute("SELECT file FROM _event_files").fetchall()]
        assert not any(f.endswith(orphans[0]) for f in referenced)
    with Workspace.open(folder) as ws:
        ws.warehouse  # connected on first use
        assert sorted(p.name for p in lake.iterdir()) == files_before  # opening for writing removed the orphan
        result = ws.load("events", [big])
        assert result.rows_inserted == 300_000
        assert ws.warehouse.raw.execute("SELECT count(*) FROM events").fetchone() == (300_001,)
        assert ws.warehouse.raw.execute("SELECT count(*) FROM _event_files").fetchone() == (2,)
        assert sorted(p.name for p in lake.iterdir()) == sorted([*files_before, "part-2-0.parquet"])
