"""Opening the state database: resolve its URL, bring its schema to the code's version, hand out sessions.

SQLite (a file in the workspace) is the default; PostgreSQL is chosen by URL. The schema is
migrated by Alembic every time a store is opened, so a workspace made by an older tenure is
upgraded in place and a database made by a newer one is refused rather than misread.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from tenure.errors import ConfigError, Problem, WorkspaceError

ENV_VAR = "TENURE_STATE_URL"
DEFAULT_FILE = "tenure-state.sqlite"
MIGRATIONS = Path(__file__).parent / "migrations"
# Not Alembic's default `alembic_version`: a PostgreSQL database may be shared with another app.
VERSION_TABLE = "tenure_state_version"
# Any fixed number: PostgreSQL advisory locks are keyed by integers.
_MIGRATION_LOCK = 7_362_553


def resolve_url(setting: str, folder: Path) -> str:
    """$TENURE_STATE_URL, else `[state] url`, else the SQLite file in the workspace folder."""
    chosen = os.environ.get(ENV_VAR) or setting
    return chosen or f"sqlite:///{(Path(folder) / DEFAULT_FILE).resolve()}"


def alembic_config(connection: Connection | None = None) -> Config:
    """The migrations' configuration, built in code: there is no alembic.ini to ship or find."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    config.attributes["version_table"] = VERSION_TABLE
    return config


class StateStore:
    """The app state database. `session()` is the unit of work: commit on success, roll back on error."""

    def __init__(self, engine: Engine):
        self.engine = engine
        # Rows stay readable after the commit that ends session(), so callers get plain objects back.
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str) -> "StateStore":
        engine = _engine(url)
        try:
            migrate(engine)
        except DatabaseError as error:  # unreachable, refused, or not a database at all (a text file)
            engine.dispose()
            shown = engine.url.render_as_string(hide_password=True)
            reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
            raise WorkspaceError(f"cannot open the state database {shown}: {reason}") from None
        except BaseException:
            engine.dispose()
            raise
        return cls(engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def _engine(url: str) -> Engine:
    source = ENV_VAR if os.environ.get(ENV_VAR) else "[state] url"
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError([Problem(source, None, f"'{url}' is not a database URL")]) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        unsupported = f"'{parsed.drivername}' databases are not supported; use sqlite:/// or postgresql://"
        raise ConfigError([Problem(source, None, unsupported)])
    if parsed.drivername == "postgresql":
        # `postgresql://` means psycopg 3, the driver tenure installs; SQLAlchemy alone would pick psycopg2.
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True)
    engine = create_engine(parsed, connect_args={"timeout": 30})

    # pysqlite commits before DDL and cannot nest savepoints on its own; SQLAlchemy's documented
    # fix is to take over BEGIN. Migrations then apply whole or not at all, and create_task can
    # catch a duplicate inside a savepoint.
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys = ON")

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        # IMMEDIATE takes the write lock up front: two processes migrating at once queue up
        # instead of both reading an empty schema and failing halfway.
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration; refuse a database that a newer tenure migrated."""
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    with engine.connect().execution_options(sqlite_immediate=True) as connection, connection.begin():
        if connection.dialect.name == "postgresql":
            # Held until commit: concurrent first opens run the migrations once, one after the other.
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
        current = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE}).get_current_heads()
        unknown = [rev for rev in current if not _known(script, rev)]
        if unknown:
            shown = engine.url.render_as_string(hide_password=True)
            raise WorkspaceError(
                f"the state database {shown} is at version {', '.join(unknown)}, newer than this tenure "
                f"(which knows up to {head}); upgrade tenure to use it"
            )
        if tuple(current) != (head,):
            command.upgrade(alembic_config(connection), "head")


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises its own ResolutionError subclasses for an unknown id
        return False
