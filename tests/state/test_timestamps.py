"""Instants are stored and read back as timezone-aware UTC on every backend."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import StatementError

from tenure.state import StateStore
from tenure.state.models import PlaybookRun
from tenure.state.notes import add_note, list_notes
from tenure.state.tasks import create_task, list_tasks

BERLIN_SUMMER = timezone(timedelta(hours=2))


def test_an_instant_written_in_another_zone_reads_back_in_utc(store: StateStore):
    with store.session() as session:
        add_note(session, account_id="acc_1", body="x", now=datetime(2026, 7, 1, 9, 30, 15, tzinfo=BERLIN_SUMMER))
    with store.session() as session:
        (note,) = list_notes(session, account_id="acc_1")
    assert note.created_at == datetime(2026, 7, 1, 7, 30, 15, tzinfo=timezone.utc)
    assert note.created_at.tzinfo is timezone.utc


def test_microseconds_survive_the_round_trip(store: StateStore):
    with store.session() as session:
        add_note(session, account_id="acc_1", body="x", now=datetime(2026, 1, 1, 0, 0, 0, 123456, tzinfo=timezone.utc))
    with store.session() as session:
        assert list_notes(session, account_id="acc_1")[0].created_at.microsecond == 123456


def test_a_naive_instant_is_refused(store: StateStore):
    with pytest.raises(StatementError, match="has no time zone"):
        with store.session() as session:
            session.add(PlaybookRun(playbook="p", account_id="acc_1", fired_at=datetime(2026, 1, 1), outcome="x"))


def test_a_due_day_is_a_date_without_time(store: StateStore):
    with store.session() as session:
        create_task(session, account_id="acc_1", title="Call", due_on=date(2026, 12, 31))
    with store.session() as session:
        assert list_tasks(session)[0].due_on == date(2026, 12, 31)
