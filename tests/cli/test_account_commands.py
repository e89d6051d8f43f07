"""`tenure accounts` and `tenure account ID` through the real entry point, on one small company as of
31 March 2024: account A (100/month) logged in on 10, 11 and 12 March; B never did."""

from pathlib import Path

import pytest

from tests.cli.runner import tenure
from tests.conftest import copy_workspace

# Each test starts `tenure` in a subprocess (end to end).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ws(tmp_path_factory, workspace_template) -> Path:
    folder = tmp_path_factory.mktemp("cli-accounts")
    copy_workspace(workspace_template, folder / "ws")  # a new workspace, as `tenure init` makes
    (folder / "accounts.csv").write_text("account_id,name,created_at\nA,Acme,2024-01-01\nB,Beta,2024-02-01\n")
    (folder / "subs.csv").write_text(
        "subscription_id,account_id,start_date,end_date,amount,currency,interval_months\ns1,A,2024-01-01,,100.00,USD,1\n"
    )
    (folder / "events.csv").write_text(
        "event_id,account_id,user_id,event,timestamp\n"
        "e1,A,u1,login,2024-03-10 09:00\ne2,A,u1,login,2024-03-11 09:00\ne3,A,u2,login,2024-03-12 09:00\n"
    )
    for table, file in (("accounts", "accounts.csv"), ("subscriptions", "subs.csv"), ("events", "events.csv")):
        assert tenure("-w", folder / "ws", "load", table, folder / file).code == 0
    assert tenure("-w", folder / "ws", "refresh").code == 0
    return folder / "ws"


def test_accounts_json_sorted_and_filtered(ws: Path):
    run = tenure("-w", ws, "accounts", "--as-of", "2024-03-31", "--sort", "active_days_30d", "--desc", "--json")
    assert run.code == 0, run.stderr
    assert [(r["account_id"], r["active_days_30d"], r["active_users_30d"], r["tier"], r["mrr"]) for r in run.json()] == [
        ("A", 3, 2, "casual", 100), ("B", 0, 0, "dormant", 0),
    ]
    run = tenure("-w", ws, "accounts", "--as-of", "2024-03-31", "--tier", "dormant", "--csv")
    assert run.stdout.splitlines()[1].startswith("B,Beta,")


def test_an_unknown_sort_column_is_a_usage_error_listing_the_columns(ws: Path):
    run = tenure("-w", ws, "accounts", "--sort", "happiness")
    assert run.code == 2
    assert "unknown column 'happiness'; the columns are: account_id, name" in run.stderr


def test_account_summary_has_its_sections_and_json(ws: Path):
    run = tenure("-w", ws, "account", "A", "--as-of", "2024-03-31")
    assert run.code == 0, run.stderr
    for section in ("Acme (A)", "Revenue", "Usage", "Engagement and voice", "Tickets", "Milestones"):
        assert section in run.stdout
    data = tenure("-w", ws, "account", "A", "--as-of", "2024-03-31", "--json").json()
    assert (data["as_of"], data["account"]["logins_30d"], [m["kind"] for m in data["movements"]]) == ("2024-03-31", 3, ["new"])
    assert tenure("-w", ws, "account", "Z").code == 2


def test_daily_usage_by_account_as_json(ws: Path):
    run = tenure("-w", ws, "metrics", "usage-daily", "--from", "2024-03-11", "--to", "2024-03-12", "--by", "account_id",
                 "--json")
    assert run.code == 0, run.stderr
    assert [(r["day"], r["account_id"], r["dau"], r["wau"], r["mau"]) for r in run.json()] == [
        ("2024-03-11", "A", 1, 1, 1), ("2024-03-12", "A", 1, 2, 2),  # u1 on the 10th and 11th, u2 on the 12th
    ]
