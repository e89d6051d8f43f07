"""`tenure load` and `tenure rejects` through the real entry point."""

from pathlib import Path

import pytest

from tests.cli.runner import tenure

# Each test starts `tenure` in a subprocess (end to end).
pytestmark = pytest.mark.slow


@pytest.fixture
def ws(workspace_folder: Path) -> Path:
    return workspace_folder  # a new workspace, as `tenure init` makes


def test_load_reports_counts_and_rejects_then_lists_them(ws: Path, tmp_path: Path):
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("account_id,created_at\nA1,2024-01-05\nA2,not a date\nA3,2024-02-01T10:00:00Z\n")
    run = tenure("-w", ws, "load", "accounts", accounts, "--json")
    assert run.code == 0, run.stderr
    result = run.json()
    assert (result["rows_read"], result["rows_inserted"], result["rows_rejected"]) == (3, 2, 1)

    listed = tenure("-w", ws, "rejects", "accounts", "--json")
    assert listed.code == 0, listed.stderr
    [reject] = listed.json()
    assert (reject["file"], reject["row"], reject["column"], reject["value"]) == (str(accounts), 2, "created_at", "not a date")
    assert reject["reason"]


def test_the_human_summary_names_the_reason_and_the_rejects_command(ws: Path, tmp_path: Path):
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("account_id,created_at\nA1,2024-01-05\nA2,\n")
    run = tenure("-w", ws, "load", "accounts", accounts)
    assert run.code == 0, run.stderr
    assert "rejected 1" in run.stdout
    assert "tenure rejects accounts" in run.stdout


def test_strict_load_fails_with_exit_5_and_loads_nothing(ws: Path, tmp_path: Path):
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("account_id,created_at\nA1,2024-01-05\nA2,never\n")
    run = tenure("-w", ws, "load", "accounts", accounts, "--strict")
    assert run.code == 5
    assert "--strict" in run.stderr
    status = tenure("-w", ws, "status", "--json").json()
    assert next(t["rows"] for t in status["tables"] if t["table"] == "accounts") == 0


def test_an_unreadable_file_is_one_line_naming_it(ws: Path, tmp_path: Path):
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("id,created\nA1,2024-01-05\n")
    run = tenure("-w", ws, "load", "accounts", accounts)
    assert run.code == 5
    assert str(accounts) in run.stderr
    assert "Traceback" not in run.stderr


def test_an_unknown_table_is_a_usage_error(ws: Path, tmp_path: Path):
    run = tenure("-w", ws, "load", "customers", tmp_path / "x.csv")
    assert run.code == 2
    assert "unknown table 'customers'" in run.stderr


def test_a_reload_and_a_strict_load_say_the_same_four_words(ws: Path, tmp_path: Path):
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("account_id,name,created_at\nA1,Acme,2024-01-05\nA2,Beta,2024-01-05\n")
    assert tenure("-w", ws, "load", "accounts", accounts).code == 0
    accounts.write_text("account_id,name,created_at\nA1,Acme,2024-01-05\nA2,Beta Ltd,2024-01-05\nA3,Gamma,2024-01-05\n")
    run = tenure("-w", ws, "load", "accounts", accounts)
    assert run.code == 0, run.stderr
    assert "accounts: read 3 rows: inserted 1, updated 1, unchanged 1, rejected 0." in run.stdout
    accounts.write_text("account_id,name,created_at\nA1,Acme,2024-01-05\nA4,Delta,never\n")
    strict = tenure("-w", ws, "load", "accounts", accounts, "--strict")
    assert strict.code == 5
    assert "nothing was inserted or updated" in strict.stderr
    assert "accounts: read 2 rows: inserted 0, updated 0, unchanged 1, rejected 1" in strict.stderr


def test_progress_on_a_pipe_is_one_line_per_step_naming_it(ws: Path, tmp_path: Path):
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("account_id,created_at\nA1,2024-01-05\n")
    run = tenure("-w", ws, "load", "accounts", accounts)  # stderr is a pipe, not a terminal
    assert run.code == 0, run.stderr
    assert run.stderr == "load accounts: done\n"
