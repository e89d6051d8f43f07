"""Monthly revenue rows: MRR, customers, movement sums and the rates built on them."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from tenure.metrics.revenue import COLUMNS
from tests.conftest import put_rows
from tests.metrics.rows import sub


def months(ws, start: str, end: str) -> dict[str, dict]:
    return {row["month"]: row for row in ws.revenue(start, end).to_pylist()}


def test_rows_have_the_contract_keys_in_order(workspace):
    assert tuple(workspace.revenue("2024-01", "2024-01").schema.names) == COLUMNS
    assert COLUMNS == (
        "month", "mrr", "arr", "customers", "arpa", "new_mrr", "expansion_mrr", "contraction_mrr", "churned_mrr",
        "reactivation_mrr", "net_new_mrr", "new_customers", "reactivated_customers", "churned_customers",
        "customer_churn_rate", "gross_mrr_churn_rate", "net_mrr_churn_rate", "quick_ratio", "nrr_12m", "grr_12m",
        "ltv",
    )


def test_no_data_is_rows_of_zeros_and_nulls(workspace):
    rows = workspace.revenue("2024-01", "2024-02").to_pylist()
    assert [r["month"] for r in rows] == ["2024-01", "2024-02"]
    assert rows[1] == {
        "month": "2024-02", "mrr": D("0"), "arr": D("0"), "customers": 0, "arpa": None,
        "new_mrr": D("0"), "expansion_mrr": D("0"), "contraction_mrr": D("0"), "churned_mrr": D("0"),
        "reactivation_mrr": D("0"), "net_new_mrr": D("0"), "new_customers": 0, "reactivated_customers": 0,
        "churned_customers": 0, "customer_churn_rate": None, "gross_mrr_churn_rate": None,
        "net_mrr_churn_rate": None, "quick_ratio": None, "nrr_12m": None, "grr_12m": None, "ltv": None,
    }


@pytest.fixture
def february(workspace):
    """Three customers in January (100, 200, 300); in February one churns, one contracts, one expands, one is new."""
    put_rows(workspace, "subscriptions", [
        sub("a", "a", "2024-01-01", "2024-02-10", amount="100"),
        sub("b", "b", "2024-01-01", "2024-02-10", amount="200"),
        sub("b", "b", "2024-02-10", amount="150"),
        sub("c", "c", "2024-01-01", amount="300"),
        sub("c2", "c", "2024-02-20", amount="100"),
        sub("d", "d", "2024-02-05", amount="60"),
    ])
    return months(workspace, "2024-01", "2024-02")


def test_movement_sums_and_counts_of_a_month(february):
    feb = february["2024-02"]
    assert (feb["new_mrr"], feb["expansion_mrr"], feb["contraction_mrr"], feb["churned_mrr"], feb["reactivation_mrr"]) == (
        D("60"), D("100"), D("50"), D("100"), D("0"))
    assert feb["net_new_mrr"] == D("10")
    assert (feb["new_customers"], feb["reactivated_customers"], feb["churned_customers"]) == (1, 0, 1)


def test_mrr_arr_customers_and_arpa_at_the_end_of_the_month(february):
    jan, feb = february["2024-01"], february["2024-02"]
    assert (jan["mrr"], jan["arr"], jan["customers"], jan["arpa"]) == (D("600"), D("7200"), 3, D("200"))
    assert (feb["mrr"], feb["arr"], feb["customers"], feb["arpa"]) == (D("610"), D("7320"), 3, D("203.333333"))


def test_churn_rates_are_over_start_of_month_values(february):
    feb = february["2024-02"]
    assert feb["customer_churn_rate"] == pytest.approx(1 / 3)
    assert feb["gross_mrr_churn_rate"] == pytest.approx(150 / 600)
    assert feb["net_mrr_churn_rate"] == pytest.approx(50 / 600)


def test_quick_ratio_is_gains_over_losses(february):
    assert february["2024-02"]["quick_ratio"] == pytest.approx(160 / 150)


def test_the_first_month_of_history_has_null_rates(february):
    jan = february["2024-01"]
    assert [jan[k] for k in ("customer_churn_rate", "gross_mrr_churn_rate", "net_mrr_churn_rate", "quick_ratio")] == [
        None, None, None, None]


def test_net_mrr_churn_is_negative_when_expansion_exceeds_losses(workspace):
    put_rows(workspace, "subscriptions", [
        sub("a", "a", "2024-01-01", "2024-02-01", amount="100"),
        sub("a", "a", "2024-02-01", amount="90"),
        sub("b", "b", "2024-01-01", amount="100"),
        sub("b2", "b", "2024-02-01", amount="50"),
    ])
    feb = months(workspace, "2024-02", "2024-02")["2024-02"]
    assert feb["net_mrr_churn_rate"] == pytest.approx(-40 / 200)
    assert feb["gross_mrr_churn_rate"] == pytest.approx(10 / 200)
    assert feb["quick_ratio"] == pytest.approx(5.0)


def test_quick_ratio_is_null_without_losses(workspace):
    put_rows(workspace, "subscriptions", [
        sub("a", "a", "2024-01-01", amount="100"),
        sub("b", "b", "2024-02-01", amount="100"),
    ])
    feb = months(workspace, "2024-02", "2024-02")["2024-02"]
    assert feb["quick_ratio"] is None
    assert feb["customer_churn_rate"] == 0.0


def test_an_account_new_and_churned_in_one_month_is_not_in_the_churn_rate_numerator(workspace):
    put_rows(workspace, "subscriptions", [
        sub("a", "a", "2024-01-01", amount="100"),
        sub("x", "x", "2024-02-05", "2024-02-20", amount="50"),
    ])
    feb = months(workspace, "2024-02", "2024-02")["2024-02"]
    assert (feb["new_customers"], feb["churned_customers"], feb["churned_mrr"]) == (1, 1, D("50"))
    assert feb["customer_churn_rate"] == 0.0
    assert feb["customers"] == 1


def test_a_customer_who_churns_and_returns_within_the_month_counts_as_churned(workspace):
    put_rows(workspace, "subscriptions", [
        sub("a", "a", "2024-01-01", "2024-02-05", amount="100"),
        sub("a2", "a", "2024-02-20", amount="100"),
        sub("b", "b", "2024-01-01", amount="100"),
    ])
    feb = months(workspace, "2024-02", "2024-02")["2024-02"]
    assert (feb["churned_customers"], feb["reactivated_customers"], feb["customers"]) == (1, 1, 2)
    assert feb["customer_churn_rate"] == 0.5


def test_empty_months_between_movements_are_rows_of_zeros(workspace):
    put_rows(workspace, "subscriptions", [sub("a", "a", "2024-01-01", "2024-04-01", amount="100")])
    rows = months(workspace, "2024-01", "2024-05")
    assert [rows[m]["mrr"] for m in sorted(rows)] == [D("100"), D("100"), D("100"), D("0"), D("0")]
    assert rows["2024-02"]["net_new_mrr"] == D("0")
    assert rows["2024-04"]["customer_churn_rate"] == 1.0
    assert rows["2024-05"]["customer_churn_rate"] is None


def test_history_before_the_first_month_asked_for_is_carried_in(workspace):
    put_rows(workspace, "subscriptions", [sub("a", "a", "2020-01-01", amount="100")])
    row = months(workspace, "2024-03", "2024-03")["2024-03"]
    assert (row["mrr"], row["customers"], row["net_new_mrr"], row["gross_mrr_churn_rate"]) == (D("100"), 1, D("0"), 0.0)


@pytest.fixture
def year(workspace):
    """Base at the end of January 2023: a 100, b 200, c 50, e 100 (450). By January 2024: a expanded to
    150, b churned, c contracted to 40, e churned and came back at 80; d is new (not in the base)."""
    put_rows(workspace, "subscriptions", [
        sub("a", "a", "2023-01-01", "2023-06-01", amount="100"),
        sub("a", "a", "2023-06-01", amount="150"),
        sub("b", "b", "2023-01-01", "2023-03-01", amount="200"),
        sub("c", "c", "2023-01-05", "2023-08-01", amount="50"),
        sub("c", "c", "2023-08-01", amount="40"),
        sub("d", "d", "2023-02-01", amount="500"),
        sub("e", "e", "2023-01-10", "2023-04-01", amount="100"),
        sub("e2", "e", "2023-10-01", amount="80"),
    ])
    return months(workspace, "2024-01", "2024-02")


def test_nrr_12m_is_the_base_accounts_mrr_now_over_then(year):
    assert year["2024-01"]["nrr_12m"] == pytest.approx((150 + 0 + 40 + 80) / 450)


def test_grr_12m_caps_each_account_at_its_mrr_then(year):
    assert year["2024-01"]["grr_12m"] == pytest.approx((100 + 0 + 40 + 80) / 450)


def test_a_base_month_with_several_movements_uses_its_month_end_mrr(workspace):
    put_rows(workspace, "subscriptions", [
        sub("a", "a", "2023-01-01", "2023-01-20", amount="100"),
        sub("a", "a", "2023-01-20", amount="120"),
        sub("a2", "a", "2023-05-01", amount="30"),
    ])
    jan = months(workspace, "2024-01", "2024-01")["2024-01"]
    assert jan["nrr_12m"] == pytest.approx(150 / 120)
    assert jan["grr_12m"] == 1.0


def test_the_base_is_every_customer_at_the_end_of_the_month_twelve_months_earlier(year):
    # End of February 2023: a 100, b 200 (churns on 1 March), c 50, d 500 (new in February), e 100.
    assert year["2024-02"]["nrr_12m"] == pytest.approx((150 + 0 + 40 + 500 + 80) / (100 + 200 + 50 + 500 + 100))


def test_nrr_12m_null_when_the_base_is_empty(workspace):
    put_rows(workspace, "subscriptions", [sub("a", "a", "2024-01-01", amount="100")])
    row = months(workspace, "2024-06", "2024-06")["2024-06"]
    assert (row["nrr_12m"], row["grr_12m"]) == (None, None)


@pytest.fixture
def churn_history(workspace):
    """Four customers of 100 from January 2024; one churns in February, none in March."""
    put_rows(workspace, "subscriptions", [
        sub("a", "a", "2024-01-01", "2024-02-15", amount="100"),
        sub("b", "b", "2024-01-01", amount="100"),
        sub("c", "c", "2024-01-01", amount="100"),
        sub("d", "d", "2024-01-01", amount="100"),
    ])
    return workspace


def test_ltv_is_arpa_over_the_trailing_average_churn_rate(churn_history):
    rows = months(churn_history, "2024-01", "2024-04")
    # Churn rates: January null (no customers at its start), February 1/4, March 0.
    assert rows["2024-03"]["ltv"] == D("400")  # 100 / 0.25
    assert rows["2024-04"]["ltv"] == D("800")  # 100 / mean(0.25, 0)


def test_ltv_is_null_without_churn_history(churn_history):
    rows = months(churn_history, "2024-01", "2024-02")
    assert (rows["2024-01"]["ltv"], rows["2024-02"]["ltv"]) == (None, None)


def test_ltv_is_null_when_the_trailing_churn_rate_is_zero(workspace):
    put_rows(workspace, "subscriptions", [sub("a", "a", "2024-01-01", amount="100")])
    assert months(workspace, "2024-03", "2024-03")["2024-03"]["ltv"] is None


def test_ltv_looks_back_six_months_excluding_the_current_one(churn_history):
    rows = months(churn_history, "2024-08", "2024-09")
    # August averages February..July (0.25 and five zeros); September no longer sees February.
    assert rows["2024-08"]["ltv"] == D("2400")
    assert rows["2024-09"]["ltv"] is None


def test_ltv_applies_the_gross_margin(churn_history, reopen):
    ws = reopen(churn_history, gross_margin=0.8)
    assert months(ws, "2024-04", "2024-04")["2024-04"]["ltv"] == D("640")
