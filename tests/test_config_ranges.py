"""tenure.toml values that read well and would fail later: too large, or a file that is not what the
setting says. Each is a problem at load, with its line, like every other (test_config.py)."""

from pathlib import Path

import pytest

from tenure import Workspace
from tenure.config import read_settings
from tenure.errors import ConfigError, WorkspaceError

RULE = '''
[[playbooks.rules]]
name = "big"
when = "{when}"
cooldown_days = {cooldown}

[[playbooks.rules.actions]]
type = "task"
title = "call {{name}}"
due_in_days = {due}
'''


def _problems(tmp_path: Path, text: str) -> list[tuple[int | None, str]]:
    path = tmp_path / "tenure.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        read_settings(path)
    return [(p.line, p.message) for p in caught.value.problems]


def test_a_45_digit_number_in_a_condition_is_a_problem_on_its_line(tmp_path: Path):
    found = _problems(tmp_path, RULE.format(when="mrr > " + "9" * 45, cooldown=30, due=7))
    assert len(found) == 1 and found[0][0] == 4
    assert "the number 999999999999999999999999999999 at column 7 is too large (at most 1e+18)" in found[0][1]


@pytest.mark.parametrize(("field", "line"), [("cooldown", 5), ("due", 10)])
def test_ten_trillion_days_is_a_problem_on_its_line(tmp_path: Path, field: str, line: int):
    values = {"when": "mrr > 0", "cooldown": 30, "due": 7, field: 10**13}
    [(found_line, message)] = _problems(tmp_path, RULE.format(**values))
    assert found_line == line
    assert "less than or equal to 36500" in message and "10000000000000" in message


def test_a_century_of_days_is_still_allowed(tmp_path: Path):
    path = tmp_path / "tenure.toml"
    path.write_text(RULE.format(when="mrr > 0", cooldown=36_500, due=36_500))
    assert read_settings(path).playbooks.rules[0].cooldown_days == 36_500


def test_a_state_url_naming_a_text_file_is_a_problem_on_its_line(tmp_path: Path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n")
    assert _problems(tmp_path, f'[workspace]\nname = "x"\n[state]\nurl = "sqlite:///{notes}"\n') == [
        (4, f"state.url: {notes} is not a SQLite database file")
    ]


def test_a_warehouse_path_naming_a_text_file_is_a_problem_on_its_line(tmp_path: Path):
    (tmp_path / "readme.txt").write_text("hello\n" * 10)
    assert _problems(tmp_path, '[warehouse]\npath = "readme.txt"\n') == [
        (2, "warehouse.path: readme.txt is not a DuckDB database file")
    ]


def test_a_missing_warehouse_is_named_when_a_command_only_reads(workspace_folder: Path):
    config = workspace_folder / "tenure.toml"
    config.write_text(config.read_text().replace('path = "warehouse.duckdb"', 'path = "typo.duckdb"'))
    ws = Workspace.open(workspace_folder, read_only=True)  # the warehouse is opened on first use
    with pytest.raises(WorkspaceError, match=r"no warehouse at .*typo.duckdb: check \[warehouse\] path"):
        ws.warehouse
    assert not (workspace_folder / "typo.duckdb").exists()


def test_a_state_database_that_is_not_one_is_a_workspace_error(workspace_folder: Path, monkeypatch):
    # Given by the environment, which is read when the state is first used, not with tenure.toml.
    junk = workspace_folder / "junk.sqlite"
    junk.write_text("x" * 200)
    monkeypatch.setenv("TENURE_STATE_URL", f"sqlite:///{junk}")
    with Workspace.open(workspace_folder) as ws, pytest.raises(WorkspaceError, match="cannot open the state database .*file is not a database"):
        ws.state()
