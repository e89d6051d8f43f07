"""Email and in-app engagement: messages sent, open and click rates by month and per account."""

from __future__ import annotations

from datetime import date

from tests.conftest import put_rows


def message(message_id: str, sent: str, *, opened: str | None = None, clicked: str | None = None,
            account: str = "a") -> dict:
    return {"message_id": message_id, "account_id": account, "sent_at": sent, "opened_at": opened, "clicked_at": clicked}


def test_open_and_click_rates_by_sent_month(workspace):
    put_rows(workspace, "messages", [
        message("m1", "2024-01-30", opened="2024-02-01", clicked="2024-02-01"),  # counts in January
        message("m2", "2024-01-10", opened="2024-01-11"),
        message("m3", "2024-01-10", clicked="2024-01-11"),  # a click without a tracked open is an open
        message("m4", "2024-01-10"),
    ])
    rows = workspace.engagement("2024-01", "2024-02").to_pylist()
    assert rows == [
        {"month": "2024-01", "messages": 4, "opened": 3, "clicked": 2, "open_rate": 0.75, "click_rate": 0.5},
        {"month": "2024-02", "messages": 0, "opened": 0, "clicked": 0, "open_rate": None, "click_rate": None},
    ]


def test_account_engagement_covers_the_30_days_ending_as_of(workspace):
    put_rows(workspace, "messages", [
        message("old", "2024-01-01", opened="2024-01-01"),  # 30 days before 2024-01-31: outside
        message("m1", "2024-01-02", opened="2024-01-03"),
        message("m2", "2024-01-31"),
        message("b1", "2024-01-20", clicked="2024-01-20", account="b"),
    ])
    assert workspace.account_engagement(date(2024, 1, 31)).to_pylist() == [
        {"account_id": "a", "messages": 2, "opened": 1, "clicked": 0, "open_rate": 0.5, "click_rate": 0.0},
        {"account_id": "b", "messages": 1, "opened": 1, "clicked": 1, "open_rate": 1.0, "click_rate": 1.0},
    ]
