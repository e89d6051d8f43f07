"""Conditions evaluated by the engine: to_ibis over a small in-memory DuckDB table of signals, one row
per account. Each expected list of accounts is read off the table below by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import ibis
import pyarrow as pa
import pytest

from tenure.errors import ConfigError
from tenure.conditions import parse_condition
from tenure.conditions.compile import to_ibis

COLUMNS = ("account_id", "band", "days_to_renewal", "password_resets_7d", "open_tickets", "kb_views_30d",
           "activated", "account_age_days", "segment", "nps", "active_users_30d", "active_users_prev_30d",
           "renewal_date", "mrr")
ROWS = [
    ("A1", "red", 30, 0, 1, 5, True, 400, "enterprise", 9, 10, 10, date(2026, 2, 1), Decimal("5000.00")),
    ("A2", "red", 120, 6, 0, 0, True, 200, "mid-market", None, 4, 10, date(2026, 5, 31), Decimal("1200.50")),
    ("A3", "green", 60, 1, 5, 0, False, 20, "smb", None, 0, 0, None, Decimal("99.00")),
    ("A4", None, None, None, None, None, None, 10, None, None, None, None, None, None),
    ("A5", "yellow", 90, 5, 4, 2, False, 14, "enterprise", 3, 3, 2, date(2026, 3, 31), Decimal("800.00")),
]
TYPES = {"account_id": pa.string(), "band": pa.string(), "activated": pa.bool_(), "segment": pa.string(),
         "renewal_date": pa.date32(), "mrr": pa.decimal128(38, 6)}


@pytest.fixture(scope="module")
def engine():
    connection = ibis.duckdb.connect()
    yield connection
    connection.disconnect()


@pytest.fixture(scope="module")
def accounts():
    schema = pa.schema([(name, TYPES.get(name, pa.int64())) for name in COLUMNS])
    return ibis.memtable(pa.Table.from_pylist([dict(zip(COLUMNS, row)) for row in ROWS], schema=schema))


def fired(engine, table, text: str) -> list[str]:
    """The accounts for which the condition holds, in id order."""
    matching = table.filter(to_ibis(parse_condition(text), table)).order_by("account_id")
    return engine.to_pyarrow(matching.select("account_id")).column("account_id").to_pylist()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('band == "red" and days_to_renewal <= 90', ["A1"]),
        ("password_resets_7d >= 5 or (open_tickets > 3 and kb_views_30d == 0)", ["A2", "A3", "A5"]),
        # A5 is exactly 14 days old, so not older than 14.
        ("not activated and account_age_days > 14", ["A3"]),
        ('segment in ["enterprise", "mid-market"] and nps is null', ["A2"]),
        ("active_users_30d < 0.5 * active_users_prev_30d", ["A2"]),
    ],
)
def test_the_issue_examples_pick_their_accounts(engine, accounts, text, expected):
    assert fired(engine, accounts, text) == expected


def test_a_comparison_with_a_null_signal_does_not_fire(engine, accounts):
    # A2, A3 and A4 have no NPS: neither below 7 nor, negated, "not at least 7".
    assert fired(engine, accounts, "nps < 7") == ["A5"]
    assert fired(engine, accounts, "not (nps >= 7)") == ["A5"]


def test_an_unknown_side_of_or_gives_way_to_a_true_one(engine, accounts):
    # A2 has no NPS but is red: unknown or true is true.
    assert fired(engine, accounts, 'nps >= 7 or band == "red"') == ["A1", "A2"]


def test_not_in_never_fires_for_a_null_signal(engine, accounts):
    assert fired(engine, accounts, 'segment not in ["enterprise"]') == ["A2", "A3"]


def test_is_null_and_is_not_null_ask_about_missing_signals(engine, accounts):
    assert fired(engine, accounts, "renewal_date is null") == ["A3", "A4"]
    assert fired(engine, accounts, "band is not null and nps is not null") == ["A1", "A5"]


def test_division_by_zero_is_null(engine, accounts):
    # A3 has 0 active users out of 0; A4 has no figures at all.
    assert fired(engine, accounts, "active_users_30d / active_users_prev_30d is null") == ["A3", "A4"]
    assert fired(engine, accounts, "active_users_30d / active_users_prev_30d < 1") == ["A2"]


def test_dividing_integers_keeps_the_fraction(engine, accounts):
    # A5: 3 / 2 = 1.5, not 1.
    assert fired(engine, accounts, "active_users_30d / active_users_prev_30d > 1") == ["A5"]


def test_a_date_compares_with_a_yyyy_mm_dd_literal(engine, accounts):
    assert fired(engine, accounts, 'renewal_date <= "2026-03-31"') == ["A1", "A5"]
    assert fired(engine, accounts, 'renewal_date in ["2026-05-31", "2026-02-01"]') == ["A1", "A2"]


def test_money_compares_exactly_with_a_decimal_literal(engine, accounts):
    assert fired(engine, accounts, "mrr >= 1200.5") == ["A1", "A2"]


def test_unary_minus_negates(engine, accounts):
    assert fired(engine, accounts, "-days_to_renewal > -60") == ["A1"]


def test_integer_literals_do_not_overflow_a_narrow_type(engine, accounts):
    # 100 * 100 would overflow if 100 were typed as the narrowest integer that holds it.
    assert fired(engine, accounts, "open_tickets * 100 * 100 > 30000") == ["A3", "A5"]


def test_the_result_is_false_never_null(engine, accounts):
    condition = to_ibis(parse_condition("nps > 5"), accounts)
    result = engine.to_pyarrow(accounts.order_by("account_id").select(fires=condition))
    assert result.column("fires").to_pylist() == [True, False, False, False, False]


def test_a_dotted_name_is_a_column_of_that_name(engine):
    table = ibis.memtable(pa.table({"account_id": ["A1", "A2"], "health.score": [40, 80]}))
    assert fired(engine, table, "health.score >= 70") == ["A2"]


def test_a_condition_that_does_not_fit_the_table_is_refused(accounts):
    with pytest.raises(ConfigError) as caught:
        to_ibis(parse_condition("band > 1 and churn_risk"), accounts)
    assert [problem.message for problem in caught.value.problems] == [
        "'>' at column 6 compares text (band) with a number (1)",
        "unknown signal 'churn_risk' at column 14",
    ]
