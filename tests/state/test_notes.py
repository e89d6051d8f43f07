"""Notes on an account, read back as a timeline."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tenure.errors import UsageError
from tenure.state import StateStore
from tenure.state.notes import add_note, list_notes


def test_an_accounts_notes_list_oldest_first_and_only_its_own(store: StateStore):
    with store.session() as session:
        add_note(session, account_id="acc_1", body="second", now=datetime(2026, 3, 2, tzinfo=timezone.utc))
        add_note(session, account_id="acc_2", body="other account")
        add_note(session, account_id="acc_1", body="first", author="ana", now=datetime(2026, 3, 1, tzinfo=timezone.utc))
    with store.session() as session:
        found = [(n.body, n.author) for n in list_notes(session, account_id="acc_1")]
    assert found == [("first", "ana"), ("second", None)]


def test_a_note_gets_an_id_when_added(store: StateStore):
    with store.session() as session:
        assert add_note(session, account_id="acc_1", body="hello").id == 1


def test_an_empty_note_is_refused(store: StateStore):
    with pytest.raises(UsageError, match="a note needs some text"):
        with store.session() as session:
            add_note(session, account_id="acc_1", body="  ")
