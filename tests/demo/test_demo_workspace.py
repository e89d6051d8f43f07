"""The demo workspace shows the platform working: its playbooks have already acted (open tasks for
the account owners), and it holds a proposed scorecard to diff."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tenure import Workspace
from tenure.config import Settings, read_settings
from tests.conftest import copy_workspace

pytestmark = pytest.mark.slow
END = date(2026, 6, 30)
DEMO_PLAYBOOKS = {"renewal-at-risk", "turned-red", "expansion-moment"}


@pytest.fixture
def ws(demo_folder, tmp_path: Path):
    built = demo_folder(accounts=40, months=12, seed=11, end=END)  # the leakage tests' company
    workspace = Workspace.open(copy_workspace(built, tmp_path / "demo"))
    yield workspace
    workspace.close()


def test_the_demo_enables_playbooks_that_need_no_outside_service(ws):
    enabled = [p for p in ws.settings.playbooks.rules if p.enabled]
    assert {p.name for p in enabled} == DEMO_PLAYBOOKS
    assert {a.type for p in enabled for a in p.actions} == {"task"}
    assert ws.settings.playbooks.smtp is None


def test_a_fresh_demo_has_open_tasks_for_the_account_owners(ws):
    tasks = ws.tasks()
    assert len(tasks) > 0
    assert {t.playbook for t in tasks} <= DEMO_PLAYBOOKS
    accounts = ws.warehouse.table("accounts").select("account_id", "owner").to_pyarrow().to_pylist()
    owner_of = {row["account_id"]: row["owner"] for row in accounts}
    assert all(t.owner == owner_of[t.account_id] for t in tasks)


def test_the_demo_ran_its_playbooks_as_of_its_last_day(ws):
    # Every match on that day already has its open task, so nothing fires again.
    outcomes = ws.run_playbooks(as_of=END, dry_run=True)
    assert len(outcomes) == len(ws.tasks())
    assert {o.outcome for o in outcomes} == {"deduplicated"}


def test_proposed_toml_changes_three_things_in_the_default_scorecard(ws):
    proposed = read_settings(ws.path / "proposed.toml").health.model_dump()
    current = Settings().health.model_dump()
    categories = current["scorecards"][0]["categories"]
    assert [c["name"] for c in categories][-1] == "engagement"
    categories.pop()  # email engagement no longer counts
    categories[0]["weight"] = 40.0  # usage: 30 -> 40
    current["green_from"] = 75.0  # 70 -> 75
    assert proposed == current



def test_before_the_first_refresh_with_health_the_tour_account_has_a_score_and_no_trend(ws):
    # The demo's build refreshes without the health history; `tenure account` must still work on it.
    why = ws.health_why("acc_000001", as_of=END)
    assert why["score"] is not None
    assert why["trend"] == []
