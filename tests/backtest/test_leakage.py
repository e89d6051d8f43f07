"""The backtest sees nothing dated after a snapshot day: adding such data leaves the snapshot unchanged."""

from __future__ import annotations

from datetime import date

import pytest

from tenure import Workspace
from tenure.backtest import default_score, default_signals, materialise
from tests.conftest import copy_workspace, put_rows

# A demo company built through the loaders (once per session, copied for each test).
pytestmark = pytest.mark.slow
DAY, HORIZON, TODAY = date(2026, 3, 31), 30, date(2026, 6, 30)


@pytest.fixture
def ws(demo_folder, tmp_path):
    """A demo company of this test's own: every test here writes to it."""
    built = demo_folder(accounts=40, months=12, seed=11, end=TODAY)
    workspace = Workspace.open(copy_workspace(built, tmp_path / "demo"))
    yield workspace
    workspace.close()


def snapshot(ws) -> list[dict]:
    table = materialise(ws.warehouse, [DAY], HORIZON, today=TODAY, signals=default_signals(ws.settings),
                        score=default_score(ws.warehouse, ws.settings.health), workspace=ws.settings.workspace)
    return table.order_by("account_id").to_pyarrow().to_pylist()


def add_activity(ws, account: str, day: str) -> None:
    """An event, a ticket, a survey, a milestone and a message of the account on `day`."""
    put_rows(ws, "events", [{"event_id": f"late-{day}", "account_id": account, "event": "password_reset",
                             "timestamp": f"{day} 10:00:00"}])
    ws.refresh()
    put_rows(ws, "tickets", [{"ticket_id": f"late-{day}", "account_id": account, "created_at": f"{day} 09:00:00",
                              "status": "open", "priority": "urgent", "escalated": "true"}])
    put_rows(ws, "surveys", [{"response_id": f"late-{day}", "account_id": account, "kind": "nps", "score": "0",
                              "responded_at": f"{day} 11:00:00"}])
    put_rows(ws, "milestones", [{"account_id": account, "milestone": "late", "achieved_at": f"{day} 12:00:00"}])
    put_rows(ws, "messages", [{"message_id": f"late-{day}", "account_id": account, "campaign": "late",
                               "sent_at": f"{day} 08:00:00"}])


def test_data_dated_after_the_day_leaves_the_snapshot_unchanged(ws):
    before = snapshot(ws)
    account = before[0]["account_id"]
    add_activity(ws, account, "2026-04-01")
    # A subscription change after the window too, so the outcomes cannot move either.
    put_rows(ws, "subscriptions", [{"subscription_id": "late", "account_id": account, "start_date": "2026-05-15",
                                    "end_date": "2026-06-01", "amount": "999", "currency": "USD", "interval_months": 1}])
    assert snapshot(ws) == before


def test_the_same_data_dated_on_the_day_moves_the_snapshot(ws):
    # The control: without it, the test above would also pass if the added rows never reached the signals.
    before = snapshot(ws)
    account = before[0]["account_id"]
    add_activity(ws, account, DAY.isoformat())
    after = snapshot(ws)
    assert (after[0]["tickets_90d"], after[0]["password_resets_7d"]) == (
        before[0]["tickets_90d"] + 1, before[0]["password_resets_7d"] + 1)


def test_a_cancellation_recorded_after_the_day_leaves_the_snapshot_unchanged(ws):
    before = snapshot(ws)
    customers = [row["account_id"] for row in before]
    # An open monthly row of a customer, cancelled with effect after the window: only the row's end_date changes.
    found = ws.warehouse.raw.execute(
        "SELECT subscription_id, start_date FROM subscriptions WHERE end_date IS NULL AND interval_months = 1 "
        "AND amount > 0 AND NOT coalesce(is_trial, false) AND account_id IN (SELECT unnest(?)) "
        "ORDER BY subscription_id LIMIT 1", [customers]).fetchone()
    ws.warehouse.raw.execute("UPDATE subscriptions SET end_date = TIMESTAMP '2026-05-20 00:00:00' "
                             "WHERE subscription_id = ? AND start_date = ?", list(found))
    assert snapshot(ws) == before
