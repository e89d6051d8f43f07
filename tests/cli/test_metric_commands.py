"""`tenure metrics revenue|renewals` and `tenure movements` through the real entry point, on one small
hand-made company: A pays 100/month from January 2024; B pays 1,200/year from February and cancels
at the end of April; so MRR is 100 in January, 200 in February..April, 100 in May."""

from decimal import Decimal
from pathlib import Path

import pytest

from tenure import Workspace

from tests.cli.runner import tenure
from tests.conftest import copy_workspace

# Each test starts `tenure` in a subprocess (end to end).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ws(tmp_path_factory, workspace_template) -> Path:
    folder = tmp_path_factory.mktemp("cli-metrics")
    copy_workspace(workspace_template, folder / "ws")  # a new workspace, as `tenure init` makes
    (folder / "accounts.csv").write_text("account_id,created_at\nA,2024-01-01\nB,2024-02-01\n")
    (folder / "subs.csv").write_text(
        "subscription_id,account_id,start_date,end_date,amount,currency,interval_months\n"
        "s1,A,2024-01-01,,100.00,USD,1\n"
        "s2,B,2024-02-01,2024-05-01,1200.00,USD,12\n"
    )
    assert tenure("-w", folder / "ws", "load", "accounts", folder / "accounts.csv").code == 0
    assert tenure("-w", folder / "ws", "load", "subscriptions", folder / "subs.csv").code == 0
    return folder / "ws"


def test_revenue_json_has_the_spec_keys_and_values(ws: Path):
    run = tenure("-w", ws, "metrics", "revenue", "--from", "2024-01", "--to", "2024-05", "--json")
    assert run.code == 0, run.stderr
    rows = run.json()
    assert [r["month"] for r in rows] == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
    assert [r["mrr"] for r in rows] == [100, 200, 200, 200, 100]
    assert [r["churned_mrr"] for r in rows] == [0, 0, 0, 0, 100]
    assert rows[4]["customer_churn_rate"] == 0.5
    assert rows[0]["quick_ratio"] is None  # nothing churned or contracted: no denominator


def test_revenue_csv_is_the_header_and_one_line_per_month(ws: Path):
    run = tenure("-w", ws, "metrics", "revenue", "--from", "2024-01", "--to", "2024-03", "--csv")
    assert run.code == 0, run.stderr
    # January: A alone (100 MRR, 1,200 ARR, new). February: B's 1,200/year is 100/month, new; one customer
    # at the start of the month and none lost, so the churn rates are 0. Churn rates, the quick ratio and
    # LTV are empty where they have no denominator; NRR/GRR need 12 months of history.
    assert run.stdout.splitlines() == [
        "month,mrr,arr,customers,arpa,new_mrr,expansion_mrr,contraction_mrr,churned_mrr,reactivation_mrr,"
        "net_new_mrr,new_customers,reactivated_customers,churned_customers,customer_churn_rate,"
        "gross_mrr_churn_rate,net_mrr_churn_rate,quick_ratio,nrr_12m,grr_12m,ltv,partial",
        "2024-01,100,1200,1,100,100,0,0,0,0,100,1,0,0,,,,,,,,False",
        "2024-02,200,2400,2,100,100,0,0,0,0,100,1,0,0,0.0,0.0,0.0,,,,,False",
        "2024-03,200,2400,2,100,0,0,0,0,0,0,0,0,0,0.0,0.0,0.0,,,,,False",
    ]


def test_the_month_that_is_not_over_is_marked_partial(ws: Path):
    # The default months end with today's: A is still paying, so it has MRR but its month is not over.
    rows = tenure("-w", ws, "metrics", "revenue", "--json").json()
    assert [r["partial"] for r in rows] == [False] * 11 + [True]
    # The terminal marks the month instead of a column (renewals: few enough columns to fit 120).
    shown = tenure("-w", ws, "metrics", "renewals").stdout
    assert f"{rows[-1]['month']} *" in shown and f"{rows[-2]['month']} *" not in shown
    assert "the month is not over" in shown


def test_sql_prints_the_query_instead_of_running_it(ws: Path):
    run = tenure("-w", ws, "metrics", "revenue", "--from", "2024-01", "--to", "2024-03", "--sql")
    assert run.code == 0, run.stderr
    # The printed text is the query itself: run on the workspace's database, it gives the figures.
    with Workspace.open(ws, read_only=True) as opened:
        found = opened.warehouse.raw.execute(run.stdout).fetchall()
    assert [(row[0], row[1], row[3]) for row in found] == [
        ("2024-01", Decimal("100"), 1), ("2024-02", Decimal("200"), 2), ("2024-03", Decimal("200"), 2),
    ]


def test_movements_of_one_account(ws: Path):
    run = tenure("-w", ws, "movements", "--account", "B", "--json")
    assert run.code == 0, run.stderr
    assert [(m["month"], m["kind"], m["amount"]) for m in run.json()] == [("2024-02", "new", 100), ("2024-05", "churn", 100)]


def test_renewals_json(ws: Path):
    run = tenure("-w", ws, "metrics", "renewals", "--from", "2024-01", "--to", "2024-12", "--json")
    assert run.code == 0, run.stderr
    assert sum(r["due"] for r in run.json()) == 0  # B left before its first anniversary


def test_model_sbg_json_has_the_spec_keys():
    run = tenure("model", "sbg", "--survivors", "1000,631,468,382,326,289,262,241", "--periods", "3", "--json")
    assert run.code == 0, run.stderr
    result = run.json()
    assert round(result["alpha"], 3) == 0.704 and round(result["beta"], 3) == 1.182  # Fader & Hardie (2007)
    assert len(result["survival"]) == 4 and result["survival"][0] == 1
    assert len(result["retention"]) == 3


def test_support_by_segment_json(tmp_path: Path, workspace_folder: Path):
    (tmp_path / "accounts.csv").write_text("account_id,created_at,segment\nA,2024-01-01,SMB\nB,2024-01-01,\n")
    (tmp_path / "tickets.csv").write_text(
        "ticket_id,account_id,created_at,first_response_at,status,escalated\n"
        "t1,A,2024-01-02 09:00,2024-01-02 11:00,open,true\n"
        "t2,B,2024-01-03 09:00,,open,false\n"
    )
    assert tenure("-w", workspace_folder, "load", "accounts", tmp_path / "accounts.csv").code == 0
    assert tenure("-w", workspace_folder, "load", "tickets", tmp_path / "tickets.csv").code == 0
    run = tenure("-w", workspace_folder, "metrics", "support", "--from", "2024-01", "--to", "2024-01",
                 "--by", "segment", "--json")
    assert run.code == 0, run.stderr
    assert [(r["month"], r["segment"], r["tickets"], r["first_response_hours_median"], r["escalation_rate"])
            for r in run.json()] == [("2024-01", "(none)", 1, None, 0.0), ("2024-01", "SMB", 1, 2.0, 1.0)]
    assert list(run.json()[0])[:3] == ["month", "segment", "tickets"]


@pytest.mark.parametrize("width", [80, 120, 140])
def test_the_revenue_table_fits_the_terminal_and_cuts_no_month_or_money(ws: Path, width: int):
    run = tenure("-w", ws, "metrics", "revenue", "--from", "2024-01", "--to", "2024-05", width=width)
    assert run.code == 0, run.stderr
    assert "…" not in run.stdout
    assert max(len(line) for line in run.stdout.splitlines()) <= width
    # Every section repeats the months; the figures are whole (B's 1,200/year is 100 a month).
    assert run.stdout.count("2024-05") == run.stdout.count("Revenue (") >= 2
    for figure in ("grr_12m", "ltv", "200.00", "-100.00", "50.0%"):
        assert figure in run.stdout
