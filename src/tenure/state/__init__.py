"""App state: what people and playbooks do (tasks, notes, playbook runs,
deliveries), kept in SQLAlchemy models with Alembic migrations. SQLite in the workspace by default,
PostgreSQL by URL. Imported only when state is used, so commands that do not need it stay fast."""

from tenure.state.store import StateStore, resolve_url

__all__ = ["StateStore", "resolve_url"]
