"""Playbook runs on both state databases with hostile text: an account name of 600 characters or with a NUL
byte, an account id longer than the column, a task lost to another run at the insert. The same outcome
on SQLite and PostgreSQL, and one bad account never stops the others."""

from __future__ import annotations

import sys
from datetime import datetime, timezone

import ibis
import pyarrow as pa
import pytest

from tenure.config.playbooks import PlaybooksSettings
from tenure.errors import UsageError
from tenure.playbooks import evaluate, run
from tenure.state import StateStore
from tenure.state.models import PlaybookRun, Task
from tenure.state.tasks import create_task

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
CALL = PlaybooksSettings.model_validate({"rules": [{
    "name": "call", "when": "mrr > 0", "cooldown_days": 0,
    "actions": [{"type": "task", "title": "Call {name}", "owner": "cs@example.com"}],
}]})


def _signals(ids: list[str], names: list[str]) -> ibis.Table:
    data = pa.table({"account_id": ids, "name": names, "mrr": [100.0] * len(ids)})
    return ibis.duckdb.connect().create_table("signals", data)


def _tasks(store: StateStore) -> list[tuple[str, str]]:
    with store.session() as session:
        return [(t.account_id, t.title) for t in session.query(Task).order_by(Task.account_id)]


def _runs(store: StateStore) -> list[tuple[str, str]]:
    with store.session() as session:
        return [(r.account_id, r.outcome) for r in session.query(PlaybookRun).order_by(PlaybookRun.account_id)]


def test_a_title_over_500_characters_is_cut_to_500_and_every_account_gets_its_task(store: StateStore):
    signals = _signals(["A", "B", "C"], ["Acme", "L" * 600, "Cyan"])
    outcomes = run(store, evaluate(CALL, signals), settings=CALL, now=NOW)
    assert [o.outcome for o in outcomes] == ["fired", "fired", "fired"]
    titles = dict(_tasks(store))
    assert titles["A"] == "Call Acme" and titles["C"] == "Call Cyan"
    # "Call " and 494 of the 600 L, then the ellipsis: 500 characters.
    assert titles["B"] == "Call " + "L" * 494 + "…" and len(titles["B"]) == 500


def test_a_nul_byte_in_an_account_name_is_dropped_from_its_title(store: StateStore):
    signals = _signals(["A", "B"], ["Ac\x00me", "Beta"])
    run(store, evaluate(CALL, signals), settings=CALL, now=NOW)
    assert _tasks(store) == [("A", "Call Acme"), ("B", "Call Beta")]


def test_an_account_the_database_refuses_fails_alone(store: StateStore):
    # playbook_runs.account_id holds 200 characters: this id cannot be recorded on either database.
    long_id = "X" * 201
    signals = _signals(["A", long_id, "C"], ["Acme", "Long", "Cyan"])
    outcomes = {o.account_id: o for o in run(store, evaluate(CALL, signals), settings=CALL, now=NOW)}
    assert (outcomes["A"].outcome, outcomes["C"].outcome) == ("fired", "fired")
    assert outcomes[long_id].outcome == "failed"
    assert outcomes[long_id].detail == "nothing written: playbook_runs.account_id has 201 characters; at most 200"
    assert _tasks(store) == [("A", "Call Acme"), ("C", "Call Cyan")]
    assert _runs(store) == [("A", "fired"), ("C", "fired")]


def test_a_task_lost_to_another_run_at_the_insert_is_deduplicated_and_not_recorded(store: StateStore, monkeypatch):
    fires = evaluate(CALL, _signals(["A", "B"], ["Acme", "Beta"]))
    # Another run created A's task after this one read the open tasks (its read saw none).
    with store.session() as session:
        create_task(session, account_id="A", title="Call Acme", playbook="call", now=datetime(2026, 11, 22, tzinfo=timezone.utc))
    monkeypatch.setattr(sys.modules["tenure.playbooks.run"], "_state_of", lambda session, names: ({}, {}))
    outcomes = {o.account_id: o for o in run(store, fires, settings=CALL, now=NOW)}
    assert (outcomes["A"].outcome, outcomes["A"].detail, outcomes["A"].run_id) == ("deduplicated", "task 1 is still open", None)
    assert outcomes["B"].outcome == "fired"
    assert _runs(store) == [("B", "fired")]  # the skip is not recorded, on either database


@pytest.mark.parametrize(("field", "value", "message"), [
    ("title", "T" * 501, "tasks.title has 501 characters; at most 500"),
    ("title", "Call\x00me", "tasks.title holds a NUL character, which the state database cannot store"),
])
def test_a_manual_task_with_text_the_column_cannot_hold_is_refused_alike(store: StateStore, field, value, message):
    with pytest.raises(UsageError, match=f"^{message}$"), store.session() as session:
        create_task(session, account_id="A", **{field: value})
    assert _tasks(store) == []
