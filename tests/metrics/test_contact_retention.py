"""Retention after a support contact: ticket-month cohorts of accounts, still customers and still active
0, 1, 2, 3 and 6 months later.

Every expected value is counted by hand from the timeline written beside it. The workspace time zone is
UTC, and every month of 2024 has ended, so only the test of unfinished months depends on today."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tenure.errors import DataError
from tenure.metrics.contact_retention import COLUMNS
from tests.conftest import put_rows
from tests.metrics.rows import sub


def ticket(ticket_id: str, account: str, created: str) -> dict:
    return {"ticket_id": ticket_id, "account_id": account, "created_at": created, "status": "open"}


def active(account: str, *days: str) -> list[dict]:
    return [{"account_id": account, "user_id": "u", "event": "login", "timestamp": f"{day} 12:00"} for day in days]


def load(ws, *, tickets: list[dict], subscriptions: list[dict] = (), events: list[dict] = ()) -> None:
    put_rows(ws, "tickets", tickets)
    if subscriptions:
        put_rows(ws, "subscriptions", list(subscriptions))
    if events:
        put_rows(ws, "events", [{"event_id": f"e{n}", **row} for n, row in enumerate(events)])
    ws.refresh()


def months(ws, start: str, end: str, **options) -> dict[str, dict]:
    return {row["month"]: row for row in ws.monthly("contact_retention", start, end, **options).to_pylist()}


def figures(row: dict, kind: str) -> list:
    """The counts (kind = customers or active) or rates (customer_rate, active_rate) for k = 0, 1, 2, 3, 6."""
    return [row[f"{kind}_{k}m"] for k in (0, 1, 2, 3, 6)]


def test_rows_have_the_contract_keys(workspace):
    workspace.refresh()
    assert workspace.monthly("contact_retention", "2024-01", "2024-01").schema.names == ["month", *COLUMNS]
    assert COLUMNS[:3] == ("accounts", "customers_0m", "customer_rate_0m")


def test_a_cohort_with_a_churn_after_two_months_and_an_inactive_customer(workspace):
    # a pays from January and cancels on 1 April: a customer at the end of January, February and March.
    # b pays from January on and never uses the product. a is active in January, February, April and July.
    load(
        workspace,
        tickets=[ticket("t1", "a", "2024-01-15 10:00"), ticket("t2", "b", "2024-01-20 10:00")],
        subscriptions=[sub("s1", "a", "2024-01-01", "2024-04-01"), sub("s2", "b", "2024-01-01")],
        events=active("a", "2024-01-10", "2024-02-05", "2024-04-10", "2024-07-01"),
    )
    jan = months(workspace, "2024-01", "2024-01")["2024-01"]
    assert jan["accounts"] == 2
    # end of Jan, Feb, Mar: a and b; end of Apr and Jul: b only
    assert figures(jan, "customers") == [2, 2, 2, 1, 1]
    assert figures(jan, "customer_rate") == [1.0, 1.0, 1.0, 0.5, 0.5]
    # Jan, Feb: a; Mar: nobody; Apr, Jul: a
    assert figures(jan, "active") == [1, 1, 0, 1, 1]
    assert figures(jan, "active_rate") == [0.5, 0.5, 0.0, 0.5, 0.5]


def test_a_customer_is_one_at_the_month_end_so_a_return_counts_again(workspace):
    # a pays in January, lapses in February and March, pays again from 10 April.
    load(
        workspace,
        tickets=[ticket("t1", "a", "2024-01-15 10:00")],
        subscriptions=[sub("s1", "a", "2024-01-01", "2024-02-01"), sub("s2", "a", "2024-04-10")],
    )
    jan = months(workspace, "2024-01", "2024-01")["2024-01"]
    assert figures(jan, "customers") == [1, 0, 0, 1, 1]


def test_the_cohort_holds_accounts_that_do_not_pay_and_a_conversion_counts_after_the_ticket(workspace):
    # a is on a trial through January, opens a ticket, and pays from 1 February.
    load(
        workspace,
        tickets=[ticket("t1", "a", "2024-01-15 10:00")],
        subscriptions=[sub("s1", "a", "2024-01-01", "2024-02-01", trial=True), sub("s2", "a", "2024-02-01")],
    )
    jan = months(workspace, "2024-01", "2024-01")["2024-01"]
    assert jan["accounts"] == 1
    assert figures(jan, "customers") == [0, 1, 1, 1, 1]


def test_an_account_with_tickets_in_two_months_joins_both_cohorts_and_counts_once_in_each(workspace):
    # a: two tickets in January and one in March; b: one in March. b pays from March, a never pays.
    load(
        workspace,
        tickets=[ticket("t1", "a", "2024-01-03 10:00"), ticket("t2", "a", "2024-01-25 10:00"),
                 ticket("t3", "a", "2024-03-08 10:00"), ticket("t4", "b", "2024-03-09 10:00")],
        subscriptions=[sub("s1", "b", "2024-03-01")],
        events=active("a", "2024-04-02"),
    )
    found = months(workspace, "2024-01", "2024-03")
    assert [found[m]["accounts"] for m in ("2024-01", "2024-02", "2024-03")] == [1, 0, 2]
    # April is 3 months after January and 1 month after March: a's one active month counts in both cohorts.
    assert figures(found["2024-01"], "active") == [0, 0, 0, 1, 0]
    assert figures(found["2024-03"], "active") == [0, 1, 0, 0, 0]
    assert figures(found["2024-03"], "customer_rate") == [0.5, 0.5, 0.5, 0.5, 0.5]


def test_a_month_without_tickets_has_no_accounts_zero_counts_and_null_rates(workspace):
    load(workspace, tickets=[ticket("t1", "a", "2024-01-15 10:00"), ticket("t2", "a", "2024-03-15 10:00")])
    feb = months(workspace, "2024-01", "2024-03")["2024-02"]
    assert feb["accounts"] == 0
    assert figures(feb, "customers") == figures(feb, "active") == [0, 0, 0, 0, 0]
    assert figures(feb, "customer_rate") == figures(feb, "active_rate") == [None] * 5


def test_months_that_have_not_ended_are_null_not_zero(workspace):
    now = datetime.now(timezone.utc)
    this_month = now.year * 12 + now.month - 1
    label = lambda index: f"{index // 12:04d}-{index % 12 + 1:02d}"  # noqa: E731
    previous, two_before = label(this_month - 1), label(this_month - 2)
    # a pays from January 2024 on and has a ticket in each of the two months before this one.
    load(
        workspace,
        tickets=[ticket("t1", "a", f"{two_before}-10 10:00"), ticket("t2", "a", f"{previous}-10 10:00")],
        subscriptions=[sub("s1", "a", "2024-01-01")],
    )
    found = months(workspace, two_before, label(this_month))
    # Two months ago: itself and the month after have ended; the current month has not.
    assert figures(found[two_before], "customers") == [1, 1, None, None, None]
    assert figures(found[two_before], "active") == [0, 0, None, None, None]
    assert figures(found[previous], "customer_rate") == [1.0, None, None, None, None]
    this = found[label(this_month)]
    assert this["accounts"] == 0
    assert figures(this, "customers") == figures(this, "active_rate") == [None] * 5


def test_by_splits_the_cohort_by_the_accounts_attribute(workspace):
    put_rows(workspace, "accounts", [
        {"account_id": "a", "created_at": "2024-01-01", "segment": "smb"},
        {"account_id": "b", "created_at": "2024-01-01", "segment": "smb"},
        {"account_id": "c", "created_at": "2024-01-01", "segment": "enterprise"},
    ])
    # a and c pay through February; b and c are active in February.
    load(
        workspace,
        tickets=[ticket("t1", "a", "2024-01-05 10:00"), ticket("t2", "b", "2024-01-06 10:00"),
                 ticket("t3", "c", "2024-01-07 10:00")],
        subscriptions=[sub("s1", "a", "2024-01-01", "2024-03-01"), sub("s2", "c", "2024-01-01", "2024-03-01")],
        events=active("b", "2024-02-01") + active("c", "2024-02-02"),
    )
    rows = workspace.monthly("contact_retention", "2024-01", "2024-01", by="segment").to_pylist()
    assert [(r["month"], r["segment"], r["accounts"], r["customer_rate_1m"], r["active_rate_1m"],
             r["customer_rate_2m"]) for r in rows] == [
        ("2024-01", "enterprise", 1, 1.0, 1.0, 0.0),
        ("2024-01", "smb", 2, 0.5, 0.5, 0.0),
    ]


def test_without_a_refresh_it_asks_for_one(workspace):
    put_rows(workspace, "tickets", [ticket("t1", "a", "2024-01-15 10:00")])
    with pytest.raises(DataError, match="tenure refresh"):
        workspace.monthly("contact_retention", "2024-01", "2024-01")
