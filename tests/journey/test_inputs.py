"""The signals the journey adds to each account before its rules run: ever_paid, on_trial,
in_renewal_window and promoter_after_milestone."""

from __future__ import annotations

from datetime import date, datetime, timezone

import ibis
import pytest

from tenure.journey import journey_inputs
from tenure.warehouse.refresh import refresh
from tests.conftest import put_rows
from tests.journey.conftest import account
from tests.metrics.rows import sub


def inputs(ws, as_of: date, **signals) -> dict:
    """The journey inputs of account a over a literal one-row signals table (extra signals are whole days)."""
    signals = {"days_to_renewal": None, **signals}  # every signals table has it (tenure.signals)
    schema = {"account_id": "string", "created_at": "timestamp('UTC')", **{name: "int64" for name in signals}}
    base = ibis.memtable([{"account_id": "a", "created_at": datetime(2024, 1, 1, tzinfo=timezone.utc), **signals}],
                         schema=schema)
    events, journey = ws.settings.events, ws.settings.journey
    refresh(ws.warehouse, events=events, journey=journey)  # milestones read _event_firsts
    return journey_inputs(ws.warehouse, base, as_of, events=events, journey=journey).to_pyarrow().to_pylist()[0]


@pytest.fixture
def trial_then_paid(workspace):
    # A 14-day trial from 1 January, then paid from 15 January to 12 February.
    put_rows(workspace, "accounts", [account("a")])
    put_rows(workspace, "subscriptions", [sub("t", "a", "2024-01-01", "2024-01-15", amount="0", trial=True),
                                          sub("p", "a", "2024-01-15", "2024-02-12")])
    return workspace


@pytest.mark.parametrize(("as_of", "on_trial", "ever_paid"), [
    (date(2023, 12, 31), False, False),  # before anything started
    (date(2024, 1, 14), True, False),    # the trial's last day
    (date(2024, 1, 15), False, True),    # the trial ended as the paid row started
    (date(2024, 3, 1), False, True),     # churned: paid once
])
def test_on_trial_and_ever_paid_follow_the_subscription_rows(trial_then_paid, as_of, on_trial, ever_paid):
    found = inputs(trial_then_paid, as_of)
    assert (found["on_trial"], found["ever_paid"]) == (on_trial, ever_paid)


def test_a_trial_row_beside_a_live_paid_row_is_not_a_trial(workspace):
    put_rows(workspace, "accounts", [account("a")])
    put_rows(workspace, "subscriptions", [sub("t", "a", "2024-01-01", "2024-02-01", amount="0", trial=True),
                                          sub("p", "a", "2024-01-10")])
    assert inputs(workspace, date(2024, 1, 20))["on_trial"] is False


@pytest.mark.parametrize(("days", "inside"), [(-1, False), (0, True), (90, True), (91, False), (None, False)])
def test_the_renewal_window_is_0_to_90_days_before_a_renewal(workspace, days, inside):
    put_rows(workspace, "accounts", [account("a")])
    found = inputs(workspace, date(2024, 3, 1), days_to_renewal=days)
    assert found["in_renewal_window"] is inside


def test_the_renewal_window_is_a_setting(workspace, configure):
    put_rows(workspace, "accounts", [account("a")])
    ws = configure(workspace, renewal_window_days=30)
    assert inputs(ws, date(2024, 3, 1), days_to_renewal=31)["in_renewal_window"] is False


def test_without_milestones_configured_an_account_is_on_track(workspace, configure):
    put_rows(workspace, "accounts", [account("a")])
    found = inputs(configure(workspace, milestones=[]), date(2024, 3, 1))
    assert (found["milestones_applicable"], found["milestone_progress"], found["journey_status"]) == (0, None, "on_track")


def nps(score: int, at: str, response_id: str = "r1") -> dict:
    return {"response_id": response_id, "account_id": "a", "kind": "nps", "score": score, "responded_at": at}


@pytest.mark.parametrize(("answers", "expected"), [
    ([nps(9, "2024-02-20")], True),                                   # a promoter after go-live (20 January)
    ([nps(8, "2024-02-20")], False),                                  # a passive
    ([nps(10, "2024-01-19")], False),                                 # a promoter before go-live
    ([nps(10, "2024-01-31")], False),                                 # a promoter 31 days before as_of: not recent
    ([nps(10, "2024-02-20"), nps(6, "2024-02-25", "r2")], False),     # the latest answer decides
])
def test_promoter_after_milestone(workspace, configure, answers, expected):
    put_rows(workspace, "accounts", [account("a")])
    put_rows(workspace, "milestones", [{"account_id": "a", "milestone": "go_live", "achieved_at": "2024-01-20 10:00"}])
    put_rows(workspace, "surveys", answers)
    ws = configure(workspace, milestones=[dict(name="go_live", milestone="go_live", expected_days=90)])
    # As of 1 March the last 30 days are 1 February .. 1 March.
    assert inputs(ws, date(2024, 3, 1))["promoter_after_milestone"] is expected
