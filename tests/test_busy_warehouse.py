"""While one process holds the warehouse (a refresh writing it), another is told who holds it, and the
commands on the app state alone (tasks, notes) still work."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tenure import Workspace
from tenure.errors import WorkspaceBusyError
from tenure.warehouse import holders
from tests.cli.runner import tenure
from tests.conftest import put_rows

pytestmark = pytest.mark.slow

# A stand-in for `tenure refresh`: opens the warehouse for writing, says so, and holds it until stdin closes.
HOLD = """
import sys
sys.argv = ["tenure", "refresh"]
from tenure import Workspace
ws = Workspace.open(sys.stdin.readline().strip())
ws.warehouse
print("holding", flush=True)
sys.stdin.read()
ws.close()
"""


@pytest.fixture
def held(workspace_folder: Path):
    with Workspace.open(workspace_folder) as ws:
        put_rows(ws, "accounts", [{"account_id": "acc_1", "name": "Acme", "created_at": "2024-01-01 00:00:00"}])
        ws.add_task("acc_1", "Call")
    holder = subprocess.Popen([sys.executable, "-c", HOLD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    holder.stdin.write(f"{workspace_folder}\n")
    holder.stdin.flush()
    assert holder.stdout.readline() == "holding\n"
    yield workspace_folder, holder.pid
    holder.stdin.close()
    holder.wait(timeout=60)


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "TENURE_STATE_URL"}


def test_a_command_needing_the_warehouse_says_what_holds_it(held):
    folder, pid = held
    run = tenure("-w", folder, "status", env=_env())
    assert run.code == 3
    assert run.stderr.startswith(f"error: {folder / 'warehouse.duckdb'} is in use by `tenure refresh` (pid {pid}, "
                                 "writing since ")
    assert run.stderr.endswith("); try again when it finishes\n")


def test_tasks_and_notes_are_listed_while_the_warehouse_is_held(held):
    folder, _ = held
    listed = tenure("-w", folder, "tasks", "--json", env=_env())
    assert (listed.code, [t["title"] for t in listed.json()]) == (0, ["Call"])
    notes = tenure("-w", folder, "notes", "acc_1", "--json", env=_env())
    assert (notes.code, notes.json()) == (0, [])


def test_adding_a_task_needs_the_account_check_so_it_waits_for_the_holder(held):
    folder, _ = held
    with pytest.raises(WorkspaceBusyError, match="is in use by `tenure refresh`"):
        Workspace.open(folder).add_task("acc_1", "Another")


def test_the_holder_record_goes_when_the_warehouse_closes(workspace_folder: Path):
    ws = Workspace.open(workspace_folder)
    ws.warehouse
    assert [p.name for p in holders.folder(workspace_folder / "warehouse.duckdb").iterdir()] == [f"{os.getpid()}.json"]
    ws.close()
    assert not holders.folder(workspace_folder / "warehouse.duckdb").exists()


def test_a_record_left_by_a_dead_process_is_not_named(tmp_path: Path):
    database = tmp_path / "warehouse.duckdb"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    holders.folder(database).mkdir()
    (holders.folder(database) / f"{dead.pid}.json").write_text(
        f'{{"pid": {dead.pid}, "command": "tenure refresh", "started_at": "2026-01-01T00:00:00", "writing": true}}')
    message = holders.busy_message(database, 'Conflicting lock is held in /usr/bin/python3 (PID 4242).')
    assert message == (f"{database} is in use by another process (pid 4242), such as a notebook with the workspace "
                       "open; close it and try again")
    assert list(holders.folder(database).iterdir()) == []
