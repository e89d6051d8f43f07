"""Lifecycle on small hand-made timelines. Weeks of January 2024 start on Mondays 1, 8, 15, 22 and 29;
each expected row is (period, new, returning, resurrecting, dormant), counted by hand."""

from __future__ import annotations

import pytest

from tenure import UsageError
from tests.conftest import put_rows
from tests.queries.conftest import put_events


def matrix(table) -> list[tuple]:
    return [(r["period"], r["new"], r["returning"], r["resurrecting"], r["dormant"]) for r in table.to_pylist()]


def test_a_unit_created_before_its_first_event_is_resurrecting_not_new(workspace):
    # u1 signed up in the week of Jan 1 but did nothing until Jan 10; u2 has no users row, so it is
    # created by its first event (Jan 10).
    put_rows(workspace, "accounts", [{"account_id": "A", "created_at": "2023-12-01"}])
    put_rows(workspace, "users", [{"user_id": "u1", "account_id": "A", "created_at": "2024-01-02 09:00"}])
    put_events(workspace, [("u1", "A", "login", "2024-01-10 10:00"), ("u2", "A", "login", "2024-01-10 11:00")])
    assert matrix(workspace.lifecycle(start="2024-01-01", end="2024-01-08")) == [
        ("2024-01-01", 0, 0, 0, 0),
        ("2024-01-08", 1, 0, 1, 0),
    ]


def test_active_in_consecutive_weeks_is_returning(workspace):
    put_events(workspace, [("u1", "A", "login", "2024-01-02 10:00"), ("u1", "A", "login", "2024-01-09 10:00"),
                           ("u1", "A", "login", "2024-01-20 10:00")])
    assert matrix(workspace.lifecycle(start="2024-01-01", end="2024-01-15")) == [
        ("2024-01-01", 1, 0, 0, 0),
        ("2024-01-08", 0, 1, 0, 0),
        ("2024-01-15", 0, 1, 0, 0),
    ]


def test_dormant_counts_units_active_the_week_before_and_not_now(workspace):
    # u1: week 1 only. u2: weeks 1 and 3 (dormant in week 2, resurrecting in week 3, dormant in week 4).
    put_events(workspace, [("u1", "A", "login", "2024-01-02 10:00"), ("u2", "A", "login", "2024-01-03 10:00"),
                           ("u2", "A", "login", "2024-01-17 10:00")])
    assert matrix(workspace.lifecycle(start="2024-01-01", end="2024-01-22")) == [
        ("2024-01-01", 2, 0, 0, 0),
        ("2024-01-08", 0, 0, 0, 2),
        ("2024-01-15", 0, 0, 1, 0),
        ("2024-01-22", 0, 0, 0, 1),
    ]


def test_the_interval_before_from_decides_the_first_row(workspace):
    # Active in the week of Jan 1 only; asked from Jan 8, the first row still sees it go dormant, and a
    # unit active both weeks is returning, not resurrecting.
    put_events(workspace, [("u1", "A", "login", "2024-01-02 10:00"), ("u2", "A", "login", "2024-01-02 10:00"),
                           ("u2", "A", "login", "2024-01-09 10:00")])
    assert matrix(workspace.lifecycle(start="2024-01-08", end="2024-01-08")) == [("2024-01-08", 0, 1, 0, 1)]


@pytest.mark.parametrize(
    ("interval", "start", "end", "expected"),
    [
        ("day", "2024-01-30", "2024-02-02",
         [("2024-01-30", 1, 0, 0, 0), ("2024-01-31", 0, 1, 0, 0), ("2024-02-01", 0, 1, 0, 0), ("2024-02-02", 0, 0, 0, 1)]),
        # Tue 30, Wed 31 and Thu 1 are all in the week starting Monday Jan 29.
        ("week", "2024-01-29", "2024-02-05", [("2024-01-29", 1, 0, 0, 0), ("2024-02-05", 0, 0, 0, 1)]),
        # --from/--to are floored to their interval: any day of the month names the month.
        ("month", "2024-01-15", "2024-03-31",
         [("2024-01-01", 1, 0, 0, 0), ("2024-02-01", 0, 1, 0, 0), ("2024-03-01", 0, 0, 0, 1)]),
    ],
)
def test_day_week_and_month_buckets(workspace, interval, start, end, expected):
    put_events(workspace, [("u1", "A", "login", "2024-01-30 10:00"), ("u1", "A", "login", "2024-01-31 10:00"),
                           ("u1", "A", "login", "2024-02-01 10:00")])
    assert matrix(workspace.lifecycle(interval=interval, start=start, end=end)) == expected


def test_weeks_start_on_monday_in_the_workspace_time_zone(new_york):
    # 03:00 UTC on Monday Jan 8 is still Sunday evening in New York: the week of Jan 1.
    # 06:00 UTC is 01:00 on Monday in New York: the week of Jan 8.
    put_events(new_york, [("u1", "A", "login", "2024-01-08T03:00:00+00:00"),
                          ("u2", "A", "login", "2024-01-08T06:00:00+00:00")])
    assert matrix(new_york.lifecycle(start="2024-01-01", end="2024-01-08")) == [
        ("2024-01-01", 1, 0, 0, 0),
        ("2024-01-08", 1, 0, 0, 1),
    ]


def test_empty_intervals_are_zeros(workspace):
    put_events(workspace, [("u1", "A", "login", "2024-01-10 10:00")])
    assert matrix(workspace.lifecycle(start="2024-01-01", end="2024-01-29")) == [
        ("2024-01-01", 0, 0, 0, 0),
        ("2024-01-08", 1, 0, 0, 0),
        ("2024-01-15", 0, 0, 0, 1),
        ("2024-01-22", 0, 0, 0, 0),
        ("2024-01-29", 0, 0, 0, 0),
    ]


def test_only_the_named_events_make_a_unit_active(workspace):
    # u1 exports in weeks 1 and 3 and only logs in during week 2: with --event export it is resurrecting
    # in week 3. Its creation (the first event of any kind) stays in week 1.
    put_events(workspace, [("u1", "A", "export", "2024-01-02 10:00"), ("u1", "A", "login", "2024-01-09 10:00"),
                           ("u1", "A", "export", "2024-01-16 10:00")])
    assert matrix(workspace.lifecycle(events=["export"], start="2024-01-01", end="2024-01-15")) == [
        ("2024-01-01", 1, 0, 0, 0),
        ("2024-01-08", 0, 0, 0, 1),
        ("2024-01-15", 0, 0, 1, 0),
    ]


def test_accounts_are_units_created_at_accounts_created_at(workspace):
    # Account A was created in the week of Jan 8 but has an event the week before (a backfilled event):
    # not new then, so resurrecting; in the week of Jan 8 it is inactive, so dormant. B is new that week,
    # counted once although it has an event without a user and a user's event.
    put_rows(workspace, "accounts", [{"account_id": "A", "created_at": "2024-01-09"},
                                     {"account_id": "B", "created_at": "2024-01-09"}])
    put_events(workspace, [("u1", "A", "login", "2024-01-02 10:00"), (None, "B", "sync", "2024-01-10 10:00"),
                           ("u2", "B", "login", "2024-01-11 10:00")])
    assert matrix(workspace.lifecycle(unit="account", start="2024-01-01", end="2024-01-08")) == [
        ("2024-01-01", 0, 0, 1, 0),
        ("2024-01-08", 1, 0, 0, 1),
    ]


def test_actors_of_a_cell(workspace):
    put_events(workspace, [("u1", "A", "login", "2024-01-02 10:00"), ("u2", "A", "login", "2024-01-03 10:00"),
                           ("u3", "A", "login", "2024-01-03 10:00"), ("u2", "A", "login", "2024-01-10 10:00")])
    dormant = workspace.lifecycle_actors("2024-01-10", "dormant", start="2024-01-01", end="2024-01-15")
    assert dormant.column("unit_id").to_pylist() == ["u1", "u3"]
    returning = workspace.lifecycle_actors("2024-01-08", "returning", start="2024-01-01", end="2024-01-15")
    assert returning.column("unit_id").to_pylist() == ["u2"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"unit": "team"}, "unit: 'team' is not one of user, account"),
        ({"interval": "quarter"}, "interval: 'quarter' is not one of day, week, month"),
        ({"start": "2024-02-01", "end": "2024-01-01"}, "start 2024-01-29 is after end 2024-01-01"),
        ({"end": "January"}, "end: 'January' is not a day"),
    ],
)
def test_bad_options_are_usage_errors(workspace, options, message):
    with pytest.raises(UsageError, match=message):
        workspace.lifecycle_expr(**options)
