"""Renewals: rows billed yearly (by default) fall due on each anniversary; did the account stay?"""

from __future__ import annotations

from decimal import Decimal as D

from tests.conftest import put_rows
from tests.metrics.rows import sub


def months(ws, start: str, end: str) -> dict[str, dict]:
    return {row["month"]: row for row in ws.renewals(start, end).to_pylist()}


def figures(row: dict) -> tuple:
    return (row["due"], row["renewed"], row["logo_renewal_rate"], row["value_due"],
            row["gross_dollar_renewal_rate"], row["net_dollar_renewal_rate"])


def test_rows_have_the_contract_keys(workspace):
    assert workspace.renewals("2024-01", "2024-01").schema.names == [
        "month", "due", "renewed", "logo_renewal_rate", "value_due", "gross_dollar_renewal_rate",
        "net_dollar_renewal_rate",
    ]


def test_a_row_ending_on_its_anniversary_and_followed_by_a_new_term_renewed(workspace):
    put_rows(workspace, "subscriptions", [
        sub("s1", "a", "2023-03-15", "2024-03-15", amount="1200", interval=12),
        sub("s1", "a", "2024-03-15", amount="1200", interval=12),
    ])
    rows = months(workspace, "2024-02", "2024-04")
    assert figures(rows["2024-03"]) == (1, 1, 1.0, D("1200"), 1.0, 1.0)
    assert figures(rows["2024-02"]) == (0, 0, None, D("0"), None, None)


def test_a_row_ending_on_its_anniversary_with_nothing_after_was_due_and_not_renewed(workspace):
    put_rows(workspace, "subscriptions", [sub("s1", "a", "2023-03-15", "2024-03-15", amount="1200", interval=12)])
    assert figures(months(workspace, "2024-03", "2024-03")["2024-03"]) == (1, 0, 0.0, D("1200"), 0.0, 0.0)


def test_an_open_ended_row_is_due_and_renewed_on_every_anniversary(workspace):
    put_rows(workspace, "subscriptions", [sub("s1", "a", "2022-05-01", amount="2400", interval=12)])
    rows = months(workspace, "2023-05", "2024-05")
    assert figures(rows["2023-05"]) == (1, 1, 1.0, D("2400"), 1.0, 1.0)
    assert figures(rows["2024-05"]) == (1, 1, 1.0, D("2400"), 1.0, 1.0)
    assert sum(r["due"] for r in rows.values()) == 2


def test_growth_at_renewal_counts_in_net_but_not_gross(workspace):
    put_rows(workspace, "subscriptions", [
        sub("s1", "a", "2023-03-01", "2024-03-01", amount="1200", interval=12),
        sub("s1", "a", "2024-03-01", amount="1800", interval=12),
    ])
    assert figures(months(workspace, "2024-03", "2024-03")["2024-03"]) == (1, 1, 1.0, D("1200"), 1.0, 1.5)


def test_a_downgrade_at_renewal_lowers_both_dollar_rates(workspace):
    put_rows(workspace, "subscriptions", [
        sub("s1", "a", "2023-03-01", "2024-03-01", amount="1200", interval=12),
        sub("s1", "a", "2024-03-01", amount="600", interval=12),
        sub("s2", "b", "2023-03-20", "2024-03-20", amount="2400", interval=12),
    ])
    # a renews at half its value, b leaves: 600 of 3600 renewed.
    assert figures(months(workspace, "2024-03", "2024-03")["2024-03"]) == (2, 1, 0.5, D("3600"), 600 / 3600, 600 / 3600)


def test_renewing_onto_a_monthly_plan_keeps_the_due_term(workspace):
    put_rows(workspace, "subscriptions", [
        sub("s1", "a", "2023-03-01", "2024-03-01", amount="1200", interval=12),
        sub("s2", "a", "2024-03-01", amount="110", interval=1),
    ])
    # 110 a month over the twelve months that were due: 1320.
    assert figures(months(workspace, "2024-03", "2024-03")["2024-03"]) == (1, 1, 1.0, D("1200"), 1.0, 1.1)


def test_a_row_ending_before_its_anniversary_is_not_due(workspace):
    put_rows(workspace, "subscriptions", [sub("s1", "a", "2023-03-01", "2023-09-01", amount="1200", interval=12)])
    assert months(workspace, "2024-03", "2024-03")["2024-03"]["due"] == 0


def test_monthly_rows_are_not_renewals_by_default(workspace):
    put_rows(workspace, "subscriptions", [sub("s1", "a", "2023-01-01", amount="100", interval=1),
                                          sub("s2", "b", "2023-01-01", amount="300", interval=3)])
    assert [r["due"] for r in workspace.renewals("2023-01", "2023-12").to_pylist()] == [0] * 12


def test_renewal_min_interval_months_is_a_setting(workspace, reopen):
    put_rows(workspace, "subscriptions", [sub("s1", "a", "2023-01-01", "2023-07-01", amount="300", interval=3),
                                          sub("s2", "b", "2023-01-01", amount="100", interval=1)])
    ws = reopen(workspace, renewal_min_interval_months=3)
    assert [r["due"] for r in ws.renewals("2023-01", "2023-08").to_pylist()] == [0, 0, 0, 1, 0, 0, 1, 0]


def test_trials_are_never_due(workspace):
    put_rows(workspace, "subscriptions", [sub("s1", "a", "2023-01-01", amount="1200", interval=12, trial=True)])
    assert months(workspace, "2024-01", "2024-01")["2024-01"]["due"] == 0


def test_anniversaries_in_the_future_are_not_due(workspace):
    put_rows(workspace, "subscriptions", [sub("s1", "a", "2099-01-01", amount="1200", interval=12)])
    assert months(workspace, "2100-01", "2100-01")["2100-01"]["due"] == 0


def test_an_anniversary_of_29_february_falls_on_28_february(workspace):
    put_rows(workspace, "subscriptions", [sub("s1", "a", "2024-02-29", amount="1200", interval=12)])
    rows = months(workspace, "2025-02", "2025-03")
    assert (rows["2025-02"]["due"], rows["2025-03"]["due"]) == (1, 0)


def test_due_counts_an_account_once_per_due_instant(workspace):
    put_rows(workspace, "subscriptions", [
        sub("s1", "a", "2023-03-01", "2024-03-01", amount="1200", interval=12),
        sub("s2", "a", "2022-03-01", "2024-03-01", amount="2400", interval=24),
        sub("s3", "a", "2024-03-01", amount="300"),
    ])
    # Due MRR 100 + 100 over terms of 12 and 24 months: 3600 due, renewed at 300 a month on that mix of terms.
    assert figures(months(workspace, "2024-03", "2024-03")["2024-03"]) == (1, 1, 1.0, D("3600"), 1.0, 1.5)


def test_other_contracts_of_the_account_do_not_count_as_renewed_value(workspace):
    put_rows(workspace, "subscriptions", [
        sub("s1", "a", "2023-03-01", amount="1200", interval=12),
        sub("addon", "a", "2023-06-01", amount="50", interval=1),
    ])
    assert figures(months(workspace, "2024-03", "2024-03")["2024-03"]) == (1, 1, 1.0, D("1200"), 1.0, 1.0)


def test_an_account_that_keeps_another_contract_renewed_as_a_logo_but_not_in_value(workspace):
    put_rows(workspace, "subscriptions", [
        sub("s1", "a", "2023-03-01", "2024-03-01", amount="1200", interval=12),
        sub("addon", "a", "2023-06-01", amount="50", interval=1),
    ])
    assert figures(months(workspace, "2024-03", "2024-03")["2024-03"]) == (1, 1, 1.0, D("1200"), 0.0, 0.0)
