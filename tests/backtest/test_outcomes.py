"""Outcomes of a snapshot day: literal subscriptions, hand-worked labels (docs/backtest.md#outcomes)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tenure.backtest import outcomes
from tenure.errors import UsageError
from tests.conftest import put_rows
from tests.metrics.rows import sub

DAY = date(2024, 2, 29)
TODAY = date(2024, 12, 31)


@pytest.fixture
def labelled(workspace):
    """The window is (29 Feb, 30 Mar] with a 30-day horizon."""
    put_rows(workspace, "subscriptions", [
        sub("a1", "churns", "2024-01-01", "2024-03-15"),                        # churn on 15 March
        sub("b1", "contracts", "2024-01-01", amount="200"),
        sub("b2", "contracts", "2024-01-01", "2024-03-10"),                     # drops 100 of 300
        sub("c1", "renews", "2023-03-10", "2024-03-10", amount="1200", interval=12),
        sub("c2", "renews", "2024-03-10", amount="1200", interval=12),         # the next term, same price
        sub("d1", "later", "2024-03-05"),                                       # not a customer on 29 Feb
        sub("e1", "churns_after", "2024-01-01", "2024-04-15"),                  # churn after the window
    ])
    rows = outcomes(workspace.warehouse, DAY, 30, today=TODAY, workspace=workspace.settings.workspace)
    rows = rows.to_pyarrow().to_pylist()
    return {row["account_id"]: row for row in rows}


def test_only_customers_at_the_day_have_a_row(labelled):
    assert sorted(labelled) == ["churns", "churns_after", "contracts", "renews"]


def test_a_churn_in_the_window_is_churned_with_its_day_and_all_its_arr_lost(labelled):
    row = labelled["churns"]
    assert (row["churned"], row["churned_at"], row["arr"], row["arr_lost"]) == (
        True, date(2024, 3, 15), Decimal("1200"), Decimal("1200"))


def test_a_contraction_is_contracted_and_loses_only_the_dropped_arr(labelled):
    row = labelled["contracts"]
    assert (row["churned"], row["contracted"], row["arr"], row["arr_lost"]) == (
        False, True, Decimal("3600"), Decimal("1200"))


def test_an_annual_contract_due_in_the_window_and_continued_is_renewed(labelled):
    row = labelled["renews"]
    assert (row["renewal_due"], row["renewed"], row["churned"], row["arr"]) == (True, True, False, Decimal("1200"))


def test_renewed_is_null_when_nothing_is_due(labelled):
    assert (labelled["churns"]["renewal_due"], labelled["churns"]["renewed"]) == (False, None)


def test_a_churn_after_the_window_is_not_churned(labelled):
    assert (labelled["churns_after"]["churned"], labelled["churns_after"]["arr_lost"]) == (False, Decimal("0"))


def test_a_window_not_yet_elapsed_is_refused(workspace):
    with pytest.raises(UsageError, match="not fully observed"):
        outcomes(workspace.warehouse, DAY, 30, today=date(2024, 3, 29), workspace=workspace.settings.workspace)


def test_several_days_in_one_query_are_each_day_alone(labelled, workspace):
    # Two ways to the same labels: outcomes_on's one query for three days, and outcomes day by day.
    from tenure.backtest.outcomes import outcomes_on

    days = [date(2024, 2, 1), DAY, date(2024, 3, 12)]
    section = workspace.settings.workspace
    together = outcomes_on(workspace.warehouse, days, 30, today=TODAY, workspace=section).to_pyarrow().to_pylist()
    alone = [
        {"day": d, **row}
        for d in days for row in outcomes(workspace.warehouse, d, 30, today=TODAY, workspace=section).to_pyarrow().to_pylist()
    ]
    key = lambda r: (r["day"], r["account_id"])  # noqa: E731
    assert sorted(together, key=key) == sorted(alone, key=key)
    assert len({r["day"] for r in together}) == 3
