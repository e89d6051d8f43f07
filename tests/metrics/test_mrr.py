"""Row MRR: normalisation by billing interval, trials, conversion to the reporting currency, and month
bucketing in the workspace time zone."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tenure import DataError
from tests.conftest import put_rows
from tests.metrics.rows import sub


def month(table, label: str) -> dict:
    return next(row for row in table.to_pylist() if row["month"] == label)


def amounts(ws) -> list[tuple[str, str, Decimal]]:
    return [(m["account_id"], m["kind"], m["amount"]) for m in ws.movements().to_pylist()]


def test_amounts_are_divided_by_the_billing_interval(workspace):
    put_rows(workspace, "subscriptions", [
        sub("s1", "monthly", "2024-01-01", amount="90", interval=1),
        sub("s2", "quarterly", "2024-01-01", amount="300", interval=3),
        sub("s3", "annual", "2024-01-01", amount="1200", interval=12),
        sub("s4", "biennial", "2024-01-01", amount="4800", interval=24),
    ])
    assert sorted(amounts(workspace)) == [
        ("annual", "new", Decimal("100")),
        ("biennial", "new", Decimal("200")),
        ("monthly", "new", Decimal("90")),
        ("quarterly", "new", Decimal("100")),
    ]
    assert month(workspace.revenue("2024-01", "2024-01"), "2024-01")["mrr"] == Decimal("490")


def test_row_mrr_is_rounded_to_a_millionth(workspace):
    put_rows(workspace, "subscriptions", [sub("s1", "a", "2024-01-01", amount="1000", interval=12)])
    assert amounts(workspace) == [("a", "new", Decimal("83.333333"))]
    assert month(workspace.revenue("2024-01", "2024-01"), "2024-01")["arr"] == Decimal("999.999996")


def test_a_tie_at_the_seventh_decimal_rounds_half_away_from_zero(workspace):
    # 91,824.90 x 1.0447 / 12 = 95,929.47303 / 12 = 7,994.1227525 exactly: a tie, so .122753. A binary
    # float division gives 7,994.12275249999..., which rounds down.
    put_rows(workspace, "subscriptions", [sub("s1", "a", "2024-01-10", amount="91824.90", currency="EUR", interval=12)])
    put_rows(workspace, "fx_rates", [{"date": "2024-01-10", "currency": "EUR", "rate": "1.0447"}])
    assert amounts(workspace) == [("a", "new", Decimal("7994.122753"))]


def test_a_trial_is_no_revenue_and_no_customer(workspace):
    put_rows(workspace, "subscriptions", [sub("s1", "a", "2024-01-01", amount="500", trial=True)])
    assert amounts(workspace) == []
    row = month(workspace.revenue("2024-01", "2024-01"), "2024-01")
    assert (row["mrr"], row["customers"], row["new_customers"]) == (Decimal("0"), 0, 0)


def test_a_foreign_currency_row_uses_the_rate_of_its_start_day_for_its_whole_life(workspace):
    put_rows(workspace, "subscriptions", [sub("s1", "a", "2024-01-10", amount="100", currency="EUR")])
    put_rows(workspace, "fx_rates", [
        {"date": "2024-01-10", "currency": "EUR", "rate": "1.1"},
        {"date": "2024-02-01", "currency": "EUR", "rate": "1.2"},
        {"date": "2024-03-01", "currency": "EUR", "rate": "0.9"},
    ])
    # The later rates change nothing: no movement comes from exchange rates.
    assert amounts(workspace) == [("a", "new", Decimal("110"))]
    rows = workspace.revenue("2024-01", "2024-03").to_pylist()
    assert [r["mrr"] for r in rows] == [Decimal("110")] * 3
    assert [r["net_new_mrr"] for r in rows] == [Decimal("110"), Decimal("0"), Decimal("0")]


def test_two_currencies_add_up_in_the_reporting_currency(workspace):
    put_rows(workspace, "subscriptions", [
        sub("s1", "a", "2024-01-01", amount="100", currency="USD"),
        sub("s2", "b", "2024-01-01", amount="1200", currency="GBP", interval=12),
    ])
    put_rows(workspace, "fx_rates", [{"date": "2024-01-01", "currency": "GBP", "rate": "1.25"}])
    assert month(workspace.revenue("2024-01", "2024-01"), "2024-01")["mrr"] == Decimal("225")


def test_the_latest_rate_on_or_before_the_start_day_is_used(workspace):
    put_rows(workspace, "subscriptions", [sub("s1", "a", "2024-01-10", amount="100", currency="EUR")])
    put_rows(workspace, "fx_rates", [
        {"date": "2024-01-04", "currency": "EUR", "rate": "1.05"},
        {"date": "2024-01-05", "currency": "EUR", "rate": "1.1"},
        {"date": "2024-01-11", "currency": "EUR", "rate": "1.3"},
    ])
    assert amounts(workspace) == [("a", "new", Decimal("110"))]


def test_a_missing_rate_is_an_error_naming_currency_and_day(workspace):
    put_rows(workspace, "subscriptions", [sub("s1", "a", "2024-03-01", amount="100", currency="EUR")])
    # Ten days old: older than the default fx_max_staleness_days of 7.
    put_rows(workspace, "fx_rates", [{"date": "2024-02-20", "currency": "EUR", "rate": "1.1"}])
    with pytest.raises(DataError, match="no EUR rate on or up to 7 days before 2024-03-01; load fx_rates"):
        workspace.revenue("2024-03", "2024-03")
    with pytest.raises(DataError, match="EUR"):
        workspace.movements()


def test_fx_max_staleness_days_widens_the_window(workspace, reopen):
    put_rows(workspace, "subscriptions", [sub("s1", "a", "2024-03-01", amount="100", currency="EUR")])
    put_rows(workspace, "fx_rates", [{"date": "2024-02-20", "currency": "EUR", "rate": "1.1"}])
    ws = reopen(workspace, fx_max_staleness_days=10)
    assert amounts(ws) == [("a", "new", Decimal("110"))]


def test_a_trial_in_a_foreign_currency_needs_no_rate(workspace):
    put_rows(workspace, "subscriptions", [sub("s1", "a", "2024-03-01", amount="100", currency="EUR", trial=True)])
    assert month(workspace.revenue("2024-03", "2024-03"), "2024-03")["mrr"] == Decimal("0")


def test_the_reporting_currency_is_a_setting(workspace, reopen):
    put_rows(workspace, "subscriptions", [sub("s1", "a", "2024-01-01", amount="100", currency="EUR")])
    ws = reopen(workspace, currency="EUR")
    assert amounts(ws) == [("a", "new", Decimal("100"))]


def test_months_are_calendar_months_in_the_workspace_time_zone(workspace, reopen):
    ws = reopen(workspace, timezone="America/New_York")
    put_rows(ws, "subscriptions", [
        # 2024-01-31 22:00 and 2024-02-29 21:00 in New York.
        sub("s1", "a", "2024-02-01 03:00:00+00", "2024-03-01 02:00:00+00", amount="100"),
    ])
    rows = {r["month"]: r for r in ws.revenue("2024-01", "2024-03").to_pylist()}
    assert rows["2024-01"]["new_mrr"] == Decimal("100")
    assert rows["2024-02"]["churned_mrr"] == Decimal("100")
    assert rows["2024-03"]["mrr"] == Decimal("0")
    assert [m["month"] for m in ws.movements().to_pylist()] == ["2024-01", "2024-02"]


def test_the_rate_day_is_the_start_day_in_the_workspace_time_zone(workspace, reopen):
    ws = reopen(workspace, timezone="America/New_York")
    # 2024-03-01 02:00 UTC is 2024-02-29 21:00 in New York: the rate of 29 February applies.
    put_rows(ws, "subscriptions", [sub("s1", "a", "2024-03-01 02:00:00+00", amount="100", currency="EUR")])
    put_rows(ws, "fx_rates", [
        {"date": "2024-02-29", "currency": "EUR", "rate": "1.1"},
        {"date": "2024-03-01", "currency": "EUR", "rate": "1.5"},
    ])
    assert amounts(ws) == [("a", "new", Decimal("110"))]


def test_the_error_lists_every_missing_currency_day_up_to_three(workspace):
    put_rows(workspace, "subscriptions", [
        sub("s1", "a", "2024-03-01", amount="100", currency="EUR"),
        sub("s2", "b", "2024-03-05", amount="100", currency="GBP"),
        sub("s3", "c", "2024-04-01", amount="100", currency="EUR"),
        sub("s4", "d", "2024-05-01", amount="100", currency="EUR"),
    ])
    with pytest.raises(DataError) as raised:
        workspace.movements()
    assert str(raised.value).startswith(
        "no EUR rate on or up to 7 days before 2024-03-01; no GBP rate on or up to 7 days before 2024-03-05; "
        "no EUR rate on or up to 7 days before 2024-04-01 (and 1 more); load fx_rates"
    )
