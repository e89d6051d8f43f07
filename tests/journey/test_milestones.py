"""Success milestones: when each is reached, and its status against its expected time.

Every account below was created on 1 January 2024 at midnight (UTC), so as of a day its age in days is
that day's distance from 1 January: 31 January is day 30, 1 March day 60."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from tenure.journey import account_milestones, milestone_status
from tests.conftest import put_rows
from tests.journey.conftest import account

THREE_REPORTS = dict(name="three_reports", events=["report_created", "report_shared"], min_count=3, within_days=10,
                     expected_days=14)
GO_LIVE = dict(name="live", milestone="go_live", expected_days=30)


def reports(*instants: str, event: str = "report_created", account_id: str = "a") -> list[dict]:
    return [{"account_id": account_id, "user_id": "u", "event": event, "timestamp": at} for at in instants]


def load(ws, *timelines, milestones=()):
    put_rows(ws, "accounts", [account("a"), account("b")])
    rows = [row for timeline in timelines for row in timeline]
    if rows:
        put_rows(ws, "events", [{"event_id": f"e{n}", **row} for n, row in enumerate(rows)])
    if milestones:
        put_rows(ws, "milestones", [{"account_id": a, "milestone": m, "achieved_at": at} for a, m, at in milestones])


def statuses(ws, as_of: date):
    return milestone_status(ws.warehouse, as_of, events=ws.settings.events, journey=ws.settings.journey)


def status(ws, as_of: date, account_id: str = "a") -> dict[str, dict]:
    rows = statuses(ws, as_of).to_pyarrow().to_pylist()
    return {r["milestone"]: r for r in rows if r["account_id"] == account_id}


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


def test_a_functional_milestone_is_reached_at_its_min_count_th_event(workspace, configure):
    # Any of its events counts: two reports created and one shared make three on 5 January.
    load(workspace, reports("2024-01-02 09:00", "2024-01-03 09:00", "2024-01-06 09:00"),
         reports("2024-01-05 09:00", event="report_shared"))
    ws = configure(workspace, milestones=[THREE_REPORTS])
    found = status(ws, date(2024, 2, 1))["three_reports"]
    assert (found["status"], found["reached_at"], found["days_to_reach"]) == ("reached", utc(2024, 1, 5, 9), 4)


def test_other_events_and_other_accounts_do_not_count(workspace, configure):
    load(workspace, reports("2024-01-02 09:00", "2024-01-03 09:00"), reports("2024-01-04 09:00", event="login"),
         reports("2024-01-04 09:00", account_id="b"))
    ws = configure(workspace, milestones=[THREE_REPORTS])
    assert status(ws, date(2024, 1, 5))["three_reports"]["reached_at"] is None


def test_only_events_before_creation_plus_within_days_count(workspace, configure):
    # Created 1 January 00:00 with within_days 10: 10 January 23:59 counts, 11 January 00:00 does not.
    load(workspace, reports("2024-01-02 09:00", "2024-01-03 09:00", "2024-01-11 00:00"))
    ws = configure(workspace, milestones=[THREE_REPORTS])
    assert status(ws, date(2024, 2, 1))["three_reports"]["reached_at"] is None

    put_rows(workspace, "events", [{"event_id": "in_time", **reports("2024-01-10 23:59")[0]}])
    workspace.refresh()
    assert status(ws, date(2024, 2, 1))["three_reports"]["reached_at"] == utc(2024, 1, 10, 23, 59)


def test_events_after_the_as_of_day_are_not_yet_known(workspace, configure):
    load(workspace, reports("2024-01-02 09:00", "2024-01-03 09:00", "2024-01-05 09:00"))
    ws = configure(workspace, milestones=[THREE_REPORTS])
    assert status(ws, date(2024, 1, 4))["three_reports"]["status"] == "on_track"
    assert status(ws, date(2024, 1, 5))["three_reports"]["status"] == "reached"


def test_a_customer_milestone_is_its_first_row_in_the_milestones_table_by_as_of(workspace, configure):
    load(workspace, milestones=[("a", "go_live", "2024-01-20 10:00"), ("a", "go_live", "2024-01-25 10:00"),
                                ("a", "kickoff", "2024-01-03 10:00"), ("b", "go_live", "2024-01-10 10:00")])
    ws = configure(workspace, milestones=[GO_LIVE])
    assert status(ws, date(2024, 1, 19))["live"]["reached_at"] is None
    found = status(ws, date(2024, 1, 31))["live"]
    assert (found["status"], found["reached_at"], found["days_to_reach"]) == ("reached", utc(2024, 1, 20, 10), 19)


@pytest.mark.parametrize(("as_of", "expected"), [
    (date(2024, 1, 31), "on_track"),  # day 30: the expected day itself
    (date(2024, 2, 1), "behind"),     # day 31
    (date(2024, 3, 1), "behind"),     # day 60: 2 x expected_days, the last day behind
    (date(2024, 3, 2), "stuck"),      # day 61
])
def test_an_unreached_milestone_is_on_track_then_behind_then_stuck(workspace, configure, as_of, expected):
    load(workspace)
    ws = configure(workspace, milestones=[GO_LIVE])
    found = status(ws, as_of)["live"]
    assert (found["expected_by"], found["status"]) == (date(2024, 1, 31), expected)


def test_the_stuck_factor_is_a_setting(workspace, configure):
    # With 1.5: stuck after day 45, so day 46 (15 February) is stuck.
    load(workspace)
    ws = configure(workspace, milestones=[GO_LIVE], stuck_factor=1.5)
    assert status(ws, date(2024, 2, 15))["live"]["status"] == "behind"
    assert status(ws, date(2024, 2, 16))["live"]["status"] == "stuck"


def test_a_milestone_reached_late_is_reached(workspace, configure):
    load(workspace, milestones=[("a", "go_live", "2024-03-20 10:00")])
    ws = configure(workspace, milestones=[GO_LIVE])
    assert status(ws, date(2024, 4, 1))["live"]["status"] == "reached"


def test_accounts_created_after_as_of_have_no_milestones(workspace, configure):
    put_rows(workspace, "accounts", [account("a"), account("late", "2024-02-01")])
    ws = configure(workspace, milestones=[GO_LIVE])
    rows = statuses(ws, date(2024, 1, 31)).to_pyarrow()
    assert rows.column("account_id").to_pylist() == ["a"]


def test_the_journey_status_is_the_worst_of_the_milestones_and_progress_the_share_reached(workspace, configure):
    # As of 10 February (day 40): a reached go-live, its three reports are stuck (past day 28);
    # b has neither, go-live behind (day 31..60) and the reports stuck.
    load(workspace, milestones=[("a", "go_live", "2024-01-20 10:00")])
    ws = configure(workspace, milestones=[THREE_REPORTS, GO_LIVE])
    per = account_milestones(statuses(ws, date(2024, 2, 10)), date(2024, 2, 10)).to_pyarrow()
    found = {r["account_id"]: r for r in per.to_pylist()}
    assert (found["a"]["milestones_reached_total"], found["a"]["milestones_applicable"]) == (1, 2)
    assert (found["a"]["milestone_progress"], found["a"]["journey_status"]) == (0.5, "stuck")
    assert (found["b"]["milestone_progress"], found["b"]["journey_status"]) == (0.0, "stuck")


def test_behind_without_stuck_is_behind_and_all_reached_or_on_track_is_on_track(workspace, configure):
    # As of 5 February (day 35): go-live expected by day 30 is behind for b, reached for a.
    load(workspace, milestones=[("a", "go_live", "2024-01-20 10:00")])
    ws = configure(workspace, milestones=[GO_LIVE, dict(name="goal", milestone="goal_met", expected_days=90)])
    per = account_milestones(statuses(ws, date(2024, 2, 5)), date(2024, 2, 5)).to_pyarrow()
    found = {r["account_id"]: r["journey_status"] for r in per.to_pylist()}
    assert found == {"a": "on_track", "b": "behind"}


def test_milestones_reached_in_the_last_30_days_are_counted(workspace, configure):
    # As of 19 February the last 30 days are 21 January .. 19 February: 20 January is outside.
    load(workspace, milestones=[("a", "go_live", "2024-01-20 10:00"), ("a", "goal_met", "2024-01-21 10:00")])
    ws = configure(workspace, milestones=[GO_LIVE, dict(name="goal", milestone="goal_met", expected_days=90)])
    per = account_milestones(statuses(ws, date(2024, 2, 19)), date(2024, 2, 19)).to_pyarrow()
    assert {r["account_id"]: r["milestones_reached_30d"] for r in per.to_pylist()} == {"a": 1, "b": 0}
