"""Alembic's entry point for tenure's state migrations.

tenure runs them itself (tenure.state.store.migrate) on a connection it already holds, inside its
transaction. A developer can also run Alembic by hand with `-x url=...` to write a new revision."""

from alembic import context
from sqlalchemy import create_engine

from tenure.state.models import Base

config = context.config
version_table = config.attributes.get("version_table", "tenure_state_version")


def _run(connection) -> None:
    # render_as_batch: SQLite alters a table by copying it, which Alembic does only in batch mode.
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=version_table,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    with create_engine(url).connect() as own:
        _run(own)
