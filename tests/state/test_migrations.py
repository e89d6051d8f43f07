"""The schema comes from the migrations, applied when a store is opened, and matches the models."""

from __future__ import annotations

import fnmatch
import threading
import tomllib
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from tenure.errors import WorkspaceError
from tenure.state import StateStore
from tenure.state.models import Base
from tenure.state.store import MIGRATIONS, VERSION_TABLE

ROOT = Path(__file__).parents[2]


def test_opening_an_empty_database_creates_every_table(store: StateStore):
    assert sorted(inspect(store.engine).get_table_names()) == [
        "deliveries", "notes", "playbook_runs", "tasks", "tenure_state_version",
    ]


def test_the_database_records_the_newest_migration(store: StateStore):
    with store.engine.connect() as connection:
        assert connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all() == ["0002"]


def test_the_migrated_schema_matches_the_models(store: StateStore):
    # Alembic's own comparison: a model changed without a migration shows up here as a difference.
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        assert compare_metadata(context, Base.metadata) == []


def test_opening_again_keeps_the_rows(state_url: str):
    first = StateStore.open(state_url)
    with first.session() as session:
        session.execute(text("INSERT INTO notes (account_id, body, created_at) VALUES ('acc_1', 'hi', '2026-01-01')"))
    first.close()
    again = StateStore.open(state_url)
    with again.session() as session:
        assert session.execute(text("SELECT body FROM notes")).scalars().all() == ["hi"]
    again.close()


def test_a_database_migrated_by_a_newer_tenure_is_refused(store: StateStore, state_url: str):
    with store.session() as session:
        session.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = '0999'"))
    store.close()
    with pytest.raises(WorkspaceError, match=r"is at version 0999, newer than this tenure \(which knows up to 0002\)"):
        StateStore.open(state_url)


def test_every_migration_file_ships_as_package_data():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["tenure"]
    package = MIGRATIONS.parents[1]  # src/tenure
    files = [
        p.relative_to(package).as_posix() for p in MIGRATIONS.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    ]
    unshipped = [f for f in files if not any(fnmatch.fnmatch(f, pattern) for pattern in patterns)]
    assert unshipped == []
    assert "state/migrations/versions/0001_initial.py" in files


def test_stores_opened_at_once_on_an_empty_database_migrate_it_once(state_url: str):
    # Commands started together on a new workspace: the migration lock makes them take turns. Without
    # it they deadlock, so the threads are daemons and the test fails after a wait instead of hanging.
    stores: list[StateStore] = []
    def open_one() -> None:
        stores.append(StateStore.open(state_url))

    threads = [threading.Thread(target=open_one, daemon=True) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(stores) == 4
    with stores[0].engine.connect() as connection:
        assert connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all() == ["0002"]
    for opened in stores:
        opened.close()


def test_a_database_at_0001_upgrades_without_the_unused_tables_and_keeps_its_tasks(state_url: str):
    from alembic import command
    from sqlalchemy import create_engine

    from tenure.state.store import alembic_config

    engine = create_engine(state_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        connection.execute(text(
            "INSERT INTO tasks (account_id, title, body, priority, status, created_at, source) "
            "VALUES ('acc_1', 'Call', '', 'normal', 'open', '2026-01-01', 'manual')"
        ))
    engine.dispose()
    upgraded = StateStore.open(state_url)
    assert "users" not in inspect(upgraded.engine).get_table_names()
    assert "survey_sends" not in inspect(upgraded.engine).get_table_names()
    with upgraded.session() as session:
        assert session.execute(text("SELECT title FROM tasks")).scalars().all() == ["Call"]
    upgraded.close()
