"""Event timelines for the query tests, written as tuples: (user_id, account_id, event, timestamp)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenure import Workspace
from tests.conftest import put_rows


def put_events(ws: Workspace, timeline: list[tuple[str | None, str, str, str]]) -> None:
    """Load a timeline through the real events loader; timestamps without an offset are workspace time."""
    put_rows(ws, "events", [
        {"event_id": f"e{n}", "user_id": user, "account_id": account, "event": event, "timestamp": at}
        for n, (user, account, event, at) in enumerate(timeline)
    ])


@pytest.fixture
def new_york(workspace_folder: Path):
    """A workspace whose time zone is America/New_York (UTC-5 in January)."""
    config = workspace_folder / "tenure.toml"
    config.write_text(config.read_text().replace('timezone = "UTC"', 'timezone = "America/New_York"', 1))
    reopened = Workspace.open(workspace_folder)
    assert reopened.settings.workspace.timezone == "America/New_York"
    yield reopened
    reopened.close()
