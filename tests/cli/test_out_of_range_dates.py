"""Dates no Python value can hold (before year 1, after 9999) stored in a workspace: loaded before the
loader rejected them, or written by other means. Every command that would convert one says which table,
column and row hold it, with the exit code of a data error (6), instead of an OverflowError."""

from pathlib import Path

import pytest

from tenure import Workspace
from tests.cli.inprocess import tenure_in_process
from tests.conftest import copy_workspace, put_rows

MESSAGE = (
    "error: the workspace holds dates outside the years 1..9999, which tenure cannot compute with "
    "(accounts.created_at: 1 value(s), e.g. A: 0044-03-15 (BC) 00:00:00+00; "
    "subscriptions.start_date: 2 value(s), e.g. s1: 0044-03-15 (BC) 00:00:00+00); "
    "correct those rows in the source and load them again"
)


@pytest.fixture(scope="module")
def template(tmp_path_factory, workspace_template) -> Path:
    """Refreshed while its dates were plausible; then A is said to be created in 44 BC, and two
    subscriptions start in 44 BC and in 12025."""
    folder = copy_workspace(workspace_template, tmp_path_factory.mktemp("dates") / "ws")
    config = folder / "tenure.toml"
    config.write_text(config.read_text().replace("history_days = 90", "history_days = 0").replace("history_days = 365", "history_days = 1"))
    with Workspace.open(folder) as opened:
        put_rows(opened, "accounts", [{"account_id": "A", "name": "Acme", "created_at": "2024-01-01"},
                                      {"account_id": "B", "name": "Beta", "created_at": "2024-02-01"}])
        opened.refresh(health=True)
        opened.warehouse.raw.execute("UPDATE accounts SET created_at = '0044-03-15 (BC)' WHERE account_id = 'A'")
        put_rows(opened, "subscriptions", [
            {"subscription_id": "s1", "account_id": "A", "start_date": "0044-03-15 (BC)", "amount": "10",
             "currency": "USD", "interval_months": 1},
            {"subscription_id": "s2", "account_id": "B", "start_date": "12025-01-01", "amount": "10",
             "currency": "USD", "interval_months": 1},
        ])
    return folder


@pytest.fixture
def ws(template: Path, tmp_path: Path) -> Path:
    return copy_workspace(template, tmp_path / "ws")


@pytest.mark.parametrize("command", [("account", "A"), ("movements",), ("movements", "--json"), ("refresh",), ("accounts", "--json")])
def test_command_names_the_dates_out_of_range(ws: Path, command: tuple[str, ...]):
    run = tenure_in_process("-w", ws, *command)
    assert run.escaped is None
    assert run.code == 6
    # `refresh` reports its progress on stderr before it fails.
    assert run.stderr.strip().splitlines()[-1] == MESSAGE
    assert "Traceback" not in run.stderr


def test_a_workspace_without_them_is_not_blamed(ws: Path):
    with Workspace.open(ws) as opened:
        opened.warehouse.raw.execute("DELETE FROM subscriptions")
        opened.warehouse.raw.execute("UPDATE accounts SET created_at = '2024-01-01' WHERE account_id = 'A'")
    run = tenure_in_process("-w", ws, "accounts", "--json")
    assert (run.code, run.escaped) == (0, None)
    assert [row["account_id"] for row in run.json()] == ["A", "B"]
