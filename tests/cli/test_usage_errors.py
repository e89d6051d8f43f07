"""A usage error is one line on stderr and exit code 2, whoever finds it: Typer parsing the command line
(unknown option, missing argument, a bad value) or the core checking an argument."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.runner import tenure

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("args, message", [
    (["tasks", "--bogus"], "error: No such option: --bogus; see `tenure tasks --help`"),
    (["notes"], "error: Missing argument 'ACCOUNT_ID'; see `tenure notes --help`"),
    (["task", "done", "x"], "error: Invalid value for 'ID': Input should be a valid integer, unable to parse string "
                            "as an integer; see `tenure task done --help`"),
    (["bogus"], "error: No such command 'bogus'; see `tenure --help`"),
], ids=["unknown option", "missing argument", "bad value", "unknown command"])
def test_a_parse_error_is_one_line_and_exit_2(workspace_folder: Path, args: list[str], message: str):
    run = tenure("-w", workspace_folder, *args)
    assert (run.code, run.stdout, run.stderr) == (2, "", message + "\n")


def test_init_takes_json(tmp_path: Path):
    run = tenure("init", tmp_path / "ws", "--json")
    assert (run.code, run.json()) == (0, {"path": str(tmp_path / "ws"), "config": str(tmp_path / "ws" / "tenure.toml"),
                                          "warehouse": str(tmp_path / "ws" / "warehouse.duckdb")})


def test_help_still_exits_0(workspace_folder: Path):
    run = tenure("tasks", "--help")
    assert run.code == 0 and "--owner" in run.stdout
