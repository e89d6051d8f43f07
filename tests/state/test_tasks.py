"""Tasks: creating (with one open task per playbook and account), listing and completing."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy.exc import IntegrityError

from tenure.errors import UsageError
from tenure.state import StateStore
from tenure.state.models import Task
from tenure.state.tasks import complete_task, create_task, list_tasks

NOON = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def test_a_manual_task_starts_open_with_normal_priority(store: StateStore):
    with store.session() as session:
        task = create_task(session, account_id="acc_1", title="Call about the renewal")
    assert (task.id, task.status, task.priority, task.source, task.playbook, task.body) == (
        1, "open", "normal", "manual", None, ""
    )


def test_a_playbook_firing_again_gets_its_open_task_back(store: StateStore):
    with store.session() as session:
        first = create_task(session, account_id="acc_1", title="Usage dropped", playbook="usage-drop")
    with store.session() as session:
        again = create_task(session, account_id="acc_1", title="Usage dropped again", playbook="usage-drop")
        assert [t.title for t in list_tasks(session)] == ["Usage dropped"]
    assert again.id == first.id


def test_the_same_playbook_gets_one_task_per_account(store: StateStore):
    with store.session() as session:
        create_task(session, account_id="acc_1", title="Usage dropped", playbook="usage-drop")
        create_task(session, account_id="acc_2", title="Usage dropped", playbook="usage-drop")
        assert [t.account_id for t in list_tasks(session)] == ["acc_1", "acc_2"]


def test_manual_tasks_on_one_account_are_not_deduplicated(store: StateStore):
    with store.session() as session:
        create_task(session, account_id="acc_1", title="Call")
        create_task(session, account_id="acc_1", title="Call")
        assert [t.id for t in list_tasks(session)] == [1, 2]


def test_a_done_playbook_task_lets_the_playbook_open_a_new_one(store: StateStore):
    with store.session() as session:
        create_task(session, account_id="acc_1", title="Usage dropped", playbook="usage-drop")
        complete_task(session, 1)
    with store.session() as session:
        again = create_task(session, account_id="acc_1", title="Usage dropped", playbook="usage-drop")
    assert again.id == 2


def test_the_database_refuses_a_second_open_task_for_a_playbook_and_account(store: StateStore):
    # Bypasses create_task, as a concurrent writer that skipped the lookup would.
    with store.session() as session:
        create_task(session, account_id="acc_1", title="Usage dropped", playbook="usage-drop")
    with pytest.raises(IntegrityError, match="uq_tasks_open_playbook_account|UNIQUE constraint failed"):
        with store.session() as session:
            twin = Task(account_id="acc_1", title="Twin", source="playbook", playbook="usage-drop", created_at=NOON)
            session.add(twin)


def test_the_database_refuses_an_unknown_priority(store: StateStore):
    with pytest.raises(IntegrityError, match="ck_tasks_priority"):
        with store.session() as session:
            session.add(Task(account_id="acc_1", title="Call", priority="asap", created_at=NOON))


def test_an_unknown_priority_is_a_usage_error(store: StateStore):
    with pytest.raises(UsageError, match="priority 'asap' is not one of low, normal, high, urgent"):
        with store.session() as session:
            create_task(session, account_id="acc_1", title="Call", priority="asap")


def test_completing_a_task_records_when(store: StateStore):
    with store.session() as session:
        create_task(session, account_id="acc_1", title="Call")
    with store.session() as session:
        done = complete_task(session, 1, now=NOON)
    assert (done.status, done.completed_at) == ("done", NOON)


def test_completing_an_unknown_task_names_it(store: StateStore):
    with pytest.raises(UsageError, match=r"^no task 42;"):
        with store.session() as session:
            complete_task(session, 42)


def test_completing_a_task_twice_says_when_it_was_done(store: StateStore):
    with store.session() as session:
        create_task(session, account_id="acc_1", title="Call")
        complete_task(session, 1, now=NOON)
    with pytest.raises(UsageError, match=r"^task 1 is already done \(completed 2026-03-01 12:00 UTC\)$"):
        with store.session() as session:
            complete_task(session, 1)


def test_tasks_list_soonest_due_first_then_most_urgent(store: StateStore):
    with store.session() as session:
        create_task(session, account_id="acc_1", title="undated")
        create_task(session, account_id="acc_1", title="later", due_on=date(2026, 4, 1))
        create_task(session, account_id="acc_1", title="soon, low", due_on=date(2026, 3, 2), priority="low")
        create_task(session, account_id="acc_1", title="soon, urgent", due_on=date(2026, 3, 2), priority="urgent")
        assert [t.title for t in list_tasks(session)] == ["soon, urgent", "soon, low", "later", "undated"]


def test_tasks_filter_by_owner_account_and_status(store: StateStore):
    with store.session() as session:
        create_task(session, account_id="acc_1", title="a", owner="ana")
        create_task(session, account_id="acc_2", title="b", owner="ana")
        create_task(session, account_id="acc_1", title="c", owner="ben")
        create_task(session, account_id="acc_1", title="d", owner="ana")
        complete_task(session, 4)
        assert [t.title for t in list_tasks(session, owner="ana")] == ["a", "b"]
        assert [t.title for t in list_tasks(session, owner="ana", account_id="acc_1")] == ["a"]
        assert [t.title for t in list_tasks(session, status="done")] == ["d"]
        assert [t.title for t in list_tasks(session, status="all", account_id="acc_1")] == ["a", "c", "d"]


def test_an_unknown_status_filter_is_a_usage_error(store: StateStore):
    with pytest.raises(UsageError, match="status 'closed' is not one of open, done, dismissed, all"):
        with store.session() as session:
            list_tasks(session, status="closed")


def test_a_task_inserted_by_another_writer_after_the_lookup_is_returned(store: StateStore, monkeypatch):
    # The race create_task guards against: its lookup finds nothing, then the index refuses the insert
    # because another process committed the same task meanwhile. The first lookup is made blind here.
    from tenure.state import tasks

    with store.session() as session:
        create_task(session, account_id="acc_1", title="Usage dropped", playbook="usage-drop")
    real = tasks._open_playbook_task
    lookups = iter([lambda *args: None])
    monkeypatch.setattr(tasks, "_open_playbook_task", lambda *args: next(lookups, real)(*args))
    with store.session() as session:
        again = create_task(session, account_id="acc_1", title="Usage dropped", playbook="usage-drop")
        assert (again.id, len(list_tasks(session))) == (1, 1)
