"""Where the state lives: the [state] url, $TENURE_STATE_URL, and the SQLite file in the workspace."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenure import Workspace
from tenure.config import read_settings
from tenure.errors import ConfigError, WorkspaceError
from tenure.state import StateStore, resolve_url
from tests.conftest import put_rows


def test_the_default_is_a_sqlite_file_in_the_workspace(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("TENURE_STATE_URL", raising=False)
    assert resolve_url("", tmp_path) == f"sqlite:///{tmp_path.resolve()}/tenure-state.sqlite"


def test_the_setting_is_used_when_present(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("TENURE_STATE_URL", raising=False)
    assert resolve_url("postgresql://db/tenure", tmp_path) == "postgresql://db/tenure"


def test_the_environment_variable_overrides_the_setting(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("TENURE_STATE_URL", "postgresql://other/tenure")
    assert resolve_url("postgresql://db/tenure", tmp_path) == "postgresql://other/tenure"


def test_an_unreachable_postgresql_is_one_error_naming_it_without_the_password():
    # Port 1 on the loopback: nothing listens, so the connection is refused at once.
    shown = r"postgresql\+psycopg://tenure:\*\*\*@127.0.0.1:1/tenure"
    with pytest.raises(WorkspaceError, match=rf"^cannot open the state database {shown}: "):
        StateStore.open("postgresql://tenure:secret@127.0.0.1:1/tenure")


def test_an_unsupported_database_is_a_configuration_error(monkeypatch):
    monkeypatch.delenv("TENURE_STATE_URL", raising=False)
    with pytest.raises(ConfigError, match="'mysql' databases are not supported"):
        StateStore.open("mysql://db/tenure")


def test_the_settings_refuse_a_url_that_is_not_sqlite_or_postgresql(tmp_path: Path):
    path = tmp_path / "tenure.toml"
    path.write_text('[state]\nurl = "mysql://db/tenure"\n')
    with pytest.raises(ConfigError) as caught:
        read_settings(path)
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (2, "state.url: 'mysql://db/tenure' is not a sqlite:///FILE or postgresql:// URL (or empty for the default) "
            "(got 'mysql://db/tenure')")
    ]


def test_a_workspace_keeps_its_tasks_in_its_own_sqlite_file(workspace: Workspace, monkeypatch):
    monkeypatch.delenv("TENURE_STATE_URL", raising=False)
    put_rows(workspace, "accounts", [{"account_id": "acc_1", "name": "Acme", "created_at": "2024-01-01 00:00:00"}])
    workspace.add_task("acc_1", "Call", due_on="2099-12-01")
    assert [(t.title, str(t.due_on)) for t in workspace.tasks()] == [("Call", "2099-12-01")]
    assert (workspace.path / "tenure-state.sqlite").is_file()
