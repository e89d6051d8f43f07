"""An account named by id must exist: every service taking one account checks it once (services.accounts.
require_known), so each adapter refuses an unknown id instead of answering with an empty table."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tenure import Workspace
from tenure.errors import UsageError
from tests.conftest import put_rows


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    put_rows(workspace, "accounts", [{"account_id": "acc_000042", "name": "Acme", "created_at": "2024-01-01 00:00:00"}])
    return workspace


UNKNOWN = "unknown account 'nosuch'; `tenure accounts` lists them"


@pytest.mark.parametrize("call", [
    lambda ws: ws.movements_expr("nosuch"),
    lambda ws: ws.milestones_expr(account_id="nosuch"),
    lambda ws: ws.health_history_expr("nosuch"),
    lambda ws: ws.stage_history_expr("nosuch"),
    lambda ws: ws.tasks(account_id="nosuch"),
    lambda ws: ws.notes("nosuch"),
    lambda ws: ws.add_task("nosuch", "Call"),
    lambda ws: ws.add_note("nosuch", "Called"),
], ids=["movements", "milestones", "health_history", "stage_history", "tasks", "notes", "add_task", "add_note"])
def test_an_unknown_account_is_a_usage_error(ws: Workspace, call):
    with pytest.raises(UsageError) as raised:
        call(ws)
    assert str(raised.value) == UNKNOWN


def test_a_typo_of_a_known_account_names_it(ws: Workspace):
    # acc_00042 is acc_000042 with one zero missing: an edit distance of 1.
    with pytest.raises(UsageError, match=r"^unknown account 'acc_00042'; did you mean 'acc_000042'\?$"):
        ws.add_task("acc_00042", "Call")


def test_a_known_account_takes_tasks_and_notes(ws: Workspace):
    ws.add_task("acc_000042", "Call")
    ws.add_note("acc_000042", "Called")
    assert [t.title for t in ws.tasks(account_id="acc_000042")] == ["Call"]
    assert [n.body for n in ws.notes("acc_000042")] == ["Called"]


def test_a_due_day_in_the_past_is_refused(ws: Workspace):
    yesterday = ws.today() - timedelta(days=1)
    with pytest.raises(UsageError) as raised:
        ws.add_task("acc_000042", "Call", due_on=yesterday)
    assert str(raised.value) == f"due_on {yesterday} is in the past (today is {ws.today()}); a task is due today or later"


def test_a_task_due_today_is_accepted_and_not_overdue(ws: Workspace):
    ws.add_task("acc_000042", "Call", due_on=ws.today())
    assert [row["overdue"] for row in ws.task_rows(ws.tasks())] == [False]


def test_an_open_task_past_its_due_day_is_overdue_and_a_done_one_is_not(ws: Workspace):
    from tenure.services.tasks import rows

    due = date(2026, 3, 10)
    ws.add_task("acc_000042", "Open", due_on=ws.today())
    done = ws.add_task("acc_000042", "Done", due_on=ws.today())
    ws.complete_task(done.id)
    found = ws.tasks(status="all")
    for task in found:  # due on 2026-03-10, read on the 11th: one day late
        task.due_on = due
    assert [(r["title"], r["overdue"]) for r in rows(found, today=date(2026, 3, 11))] == [("Open", True), ("Done", False)]
    assert [r["overdue"] for r in rows(found, today=due)] == [False, False]
