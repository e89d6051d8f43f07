"""`tenure init`, finding the workspace, and errors as one line with an exit code."""

import os
from pathlib import Path

import pytest

from tests.cli.runner import tenure

# Each test starts `tenure` in a subprocess (end to end).
pytestmark = pytest.mark.slow


def test_init_creates_config_and_warehouse(tmp_path: Path):
    run = tenure("init", tmp_path / "ws", fresh=True)  # `python -m tenure` itself, in a new interpreter
    assert run.code == 0, run.stderr
    assert (tmp_path / "ws" / "tenure.toml").is_file()
    assert (tmp_path / "ws" / "warehouse.duckdb").is_file()


def test_init_refuses_to_overwrite_without_force(tmp_path: Path):
    tenure("init", tmp_path)
    run = tenure("init", tmp_path)
    assert run.code == 3
    assert "already a workspace" in run.stderr
    assert "Traceback" not in run.stderr


def test_workspace_is_found_from_the_environment_variable(tmp_path: Path):
    tenure("init", tmp_path / "ws")
    env = {**os.environ, "TENURE_WORKSPACE": str(tmp_path / "ws")}
    run = tenure("status", "--json", cwd=tmp_path, env=env)
    assert run.code == 0, run.stderr
    assert run.json()["path"] == str(tmp_path / "ws")


def test_workspace_option_wins_over_the_environment(tmp_path: Path):
    tenure("init", tmp_path / "a")
    env = {**os.environ, "TENURE_WORKSPACE": str(tmp_path / "missing")}
    run = tenure("-w", tmp_path / "a", "status", "--json", env=env)
    assert run.code == 0, run.stderr


def test_the_current_folder_is_the_last_resort(tmp_path: Path):
    tenure("init", tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "TENURE_WORKSPACE"}
    run = tenure("status", "--json", cwd=tmp_path, env=env)
    assert run.code == 0, run.stderr


def test_no_workspace_is_one_line_and_exit_3(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k != "TENURE_WORKSPACE"}
    run = tenure("status", cwd=tmp_path, env=env)
    assert run.code == 3
    assert "is not a tenure workspace" in run.stderr
    assert "Traceback" not in run.stderr


def test_invalid_config_lists_every_problem_and_exits_4(tmp_path: Path):
    tenure("init", tmp_path)
    config = tmp_path / "tenure.toml"
    config.write_text(config.read_text().replace('currency = "USD"', 'currency = "usd"').replace("gross_margin = 1.0", "gross_margin = 2"))
    run = tenure("-w", tmp_path, "status")
    assert run.code == 4
    assert "2 problems" in run.stderr
    assert "tenure.toml:" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_bad_month_is_a_usage_error(tmp_path: Path):
    tenure("init", tmp_path)
    run = tenure("-w", tmp_path, "metrics", "revenue", "--from", "2024-13")
    assert run.code == 2
    assert "'2024-13' is not a month" in run.stderr


def test_a_workspace_held_by_another_process_is_one_line_and_exit_3(tmp_path: Path):
    import os

    from tenure import Workspace

    tenure("init", tmp_path)
    with Workspace.open(tmp_path) as ws:
        ws.warehouse  # this process holds the write lock
        run = tenure("-w", tmp_path, "status")
    assert run.code == 3
    assert "is in use by `" in run.stderr and f"(pid {os.getpid()}, writing since " in run.stderr
    assert len(run.stderr.splitlines()) == 1


def test_version_prints_the_version_in_pyproject(tmp_path: Path):
    import tomllib

    pyproject = Path(__file__).parents[2] / "pyproject.toml"
    expected = tomllib.loads(pyproject.read_text())["project"]["version"]
    run = tenure("--version", cwd=tmp_path)  # no workspace needed
    assert run.code == 0, run.stderr
    assert run.stdout == f"tenure {expected}\n"
