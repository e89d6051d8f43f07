"""Stale sources: the newest row of each watched source on or before a day, as a day of the workspace
time zone, and the sources whose newest row is older than [health] stale_after_days."""

from __future__ import annotations

from datetime import date

from tenure import Workspace
from tenure.health.sources import latest_days, missing_sources, stale_sources
from tests.conftest import put_rows
from tests.metrics.rows import sub


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


# -- missing sources: never loaded is unknown, not zero ------------------------------------------------

def only_billing(ws: Workspace) -> Workspace:
    """One account paying 100 a month since January, and nothing else loaded: no events, tickets,
    surveys, messages or milestones."""
    put_rows(ws, "accounts", [{"account_id": "a", "name": "A", "created_at": "2024-01-01 00:00"}])
    put_rows(ws, "subscriptions", [sub("s1", "a", "2024-01-01")])
    ws.refresh()
    return ws


def test_the_optional_sources_without_a_row_are_missing(workspace):
    only_billing(workspace)
    assert missing_sources(workspace.warehouse) == {"events", "tickets", "surveys", "messages", "milestones"}
    put_rows(workspace, "tickets", [ticket("t1", "2024-03-01 12:00")])
    assert "tickets" not in missing_sources(workspace.warehouse)


def test_a_workspace_of_accounts_and_subscriptions_scores_only_revenue_with_low_confidence(workspace):
    only_billing(workspace)
    [row] = workspace.health(date(2024, 6, 30)).to_pylist()
    # Shipped scorecard: only revenue (weight 10 of 100) is known. mrr_trend 0 on red -0.2, green 0.05:
    # 0.2 / 0.25 = 80. Usage, adoption, support, voice and engagement are missing, not 0 or 100.
    assert (row["score"], row["band"], row["confidence"], row["low_confidence"]) == (80.0, "green", 0.1, True)
    why = workspace.health_why("a", date(2024, 6, 30))
    categories = {c["category"]: c["score"] for c in why["categories"]}
    assert categories == {"usage": None, "adoption": None, "support": None, "voice": None, "revenue": 80.0,
                          "engagement": None}


def test_once_a_source_has_rows_an_account_without_any_of_them_scores_as_zero_of_them(workspace):
    only_billing(workspace)
    put_rows(workspace, "tickets", [ticket("t1", "2023-01-01 12:00") | {"account_id": "other"}])
    [row] = workspace.health(date(2024, 6, 30)).to_pylist()
    # Support is known now: no open tickets (100) and no tickets in 30 days (100 on red 6, green 1).
    # (15 x 100 + 10 x 80) / 25 = 92.0; confidence 0.25.
    assert (row["score"], row["confidence"]) == (92.0, 0.25)
