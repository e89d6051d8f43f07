"""`by`: any accounts column, a custom attribute of accounts.attributes, or the plan at the month's end."""

from __future__ import annotations

import pytest

from tenure.errors import UsageError
from tests.conftest import put_rows
from tests.metrics.rows import sub


@pytest.fixture
def accounts(workspace):
    put_rows(workspace, "accounts", [
        {"account_id": "a", "created_at": "2024-01-01", "segment": "SMB", "attributes": '{"employees": 120}'},
        {"account_id": "b", "created_at": "2024-01-01", "segment": "Enterprise", "attributes": '{"country": "DE"}'},
        {"account_id": "c", "created_at": "2024-01-01", "segment": "SMB"},
    ])
    return workspace


def nps(response_id: str, account: str, score: int, day: str) -> dict:
    return {"response_id": response_id, "account_id": account, "kind": "nps", "score": score, "responded_at": day}


def test_by_segment_groups_rows_and_keeps_empty_months(accounts):
    put_rows(accounts, "surveys", [
        nps("r1", "a", 10, "2024-01-05"), nps("r2", "c", 0, "2024-01-06"), nps("r3", "b", 9, "2024-02-01"),
        nps("r4", "unknown", 9, "2024-02-01"),  # no accounts row: "(none)"
    ])
    rows = accounts.surveys("2024-01", "2024-02", by="segment").to_pylist()
    assert list(rows[0])[:2] == ["month", "segment"]
    assert [(r["month"], r["segment"], r["responses"], r["nps"]) for r in rows] == [
        ("2024-01", "(none)", 0, None), ("2024-01", "Enterprise", 0, None), ("2024-01", "SMB", 2, 0.0),
        ("2024-02", "(none)", 1, 100.0), ("2024-02", "Enterprise", 1, 100.0), ("2024-02", "SMB", 0, None),
    ]


def test_by_account_id_a_fact_without_an_accounts_row_is_still_its_own_account(accounts):
    put_rows(accounts, "surveys", [nps("r1", "a", 10, "2024-01-05"), nps("r2", "unknown", 0, "2024-01-06"),
                                   nps("r3", "other", 9, "2024-01-07")])
    rows = accounts.surveys("2024-01", "2024-01", by="account_id").to_pylist()
    assert [(r["account_id"], r["responses"], r["nps"]) for r in rows] == [
        ("a", 1, 100.0), ("other", 1, 100.0), ("unknown", 1, -100.0),
    ]


def test_by_a_custom_attribute(accounts):
    put_rows(accounts, "messages", [
        {"message_id": "m1", "account_id": "a", "sent_at": "2024-01-05", "opened_at": "2024-01-05"},
        {"message_id": "m2", "account_id": "b", "sent_at": "2024-01-05"},
        {"message_id": "m3", "account_id": "c", "sent_at": "2024-01-05"},
    ])
    rows = accounts.engagement("2024-01", "2024-01", by="employees").to_pylist()
    assert [(r["employees"], r["messages"], r["open_rate"]) for r in rows] == [("(none)", 2, 0.0), ("120", 1, 1.0)]


def test_by_plan_takes_the_highest_mrr_row_active_at_the_month_end(accounts):
    put_rows(accounts, "subscriptions", [
        {**sub("s1", "a", "2024-01-01", "2024-02-15", amount="50"), "plan": "basic"},
        {**sub("s2", "a", "2024-01-10", "2024-02-01", amount="90"), "plan": "addon"},  # ends at January's end
        {**sub("s3", "a", "2024-02-15", amount="300"), "plan": "pro"},
    ])
    put_rows(accounts, "surveys", [nps("r1", "a", 10, "2024-01-20"), nps("r2", "a", 0, "2024-02-03"),
                                   nps("r3", "b", 9, "2024-02-03")])
    rows = accounts.surveys("2024-01", "2024-02", by="plan").to_pylist()
    assert [(r["month"], r["plan"], r["responses"]) for r in rows if r["responses"]] == [
        ("2024-01", "addon", 1), ("2024-02", "(none)", 1), ("2024-02", "pro", 1),
    ]


def test_an_unknown_attribute_is_a_usage_error_naming_what_exists(accounts):
    with pytest.raises(UsageError, match="employes.*attributes: country, employees"):
        accounts.support_expr("2024-01", "2024-01", by="employes")


def test_a_breakdown_may_not_shadow_a_figure(accounts):
    with pytest.raises(UsageError, match="tickets"):
        accounts.support_expr("2024-01", "2024-01", by="tickets")
