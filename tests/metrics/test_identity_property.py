"""Properties that hold for any subscription history: the MRR identity, exactly, and the ledger adding
up to the MRR an independent oracle (plain Python over the literal rows) computes.

The queries do not depend on the data, so each is compiled once (the SQL `Workspace.sql` shows) and run
on every example: compiling the Ibis expression costs far more than running it on a few rows."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tenure import Workspace
from tests.conftest import put_rows
from tests.metrics.rows import sub

FIRST, LAST = "2019-12", "2023-01"  # from before any row starts to after the last one ends
AMOUNTS = ["0", "10", "99.99", "1000", "1200.50", "7"]


def _day(offset_months: int, day: int) -> date:
    index = 2020 * 12 + offset_months
    return date(index // 12, index % 12 + 1, day)


@st.composite
def histories(draw) -> list[dict]:
    rows = []
    for account in ("a", "b", "c"):
        for n in range(draw(st.integers(0, 4))):
            start = _day(draw(st.integers(0, 23)), draw(st.sampled_from([1, 15, 28])))
            length = draw(st.one_of(st.none(), st.integers(0, 12)))
            # Ends land on the 1st, 15th or 28th too, so that ends and starts often share an instant.
            end = None if length is None else max(start, _day((start.year - 2020) * 12 + start.month - 1 + length,
                                                               draw(st.sampled_from([1, 15, 28]))))
            rows.append(sub(f"{account}{n}", account, start.isoformat(), end and end.isoformat(),
                            amount=draw(st.sampled_from(AMOUNTS)), interval=draw(st.sampled_from([1, 3, 12])),
                            trial=draw(st.sampled_from([None, False, True]))))
    return rows


def oracle_mrr(rows: list[dict], month_label: str) -> tuple[Decimal, int]:
    """MRR and customers at the end of a month: rows running at the first instant of the next month."""
    year, month = map(int, month_label.split("-"))
    next_month = date(year + month // 12, month % 12 + 1, 1).isoformat()
    per_account: dict[str, Decimal] = {}
    for r in rows:
        if r["is_trial"] == "true" or not (r["start_date"] < next_month and (r["end_date"] is None or r["end_date"] >= next_month)):
            continue
        mrr = (Decimal(r["amount"]) / r["interval_months"]).quantize(Decimal("0.000001"), ROUND_HALF_EVEN)
        per_account[r["account_id"]] = per_account.get(r["account_id"], Decimal(0)) + mrr
    return sum(per_account.values(), Decimal(0)), sum(1 for v in per_account.values() if v > 0)


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    workspace = Workspace.init(tmp_path_factory.mktemp("property") / "ws")
    yield workspace
    workspace.close()


@pytest.fixture(scope="module")
def sql(ws) -> dict[str, str]:
    return {"revenue": ws.sql(ws.revenue_expr(FIRST, LAST)), "movements": ws.sql(ws.movements_expr())}


def run(ws: Workspace, sql: str, rows: list[dict]) -> list[dict]:
    ws.warehouse.raw.execute("DELETE FROM subscriptions")
    if rows:
        put_rows(ws, "subscriptions", rows)
    return ws.warehouse.raw.execute(sql).to_arrow_table().to_pylist()


PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@PROPERTY
@given(rows=histories())
def test_mrr_is_last_months_mrr_plus_net_new_mrr_exactly(ws, sql, rows):
    months = run(ws, sql["revenue"], rows)
    assert months[0]["mrr"] == Decimal(0)
    for previous, current in zip(months, months[1:]):
        assert current["mrr"] == previous["mrr"] + current["net_new_mrr"]
        assert current["net_new_mrr"] == (current["new_mrr"] + current["expansion_mrr"] + current["reactivation_mrr"]
                                          - current["contraction_mrr"] - current["churned_mrr"])
        assert current["customers"] == (previous["customers"] + current["new_customers"]
                                        + current["reactivated_customers"] - current["churned_customers"])


@PROPERTY
@given(rows=histories())
def test_month_end_mrr_and_customers_match_the_rows(ws, sql, rows):
    for month in run(ws, sql["revenue"], rows):
        assert (month["mrr"], month["customers"]) == oracle_mrr(rows, month["month"]), month["month"]


@PROPERTY
@given(rows=histories())
def test_each_accounts_movements_chain_and_sum_to_its_mrr(ws, sql, rows):
    running: dict[str, Decimal] = {}
    for move in run(ws, sql["movements"], rows):
        account = move["account_id"]
        assert move["before_mrr"] == running.get(account, Decimal(0))
        signed = move["amount"] if move["kind"] in ("new", "expansion", "reactivation") else -move["amount"]
        assert move["amount"] > 0
        assert move["after_mrr"] == move["before_mrr"] + signed
        assert (move["kind"] == "churn") == (move["after_mrr"] == 0)
        running[account] = move["after_mrr"]
    final, customers = oracle_mrr(rows, LAST)
    assert sum(running.values(), Decimal(0)) == final
    assert sum(1 for v in running.values() if v > 0) == customers
