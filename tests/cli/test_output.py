"""How the terminal shows figures (cli/output.py, docs/output.md): one rule per kind of column, and tables
that fit the terminal without cutting a cell."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pyarrow as pa
import pytest
from rich.console import Console

from tenure.cli.output import driver_text, human, rich_table, signal_value


def rendered(table: pa.Table, width: int, **options) -> str:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None).print(rich_table(table, width=width, **options))
    return out.getvalue()


@pytest.mark.parametrize(("name", "value", "shown"), [
    # Every share from 0 to 1 is a percentage, whatever the family calls it.
    ("customer_churn_rate", 0.0125, "1.2%"), ("csat", 0.65, "65.0%"), ("ticket_csat", 0.72, "72.0%"),
    ("share_of_arr", 0.05, "5.0%"), ("survival_at_12", 0.7312, "73.1%"), ("stickiness_accounts", 0.7, "70.0%"),
    ("nrr_12m", 1.079, "107.9%"), ("probability", 0.21, "21.0%"), ("customer_rate_3m", 0.981, "98.1%"),
    # A relative change is signed; other numbers keep their unit.
    ("login_trend", 0.0652, "+6.5%"), ("mrr_trend", -0.25, "-25.0%"), ("quick_ratio", 43.857, "43.86"),
    ("nps", 1.68, "1.68"),
    # Counts have separators; whole numbers that are labels do not.
    ("customers", 1137, "1,137"), ("month_index", 24301, "24301"), ("period", 1200, "1200"),
    ("decile", 10, "10"), ("row", 12045, "12045"), ("load_id", 1005, "1005"),
    ("mrr", Decimal("151908.54"), "151,908.54"), ("when", date(2026, 9, 1), "2026-09-01"), ("x", None, "–"),
])
def test_each_kind_of_column_reads_by_one_rule(name, value, shown):
    assert human(name, value) == shown


def test_json_keeps_rates_as_numbers_from_0_to_1():
    from tenure.cli.output import rows_of

    assert rows_of(pa.table({"csat": [0.65], "month_index": [24301]})) == [{"csat": 0.65, "month_index": 24301}]


@pytest.mark.parametrize(("driver", "text"), [
    ({"signal": "in_renewal_window", "value": 1.0}, "in renewal window"),
    ({"signal": "in_renewal_window", "value": 0.0}, "not in renewal window"),
    ({"signal": "days_to_renewal", "value": 50.0}, "days to renewal 50"),
    ({"signal": "seat_utilisation", "value": 0.380952}, "seat utilisation 38%"),
    ({"signal": "csat", "value": 0.0}, "csat 0%"),
    ({"signal": "login_trend", "value": -0.4}, "login trend -40%"),
    ({"signal": "escalated_tickets_90d", "value": 3.0}, "escalated tickets 90d 3"),
    ({"signal": "segment", "value": None, "category": "Enterprise", "missing": False}, "segment Enterprise"),
    ({"signal": "nps", "value": None, "category": None, "missing": True}, "nps missing"),
])
def test_a_churn_driver_reads_as_words_in_its_signals_unit(driver, text):
    assert driver_text(driver) == text


def test_a_signal_value_has_its_unit():
    assert [signal_value("breadth", 0.6667), signal_value("mrr", Decimal("2957.46")), signal_value("nps", 100.0),
            signal_value("logins_per_user_week", 2.5)] == ["67%", "3.0k", "100", "2.5"]


# Fifteen monthly figures, as `tenure metrics revenue` shows them: far wider than any terminal.
WIDE = pa.table({
    "month": ["2026-09", "2026-10"],
    **{f"figure_number_{k}_mrr": pa.array([Decimal("1512345.67"), Decimal("-98765.43")], pa.decimal128(18, 2))
       for k in range(12)},
    "customer_churn_rate": [0.0125, None], "customers": [12_345, 12_400],
})


@pytest.mark.parametrize("width", [80, 120, 140])
def test_a_wide_table_is_cut_into_sections_that_fit_and_no_cell_is_cut(width: int):
    text = rendered(WIDE, width, title="Revenue")
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= width
    # Every figure and every header whole, and the month leads each section.
    for value in ("1,512,345.67", "-98,765.43", "1.2%", "12,345", *(f"figure_number_{k}_mrr" for k in range(12))):
        assert value in text
    sections = text.count("Revenue (")
    assert sections >= 2 and text.count("2026-09") == sections


def test_a_table_that_fits_is_one_table():
    text = rendered(WIDE.select(["month", "customers"]), 80, title="Revenue")
    assert "Revenue (" not in text and "12,345" in text


def test_a_long_text_wraps_instead_of_being_cut():
    table = pa.table({"account_id": ["acc_000166"], "arr": [33397.06],
                      "drivers": ["in renewal window; escalated tickets 90d 2; days to renewal 50; seat utilisation 38%"]})
    text = rendered(table, 60)
    assert "…" not in text and "33,397.06" in text and "utilisation" in text
