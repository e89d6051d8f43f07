"""`tenure accounts` and `tenure account ID` through the real entry point, on one small company as of
31 March 2024: account A (100/month) logged in on 10, 11 and 12 March; B never did."""

from pathlib import Path

import pytest

from tenure import Workspace
from tests.cli.runner import tenure
from tests.conftest import copy_workspace

# Each test starts `tenure` in a subprocess (end to end).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ws(tmp_path_factory, workspace_template) -> Path:
    folder = tmp_path_factory.mktemp("cli-accounts")
    copy_workspace(workspace_template, folder / "ws")  # a new workspace, as `tenure init` makes
    # `tenure refresh` keeps histories that end today, long after these facts: one day of each is
    # enough here, instead of a replay of 40 days' signals.
    config = folder / "ws" / "tenure.toml"
    text = config.read_text().replace("history_days = 90", "history_days = 0").replace("history_days = 365", "history_days = 1")
    config.write_text(text)
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


def test_the_account_360_shows_its_open_tasks_and_its_notes(ws: Path):
    open_task = tenure("-w", ws, "task", "add", "B", "Call about the renewal", "--owner", "ana", "--json").json()
    closed = tenure("-w", ws, "task", "add", "B", "Send the invoice", "--json").json()
    assert tenure("-w", ws, "task", "done", str(closed["id"])).code == 0
    assert tenure("-w", ws, "note", "B", "Asked for a discount", "--author", "ana").code == 0
    run = tenure("-w", ws, "account", "B", "--as-of", "2024-03-31")
    assert run.code == 0, run.stderr
    assert "Open tasks  1" in run.stdout and "Call about the renewal" in run.stdout and "Send the invoice" not in run.stdout
    assert "Notes  1" in run.stdout and "Asked for a discount" in run.stdout
    data = tenure("-w", ws, "account", "B", "--as-of", "2024-03-31", "--json").json()
    assert [(t["id"], t["title"], t["owner"]) for t in data["tasks"]] == [(open_task["id"], "Call about the renewal", "ana")]
    assert [(n["body"], n["author"]) for n in data["notes"]] == [("Asked for a discount", "ana")]


def test_daily_usage_by_account_as_json(ws: Path):
    run = tenure("-w", ws, "metrics", "usage-daily", "--from", "2024-03-11", "--to", "2024-03-12", "--by", "account_id",
                 "--json")
    assert run.code == 0, run.stderr
    assert [(r["day"], r["account_id"], r["dau"], r["wau"], r["mau"]) for r in run.json()] == [
        ("2024-03-11", "A", 1, 1, 1), ("2024-03-12", "A", 1, 2, 2),  # u1 on the 10th and 11th, u2 on the 12th
    ]


# --sql on the views made of several queries (`tenure account`, `tenure health why`) and on the journey:
# each section's SQL, headed by its name, run by the engine gives the rows `--json` shows.
AS_OF = "2024-03-31"


def sections(printed: str) -> dict[str, str]:
    """'-- name\\nSQL;\\n\\n' blocks, by name."""
    found = {}
    for block in printed.strip().split(";\n\n"):
        head, _, sql = block.partition("\n")
        assert head.startswith("-- "), block[:80]
        found[head.removeprefix("-- ")] = sql.rstrip(";")
    return found


def run_sql(folder: Path, sql: str) -> list[tuple]:
    with Workspace.open(folder, read_only=True) as opened:
        return opened.warehouse.raw.execute(sql).fetchall()


def test_account_sql_has_every_section_of_the_view_and_the_health_why(ws: Path):
    run = tenure("-w", ws, "account", "A", "--as-of", AS_OF, "--sql")
    assert run.code == 0, run.stderr
    assert list(sections(run.stdout)) == [
        "profile", "movements", "usage_by_month", "tickets", "surveys", "milestones",
        "health score", "health categories", "health measures", "health trend",
    ]


def test_account_sql_computes_the_rows_the_json_shows(ws: Path):
    printed = sections(tenure("-w", ws, "account", "A", "--as-of", AS_OF, "--sql").stdout)
    shown = tenure("-w", ws, "account", "A", "--as-of", AS_OF, "--json").json()
    assert [row[0] for row in run_sql(ws, printed["profile"])] == ["A"]
    assert len(run_sql(ws, printed["movements"])) == len(shown["movements"]) == 1  # A's one new movement
    assert len(run_sql(ws, printed["usage_by_month"])) == len(shown["usage_by_month"])


def test_health_why_sql_scores_the_account(ws: Path):
    printed = sections(tenure("-w", ws, "health", "why", "A", "--as-of", AS_OF, "--sql").stdout)
    shown = tenure("-w", ws, "health", "why", "A", "--as-of", AS_OF, "--json").json()
    assert list(printed) == ["score", "categories", "measures", "trend"]
    score = run_sql(ws, printed["score"])
    assert len(score) == 1 and shown["score"]["account_id"] == "A"
    assert len(run_sql(ws, printed["measures"])) == len(shown["measures"])


def test_journey_sql_lists_the_accounts_the_json_lists(ws: Path):
    sql = tenure("-w", ws, "journey", "--as-of", AS_OF, "--sql").stdout
    shown = tenure("-w", ws, "journey", "--as-of", AS_OF, "--json").json()
    assert sorted(row[0] for row in run_sql(ws, sql)) == sorted(r["account_id"] for r in shown) == ["A", "B"]


def test_a_core_error_names_the_flag_on_the_command_line(ws: Path):
    run = tenure("-w", ws, "metrics", "revenue", "--from", "2024-03", "--to", "2024-01")
    assert run.code == 2
    assert run.stderr.strip() == "error: --from 2024-03 is after --to 2024-01"


def test_a_core_error_names_the_parameter_in_python(ws: Path):
    with Workspace.open(ws, read_only=True) as opened, pytest.raises(Exception) as raised:
        opened.revenue("2024-03", "2024-01")
    assert str(raised.value) == "start 2024-03 is after end 2024-01"
