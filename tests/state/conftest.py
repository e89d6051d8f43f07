"""Every state test runs twice: on SQLite and on PostgreSQL.

PostgreSQL is never skipped: if it cannot be reached the tests fail and say how to start it
(`.ci/run` starts it before the suite). The session gets its own database, dropped at the end."""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import Connection, create_engine
from sqlalchemy.exc import DBAPIError, OperationalError

from tenure.state import StateStore

ADMIN_URL = os.environ.get("TENURE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
_SESSION_DATABASE = re.compile(r"^tenure_test_(\d+)_[0-9a-f]+$")
ABANDONED_AFTER_SECONDS = 6 * 3600  # far longer than any test session runs


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """The URL of a fresh PostgreSQL database for this test session."""
    admin = create_engine(_psycopg(ADMIN_URL), isolation_level="AUTOCOMMIT")
    # The creation time in the name lets a later session drop what a killed one left behind.
    name = f"tenure_test_{int(time.time())}_{secrets.token_hex(4)}"
    unreachable = None
    try:
        with admin.connect() as connection:
            _drop_abandoned(connection)
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except OperationalError as error:
        admin.dispose()
        unreachable = str(error.orig).strip()
    if unreachable is not None:  # failed outside the except block, so the report is this message alone
        pytest.fail(
            f"PostgreSQL is not reachable at {ADMIN_URL} ({unreachable}). The state tests run on it "
            "and never skip it: start it with .ci/run, or pg_ctlcluster --skip-systemctl-redirect VERSION main "
            "start, or point TENURE_TEST_POSTGRES_URL at a server.",
            pytrace=False,
        )
    yield ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def state_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty state database on each backend, as a URL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'state.sqlite'}"
    url = request.getfixturevalue("postgres_database")
    # Empty again for every test, as a SQLite test starts from a new file.
    engine = create_engine(_psycopg(url))
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    return url


@pytest.fixture
def store(state_url: str) -> Iterator[StateStore]:
    opened = StateStore.open(state_url)
    yield opened
    opened.close()


def _psycopg(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def _drop_abandoned(connection: Connection) -> None:
    """Drop the databases of sessions that were killed before their teardown (a timeout, Ctrl-C twice)."""
    names = connection.exec_driver_sql("SELECT datname FROM pg_database").scalars().all()
    for name in names:
        found = _SESSION_DATABASE.match(name)
        if found and time.time() - int(found.group(1)) > ABANDONED_AFTER_SECONDS:
            try:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            except DBAPIError:  # someone is still connected to it: not abandoned after all
                pass
