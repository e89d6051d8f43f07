"""A small signals table in DuckDB, a SQLite state store, and the real local servers."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Iterator

import ibis
import pyarrow as pa
import pytest

from tenure.config.playbooks import PlaybooksSettings
from tenure.state import StateStore
from tenure.state.models import Base, Delivery, PlaybookRun, Task
from tests.playbooks.servers import SmtpServer, WebhookReceiver

SECRET = "s3cret-for-tests"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)

# Three accounts; `band` stands for a column another layer (health) adds to the table.
ROWS = {
    "account_id": ["acc_1", "acc_2", "acc_3"],
    "name": ["Acme", "Globex", "Initech"],
    "owner": ["ana@example.com", "bo@example.com", None],
    "mrr": [Decimal("1200.00"), Decimal("80.50"), Decimal("0.00")],
    "nps": [-20.0, None, 50.0],
    "days_to_renewal": [30, 200, 45],
    "band": ["red", "green", "red"],
}


@pytest.fixture
def signals() -> ibis.Table:
    con = ibis.duckdb.connect()
    schema = pa.schema([("account_id", pa.string()), ("name", pa.string()), ("owner", pa.string()),
                        ("mrr", pa.decimal128(18, 2)), ("nps", pa.float64()), ("days_to_renewal", pa.int64()),
                        ("band", pa.string())])
    return con.create_table("signals", pa.table(ROWS, schema=schema))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[StateStore]:
    opened = StateStore.open(f"sqlite:///{tmp_path / 'state.sqlite'}")
    yield opened
    opened.close()


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver(SECRET)
    yield server
    server.close()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    yield server
    server.close()


@pytest.fixture
def secret(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("TEST_WEBHOOK_SECRET", SECRET)
    return SECRET


def settings(*rules: dict, smtp_port: int | None = None, **extra) -> PlaybooksSettings:
    """Playbooks as tenure.toml would give them; a tiny retry delay keeps retries fast."""
    data = {"retry_base_seconds": 0.01, "rules": list(rules), **extra}
    if smtp_port is not None:
        data["smtp"] = {"host": "127.0.0.1", "port": smtp_port, "sender": "tenure@example.com", "starttls": False,
                        "timeout_seconds": 5}
    return PlaybooksSettings.model_validate(data)


def rows(store: StateStore, model: type[Base]) -> list[dict]:
    with store.session() as session:
        return [row.as_dict() for row in session.query(model).order_by(model.id)]


def counts(store: StateStore) -> dict[str, int]:
    return {model.__tablename__: len(rows(store, model)) for model in (Task, PlaybookRun, Delivery)}
