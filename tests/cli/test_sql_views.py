"""`--sql` on the views made of several queries (`tenure account`, `tenure health why`) and on the journey:
each section's SQL, headed by its name, run by the engine gives the rows `--json` shows. The company:
account A (100/month since January 2024) logged in on 10, 11 and 12 March 2024; B never paid."""

from pathlib import Path

import pytest

from tenure import Workspace
from tests.cli.runner import tenure

AS_OF = "2024-03-31"


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cli-sql-views")
    tenure("init", folder / "ws")
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
