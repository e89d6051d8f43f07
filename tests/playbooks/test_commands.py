"""`tenure playbooks ...` through the real entry point, on one small company as of 31 March 2024:

    account  owner            subscription                    last active   risks
    A Acme   ana@example.com  1,200/year from 2023-05-15      1 March       gone_quiet, stalled_onboarding
    B Beta   bo@example.com   50/month from 2024-01-01        30 March      none

A renews on 15 May 2024, 45 days after 31 March, with 2 risks, so the example `renewal-at-risk`
(`mrr > 0 and days_to_renewal <= 60 and risk_count >= 2`) fires for A alone. B is billed monthly:
no renewal date, so it cannot fire."""

from pathlib import Path

import pytest

from tenure import Workspace
from tests.cli.runner import tenure
from tests.conftest import copy_workspace

pytestmark = pytest.mark.slow
AS_OF = ("--as-of", "2024-03-31")
TITLE = "Renewal at risk: Acme renews in 45 days"
BODY = "2 risks; 0 active users in 30 days, NPS n/a, MRR 100."


@pytest.fixture(scope="module")
def company(tmp_path_factory, workspace_template) -> Path:
    """The company above, loaded and refreshed, with `renewal-at-risk` enabled; closed, to be copied."""
    folder = tmp_path_factory.mktemp("cli-playbooks")
    files = {
        "accounts": "account_id,name,owner,created_at\nA,Acme,ana@example.com,2024-01-01\nB,Beta,bo@example.com,2024-01-01\n",
        "subscriptions": "subscription_id,account_id,start_date,end_date,amount,currency,interval_months\n"
                         "s1,A,2023-05-15,,1200.00,USD,12\ns2,B,2024-01-01,,50.00,USD,1\n",
        "events": "event_id,account_id,user_id,event,timestamp\ne1,A,u1,login,2024-03-01 09:00\ne2,B,u2,login,2024-03-30 09:00\n",
    }
    ws = copy_workspace(workspace_template, folder / "ws")
    with Workspace.open(ws) as opened:
        for table, text in files.items():
            (folder / f"{table}.csv").write_text(text)
            opened.load(table, [folder / f"{table}.csv"], strict=True)
        opened.refresh()
    config = ws / "tenure.toml"
    config.write_text(config.read_text().replace("enabled = false", "enabled = true", 1))  # the first example
    return ws


@pytest.fixture
def ws(company: Path, tmp_path: Path) -> Path:
    return copy_workspace(company, tmp_path / "ws")  # runs write tasks: each test has its own


def test_a_new_workspace_lists_the_two_examples_disabled(workspace_folder: Path):
    listed = tenure("-w", workspace_folder, "playbooks", "list", "--json")
    assert listed.code == 0, listed.stderr
    assert [(p["name"], p["enabled"], p["when"]) for p in listed.json()] == [
        ("renewal-at-risk", False, "mrr > 0 and days_to_renewal <= 60 and risk_count >= 2"),
        ("gone-quiet", False, "risk_gone_quiet"),
    ]


def test_a_dry_run_with_every_playbook_disabled_says_so(workspace_folder: Path):
    run = tenure("-w", workspace_folder, "playbooks", "run", "--dry-run")
    assert (run.code, run.stderr) == (0, "")
    assert " ".join(run.stdout.split()) == (
        "No playbook is enabled (2 defined: renewal-at-risk, gone-quiet), so nothing was evaluated; "
        "set enabled = true on one in tenure.toml (docs/playbooks.md).")


def test_the_shipped_digest_playbook_enabled_dry_runs_without_a_mail_server(ws: Path):
    config = ws / "tenure.toml"
    config.write_text(config.read_text().replace("enabled = false", "enabled = true"))  # gone-quiet too
    dry = tenure("-w", ws, "playbooks", "run", "--dry-run", *AS_OF, "--json")
    assert dry.code == 0, dry.stderr
    assert sorted((o["playbook"], o["account_id"]) for o in dry.json()) == [("gone-quiet", "A"), ("renewal-at-risk", "A")]


def test_a_dry_run_says_what_would_fire_and_why_and_writes_nothing(ws: Path):
    dry = tenure("-w", ws, "playbooks", "run", "--dry-run", *AS_OF, "--json")
    assert dry.code == 0, dry.stderr
    assert [(o["playbook"], o["account_id"], o["outcome"], o["dry_run"], o["why"]) for o in dry.json()] == [
        ("renewal-at-risk", "A", "fired", True, {"mrr": 100, "days_to_renewal": 45, "risk_count": 2}),
    ]
    assert [{k: a[k] for k in ("type", "title", "body", "owner", "priority")} for a in dry.json()[0]["actions"]] == [
        {"type": "task", "title": TITLE, "body": BODY, "owner": "ana@example.com", "priority": "high"},
    ]
    assert tenure("-w", ws, "tasks", "--json").json() == []


def test_a_run_creates_the_owners_task_once(ws: Path):
    assert tenure("-w", ws, "playbooks", "run", *AS_OF, "--json").code == 0
    tasks = tenure("-w", ws, "tasks", "--json").json()
    assert [(t["account_id"], t["title"], t["body"], t["owner"], t["source"], t["playbook"]) for t in tasks] == [
        ("A", TITLE, BODY, "ana@example.com", "playbook", "renewal-at-risk"),
    ]
    again = tenure("-w", ws, "playbooks", "run", "--dry-run", *AS_OF, "--json").json()
    assert [(o["account_id"], o["outcome"], o["detail"]) for o in again] == [("A", "deduplicated", "task 1 is still open")]


def test_a_task_is_neither_a_digest_item_nor_a_delivery(ws: Path):
    assert tenure("-w", ws, "playbooks", "run", *AS_OF, "--json").code == 0
    assert tenure("-w", ws, "playbooks", "digest", "--dry-run", "--json").json() == []
    assert tenure("-w", ws, "playbooks", "deliveries", "--json").json() == []


def test_a_playbook_problem_is_one_line_per_problem_with_its_line(workspace_folder: Path):
    ws = workspace_folder
    config = ws / "tenure.toml"
    config.write_text(config.read_text().replace('when = "risk_gone_quiet"', 'when = "risk_gone_qiuet or nps"'))
    found = tenure("-w", ws, "playbooks", "list")
    assert found.code == 4
    assert "unknown signal 'risk_gone_qiuet'" not in found.stderr  # risk_ names are taken by prefix...
    assert "'or' at column 17 needs true/false on both sides, but nps is a number" in found.stderr  # ...types are not
