"""`tenure tasks`, `tenure task add|done`, `tenure note`, `tenure notes`: the real entry point, in a subprocess."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tenure import Workspace
from tests.cli.runner import tenure
from tests.conftest import put_rows

# Each test starts `tenure` in a subprocess (end to end).
pytestmark = pytest.mark.slow


@pytest.fixture
def folder(workspace_folder: Path) -> Path:
    """A workspace holding one account, acc_1: tasks and notes are on known accounts only."""
    with Workspace.open(workspace_folder) as ws:
        put_rows(ws, "accounts", [{"account_id": "acc_1", "name": "Acme", "created_at": "2024-01-01 00:00:00"}])
    return workspace_folder


def _env(state_url: str) -> dict[str, str]:
    return {**os.environ, "TENURE_STATE_URL": state_url}


def _without_state_url() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "TENURE_STATE_URL"}


def test_a_task_is_added_listed_and_done(folder: Path, state_url: str):
    env = _env(state_url)
    added = tenure("-w", folder, "task", "add", "acc_1", "Call about the renewal", "--owner", "ana",
                   "--due", "2099-12-01", "--priority", "high", "--json", env=env)
    assert added.code == 0, added.stderr
    listed = tenure("-w", folder, "tasks", "--owner", "ana", "--json", env=env)
    assert [(t["id"], t["account_id"], t["title"], t["due_on"], t["priority"], t["status"]) for t in listed.json()] == [
        (1, "acc_1", "Call about the renewal", "2099-12-01", "high", "open")
    ]
    done = tenure("-w", folder, "task", "done", "1", env=env)
    assert (done.code, done.stdout) == (0, "Task 1 done: Call about the renewal\n")
    assert tenure("-w", folder, "tasks", "--json", env=env).json() == []


def test_notes_are_added_and_listed(folder: Path):
    env = _without_state_url()
    added = tenure("-w", folder, "note", "acc_1", "Champion left; renewal at risk", "--author", "ana", env=env)
    assert (added.code, added.stdout) == (0, "Added note 1 on acc_1.\n")
    listed = tenure("-w", folder, "notes", "acc_1", "--json", env=env)
    assert [(n["id"], n["author"], n["body"]) for n in listed.json()] == [(1, "ana", "Champion left; renewal at risk")]


def test_the_default_state_is_a_file_in_the_workspace(folder: Path):
    run = tenure("-w", folder, "task", "add", "acc_1", "Call", env=_without_state_url())
    assert (run.code, run.stdout) == (0, "Added task 1 on acc_1: Call\n")
    assert (folder / "tenure-state.sqlite").is_file()


def test_the_task_table_shows_a_title_as_written(folder: Path):
    # Square brackets are Rich markup; a title must not be read as markup and lose them.
    env = _without_state_url()
    tenure("-w", folder, "task", "add", "acc_1", "[urgent] call", "--owner", "ana", env=env)
    run = tenure("-w", folder, "tasks", env=env)
    row = next(line for line in run.stdout.splitlines() if "acc_1" in line)
    cells = [cell.strip() for cell in row.strip("│ ").split("│")]
    assert cells == ["1", "acc_1", "[urgent] call", "ana", "normal", "–", "", "open", "–"]


def test_done_on_an_unknown_task_is_one_line_and_exit_2(folder: Path):
    run = tenure("-w", folder, "task", "done", "7", env=_without_state_url())
    assert run.code == 2
    assert run.stderr == "error: no task 7; `tenure tasks --status all` lists them\n"


def test_a_task_on_an_unknown_account_is_one_line_and_exit_2(folder: Path):
    run = tenure("-w", folder, "task", "add", "acc_999999", "Call", env=_without_state_url())
    assert (run.code, run.stderr) == (2, "error: unknown account 'acc_999999'; `tenure accounts` lists them\n")
    assert not (folder / "tenure-state.sqlite").exists() or tenure("-w", folder, "tasks", "--json",
                                                                    env=_without_state_url()).json() == []


def test_a_past_due_day_is_refused_naming_the_flag(folder: Path):
    run = tenure("-w", folder, "task", "add", "acc_1", "Call", "--due", "2020-01-31", env=_without_state_url())
    assert run.code == 2
    assert run.stderr.startswith("error: --due 2020-01-31 is in the past (today is ")


def test_an_open_task_past_its_due_day_is_marked_overdue(folder: Path):
    # A task falls overdue as days pass; written straight to the state, as an old task would be.
    from datetime import date

    from tenure.state import StateStore, resolve_url
    from tenure.state.tasks import create_task

    store = StateStore.open(resolve_url("", folder))
    with store.session() as session:
        create_task(session, account_id="acc_1", title="Late", due_on=date(2020, 1, 31))
        create_task(session, account_id="acc_1", title="Later", due_on=date(2099, 1, 31))
    store.close()
    listed = tenure("-w", folder, "tasks", "--json", env=_without_state_url()).json()
    assert [(t["title"], t["overdue"]) for t in listed] == [("Late", True), ("Later", False)]
    table = tenure("-w", folder, "tasks", env=_without_state_url()).stdout
    late = next(line for line in table.splitlines() if "Late " in line)
    assert [cell.strip() for cell in late.strip("│ ").split("│")][5:7] == ["2020-01-31", "overdue"]
