"""Monthly acquisition rows: spend in the reporting currency, new customers, CAC, payback, LTV:CAC.

The company: x and y pay 100 a month from November 2023 and y leaves in December, so the customer
churn rate is 1/2 in December and LTV in January 2024 = arpa x margin / 0.5. In January a (100) and
b (200) arrive from the ads channel and c (60) from nowhere known; ads spend 600 USD, unsplit spend
100 EUR at 1.2 (the EUR rate of 2023-12-30, within 7 days of 2024-01-01) = 120 USD. gross_margin 0.8.

    spend 720, new_customers 3, new_mrr 360, cac 240, payback = 240 / (120 x 0.8) = 2.5
    January: customers x, a, b, c; mrr 460; arpa 115; ltv = 115 x 0.8 / 0.5 = 184; ltv/cac = 184/240
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from tests.conftest import put_rows
from tests.metrics.rows import sub


@pytest.fixture
def company(workspace, reopen):
    ws = reopen(workspace, gross_margin=0.8)
    put_rows(ws, "accounts", [
        {"account_id": "x", "created_at": "2023-11-01"}, {"account_id": "y", "created_at": "2023-11-01"},
        {"account_id": "a", "created_at": "2024-01-01", "acquisition_channel": "ads"},
        {"account_id": "b", "created_at": "2024-01-01", "acquisition_channel": "ads"},
        {"account_id": "c", "created_at": "2024-01-01"},
    ])
    put_rows(ws, "subscriptions", [
        sub("x", "x", "2023-11-01"), sub("y", "y", "2023-11-01", "2023-12-15"),
        sub("a", "a", "2024-01-05"), sub("b", "b", "2024-01-06", amount="200"), sub("c", "c", "2024-01-07", amount="60"),
    ])
    put_rows(ws, "spend", [
        {"month": "2024-01-01", "channel": "ads", "amount": "600", "currency": "USD"},
        {"month": "2024-01-01", "channel": "all", "amount": "100", "currency": "EUR"},
    ])
    put_rows(ws, "fx_rates", [{"date": "2023-12-30", "currency": "EUR", "rate": "1.2"}])
    return ws


def test_cac_payback_and_ltv_to_cac(company):
    jan = company.acquisition("2024-01", "2024-01").to_pylist()[0]
    assert (jan["spend"], jan["new_customers"], jan["new_mrr"], jan["cac"]) == (D("720"), 3, D("360"), D("240"))
    assert jan["cac_payback_months"] == pytest.approx(2.5)
    assert jan["ltv_to_cac"] == pytest.approx(184 / 240)


def test_zero_denominators_are_null(company):
    feb = company.acquisition("2024-02", "2024-02").to_pylist()[0]
    assert feb == {"month": "2024-02", "spend": D("0"), "new_customers": 0, "new_mrr": D("0"), "cac": None,
                   "cac_payback_months": None, "ltv_to_cac": None}


def test_by_channel_splits_spend_and_new_customers(company):
    rows = {r["channel"]: r for r in company.acquisition("2024-01", "2024-01", by="channel").to_pylist()}
    assert sorted(rows) == ["(none)", "ads", "all"]
    ads = rows["ads"]
    assert (ads["spend"], ads["new_customers"], ads["cac"]) == (D("600"), 2, D("300"))
    assert ads["cac_payback_months"] == pytest.approx(300 / (150 * 0.8))
    assert ads["ltv_to_cac"] == pytest.approx(184 / 300)  # the company's LTV over the channel's CAC
    assert (rows["all"]["spend"], rows["all"]["new_customers"], rows["all"]["cac"]) == (D("120"), 0, None)


def test_other_breakdowns_split_new_customers_and_leave_spend_null(company):
    rows = company.acquisition("2024-01", "2024-01", by="segment").to_pylist()
    assert [(r["segment"], r["new_customers"], r["spend"], r["cac"]) for r in rows] == [("(none)", 3, None, None)]
