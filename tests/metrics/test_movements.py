"""The movement ledger: one classified movement per change of an account's MRR."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal as D

from tests.conftest import put_rows
from tests.metrics.rows import sub


def ledger(ws, account=None) -> list[tuple]:
    return [
        (m["account_id"], m["month"], m["kind"], m["before_mrr"], m["after_mrr"], m["amount"])
        for m in ws.movements(account).to_pylist()
    ]


def test_the_ledger_has_the_documented_columns(workspace):
    put_rows(workspace, "subscriptions", [sub("s1", "a", "2024-01-15", amount="100")])
    assert workspace.movements().to_pylist() == [{
        "account_id": "a",
        "at": datetime(2024, 1, 15, tzinfo=timezone.utc),
        "month": "2024-01",
        "month_index": 2024 * 12,
        "kind": "new",
        "before_mrr": D("0"),
        "after_mrr": D("100"),
        "amount": D("100"),
    }]


def test_a_plan_switch_at_one_instant_is_one_expansion(workspace):
    put_rows(workspace, "subscriptions", [
        sub("s1", "a", "2024-01-01", "2024-03-01", amount="100"),
        sub("s1", "a", "2024-03-01", amount="150"),
    ])
    assert ledger(workspace) == [
        ("a", "2024-01", "new", D("0"), D("100"), D("100")),
        ("a", "2024-03", "expansion", D("100"), D("150"), D("50")),
    ]


def test_a_downgrade_at_one_instant_is_one_contraction(workspace):
    put_rows(workspace, "subscriptions", [
        sub("s1", "a", "2024-01-01", "2024-03-01", amount="100"),
        sub("s2", "a", "2024-03-01", amount="1080", interval=12),
    ])
    assert ledger(workspace)[1:] == [("a", "2024-03", "contraction", D("100"), D("90"), D("10"))]


def test_switching_to_a_plan_of_the_same_monthly_price_is_no_movement(workspace):
    put_rows(workspace, "subscriptions", [
        sub("s1", "a", "2024-01-01", "2024-03-01", amount="100"),
        sub("s1", "a", "2024-03-01", amount="1200", interval=12),
    ])
    assert ledger(workspace) == [("a", "2024-01", "new", D("0"), D("100"), D("100"))]


def test_a_second_subscription_is_an_expansion(workspace):
    put_rows(workspace, "subscriptions", [
        sub("s1", "a", "2024-01-01", amount="100"),
        sub("s2", "a", "2024-02-10", amount="40"),
    ])
    assert ledger(workspace)[1:] == [("a", "2024-02", "expansion", D("100"), D("140"), D("40"))]


def test_cancelling_one_of_two_subscriptions_is_a_contraction(workspace):
    put_rows(workspace, "subscriptions", [
        sub("s1", "a", "2024-01-01", amount="100"),
        sub("s2", "a", "2024-01-01", "2024-04-01", amount="40"),
    ])
    assert ledger(workspace) == [
        ("a", "2024-01", "new", D("0"), D("140"), D("140")),
        ("a", "2024-04", "contraction", D("140"), D("100"), D("40")),
    ]


def test_cancelling_the_last_subscription_is_churn_of_its_value(workspace):
    put_rows(workspace, "subscriptions", [
        sub("s1", "a", "2024-01-01", "2024-04-01", amount="100"),
        sub("s2", "a", "2024-02-01", "2024-05-01", amount="40"),
    ])
    assert ledger(workspace)[-1] == ("a", "2024-05", "churn", D("40"), D("0"), D("40"))


def test_downgrading_to_a_free_plan_is_churn(workspace):
    put_rows(workspace, "subscriptions", [
        sub("s1", "a", "2024-01-01", "2024-03-01", amount="100"),
        sub("s1", "a", "2024-03-01", amount="0"),
    ])
    assert ledger(workspace)[-1] == ("a", "2024-03", "churn", D("100"), D("0"), D("100"))


def test_a_win_back_is_a_reactivation_however_long_after(workspace):
    put_rows(workspace, "subscriptions", [
        sub("s1", "a", "2020-01-01", "2020-02-01", amount="100"),
        sub("s2", "a", "2024-06-01", amount="70"),
    ])
    assert ledger(workspace) == [
        ("a", "2020-01", "new", D("0"), D("100"), D("100")),
        ("a", "2020-02", "churn", D("100"), D("0"), D("100")),
        ("a", "2024-06", "reactivation", D("0"), D("70"), D("70")),
    ]


def test_a_trial_then_a_paid_plan_is_new_at_the_paid_start(workspace):
    put_rows(workspace, "subscriptions", [
        sub("s1", "a", "2024-01-01", "2024-01-15", amount="100", trial=True),
        sub("s1", "a", "2024-01-15", amount="100"),
    ])
    moves = workspace.movements().to_pylist()
    assert [(m["kind"], m["at"], m["amount"]) for m in moves] == [
        ("new", datetime(2024, 1, 15, tzinfo=timezone.utc), D("100"))
    ]


def test_a_trial_that_ends_without_paying_is_no_movement(workspace):
    put_rows(workspace, "subscriptions", [sub("s1", "a", "2024-01-01", "2024-01-15", amount="100", trial=True)])
    assert ledger(workspace) == []


def test_movements_of_one_account(workspace):
    # An account named must be known (services.accounts.require_known); put_rows skips the loader's check.
    put_rows(workspace, "accounts", [{"account_id": a, "name": a, "created_at": "2023-12-01 00:00:00"} for a in "ab"])
    put_rows(workspace, "subscriptions", [
        sub("s1", "a", "2024-01-01", amount="100"),
        sub("s2", "b", "2024-01-01", amount="50"),
    ])
    assert ledger(workspace, "b") == [("b", "2024-01", "new", D("0"), D("50"), D("50"))]


def test_movements_are_ordered_by_account_then_instant(workspace):
    put_rows(workspace, "subscriptions", [
        sub("s1", "b", "2024-03-01", amount="10"),
        sub("s2", "a", "2024-05-01", amount="10"),
        sub("s3", "b", "2024-01-01", "2024-02-01", amount="10"),
    ])
    assert [(m[0], m[1]) for m in ledger(workspace)] == [
        ("a", "2024-05"), ("b", "2024-01"), ("b", "2024-02"), ("b", "2024-03"),
    ]
