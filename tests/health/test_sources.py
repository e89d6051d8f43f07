"""Stale sources: the newest row of each watched source on or before a day, as a day of the workspace
time zone, and the sources whose newest row is older than [health] stale_after_days."""

from __future__ import annotations

from datetime import date

from tenure import Workspace
from tenure.health.sources import latest_days, stale_sources
from tests.conftest import put_rows


def in_new_york(ws: Workspace) -> Workspace:
    config = ws.path / "tenure.toml"
    config.write_text(config.read_text().replace('timezone = "UTC"', 'timezone = "America/New_York"'))
    ws.close()
    return Workspace.open(ws.path)


def ticket(ticket_id: str, created_at: str) -> dict:
    return {"ticket_id": ticket_id, "account_id": "a", "created_at": created_at, "status": "open"}


def test_the_newest_row_is_a_day_of_the_workspace_time_zone(workspace):
    ws = in_new_york(workspace)
    try:
        # 23:30 in New York on 1 March is 04:30 UTC on 2 March; the next one is after 2 March ends.
        put_rows(ws, "tickets", [ticket("t1", "2024-03-01 23:30"), ticket("t2", "2024-03-03 00:30")])
        ws.refresh()
        assert latest_days(ws.warehouse, date(2024, 3, 2))["tickets"] == date(2024, 3, 1)
        assert latest_days(ws.warehouse, date(2024, 3, 3))["tickets"] == date(2024, 3, 3)
        assert latest_days(ws.warehouse, date(2024, 2, 29))["tickets"] is None
    finally:
        ws.close()


def test_a_source_is_stale_once_its_newest_row_is_older_than_stale_after_days(workspace):
    put_rows(workspace, "tickets", [ticket("t1", "2024-03-01 12:00")])
    workspace.refresh()
    after = workspace.settings.health.stale_after_days
    fresh, stale = date(2024, 3, 1 + after), date(2024, 3, 2 + after)
    assert "tickets" not in stale_sources(workspace.warehouse, fresh, workspace.settings.health)
    assert "tickets" in stale_sources(workspace.warehouse, stale, workspace.settings.health)


def test_a_source_without_rows_is_not_stale(workspace):
    workspace.refresh()
    assert stale_sources(workspace.warehouse, date(2024, 3, 1), workspace.settings.health) == set()
