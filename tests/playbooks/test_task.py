"""The task action, and deduplication: one open task per playbook and account."""

from datetime import date, timedelta

from tenure.playbooks import evaluate, run
from tenure.state.models import PlaybookRun, Task
from tenure.state.tasks import complete_task
from tests.playbooks.conftest import NOW, rows, settings

RENEWAL = {
    "name": "renewal", "when": 'band == "red" and mrr > 0', "cooldown_days": 0,
    "actions": [{"type": "task", "title": "{name} renews in {days_to_renewal} days",
                 "body": "NPS {nps}, MRR {mrr:,.0f}", "due_in_days": 7, "priority": "high"}],
}


def test_a_task_is_created_with_its_templates_filled_in(store, signals):
    config = settings(RENEWAL)
    [outcome] = run(store, evaluate(config, signals), settings=config, now=NOW)
    [task] = rows(store, Task)
    assert (task["account_id"], task["title"], task["body"]) == ("acc_1", "Acme renews in 30 days", "NPS -20, MRR 1,200")
    assert (task["owner"], task["priority"], task["due_on"]) == ("ana@example.com", "high", date(2026, 11, 30))
    assert (task["source"], task["playbook"], task["status"]) == ("playbook", "renewal", "open")
    assert outcome.outcome == "fired" and outcome.actions[0]["task_id"] == task["id"]


def test_the_due_day_counts_from_the_workspace_day(store, signals):
    # 23:00 UTC on 23 November is noon on 24 November in Auckland (UTC+13 in its summer).
    config = settings(RENEWAL)
    late = NOW + timedelta(hours=14)
    run(store, evaluate(config, signals), settings=config, now=late, timezone="Pacific/Auckland")
    assert rows(store, Task)[0]["due_on"] == date(2026, 12, 1)


def test_an_owner_template_replaces_the_account_owner(store, signals):
    action = {**RENEWAL["actions"][0], "owner": "renewals@example.com"}
    config = settings({**RENEWAL, "actions": [action]})
    run(store, evaluate(config, signals), settings=config, now=NOW)
    assert rows(store, Task)[0]["owner"] == "renewals@example.com"


def test_a_second_run_while_the_task_is_open_creates_no_task(store, signals):
    config = settings(RENEWAL)
    run(store, evaluate(config, signals), settings=config, now=NOW)
    [again] = run(store, evaluate(config, signals), settings=config, now=NOW + timedelta(days=1))
    assert (again.outcome, again.detail) == ("deduplicated", "task 1 is still open")
    assert len(rows(store, Task)) == 1
    assert len(rows(store, PlaybookRun)) == 1  # skips are not recorded


def test_once_the_task_is_done_the_playbook_fires_again(store, signals):
    config = settings(RENEWAL)
    run(store, evaluate(config, signals), settings=config, now=NOW)
    with store.session() as session:
        complete_task(session, 1, now=NOW)
    [again] = run(store, evaluate(config, signals), settings=config, now=NOW + timedelta(hours=1))
    assert again.outcome == "fired"
    assert [t["status"] for t in rows(store, Task)] == ["done", "open"]
