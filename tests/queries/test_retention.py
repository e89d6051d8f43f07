"""Retention matrices on small hand-made timelines. Weeks of January 2024 start on Mondays 1, 8, 15 and
22; each expected row is (cohort, size, values), counted by hand."""

from __future__ import annotations

import pytest

from tenure import UsageError
from tests.queries.conftest import put_events


def matrix(table) -> list[tuple]:
    return [(r["cohort"], r["size"], r["values"]) for r in table.to_pylist()]


# u1 is active in the weeks of Jan 8 and 15; u2 in the weeks of Jan 1 (before --from), 15 and 22.
TWO_USERS = [
    ("u1", "A", "login", "2024-01-09 10:00"), ("u1", "A", "login", "2024-01-16 10:00"),
    ("u2", "A", "login", "2024-01-02 10:00"), ("u2", "A", "login", "2024-01-17 10:00"),
    ("u2", "A", "login", "2024-01-23 10:00"),
]


def test_recurring_cohorts_take_a_unit_in_every_interval_it_started(workspace):
    put_events(workspace, TWO_USERS)
    assert matrix(workspace.retention(cohorts="recurring", start="2024-01-08", end="2024-01-22")) == [
        ("2024-01-08", 1, [1, 1, 0]),
        ("2024-01-15", 2, [2, 1]),
        ("2024-01-22", 1, [1]),
    ]


def test_first_time_cohorts_take_a_unit_once_and_not_when_it_first_started_before_from(workspace):
    put_events(workspace, TWO_USERS)
    assert matrix(workspace.retention(cohorts="first_time", start="2024-01-08", end="2024-01-22")) == [
        ("2024-01-08", 1, [1, 1, 0]),
        ("2024-01-15", 0, [0, 0]),
        ("2024-01-22", 0, [0]),
    ]


def test_on_counts_returns_in_interval_k_and_on_or_after_in_k_or_later(workspace):
    # u1 starts in the week of Jan 1 and comes back only in the week of Jan 15.
    put_events(workspace, [("u1", "A", "login", "2024-01-02 10:00"), ("u1", "A", "login", "2024-01-16 10:00")])
    options = dict(cohorts="first_time", start="2024-01-01", end="2024-01-15")
    assert matrix(workspace.retention(count="on", **options))[0] == ("2024-01-01", 1, [1, 0, 1])
    assert matrix(workspace.retention(count="on_or_after", **options))[0] == ("2024-01-01", 1, [1, 1, 1])


def test_the_return_event_may_differ_from_the_start_event(workspace):
    # u1 signs up, then logs in the week after; u2 signs up twice and never logs in; u3 only logs in.
    put_events(workspace, [
        ("u1", "A", "signup", "2024-01-02 10:00"), ("u1", "A", "login", "2024-01-09 10:00"),
        ("u2", "A", "signup", "2024-01-03 10:00"), ("u2", "A", "signup", "2024-01-10 10:00"),
        ("u3", "A", "login", "2024-01-03 10:00"), ("u3", "A", "login", "2024-01-10 10:00"),
    ])
    table = workspace.retention(start_event="signup", return_event="login", start="2024-01-01", end="2024-01-08")
    assert matrix(table) == [("2024-01-01", 2, [2, 1]), ("2024-01-08", 1, [1])]


def test_the_cohort_size_is_values_0_even_without_any_return_and_empty_cohorts_are_zeros(workspace):
    put_events(workspace, [("u1", "A", "login", "2024-01-09 10:00")])
    assert matrix(workspace.retention(start="2024-01-01", end="2024-01-22")) == [
        ("2024-01-01", 0, [0, 0, 0, 0]),
        ("2024-01-08", 1, [1, 0, 0]),
        ("2024-01-15", 0, [0, 0]),
        ("2024-01-22", 0, [0]),
    ]


def test_monthly_cohorts_count_months_across_a_year_end(workspace):
    put_events(workspace, [("u1", "A", "login", "2023-12-20 10:00"), ("u1", "A", "login", "2024-02-03 10:00")])
    assert matrix(workspace.retention(interval="month", start="2023-12-01", end="2024-02-29"))[0] == (
        "2023-12-01", 1, [1, 0, 1])


def test_accounts_retain_through_any_of_their_users(workspace):
    put_events(workspace, [("u1", "A", "login", "2024-01-02 10:00"), ("u2", "A", "login", "2024-01-09 10:00"),
                           ("u3", "B", "login", "2024-01-03 10:00")])
    assert matrix(workspace.retention(unit="account", start="2024-01-01", end="2024-01-08")) == [
        ("2024-01-01", 2, [2, 1]),
        ("2024-01-08", 1, [1]),
    ]


def test_actors_of_a_cell(workspace):
    put_events(workspace, TWO_USERS)
    options = dict(start="2024-01-08", end="2024-01-22")
    assert workspace.retention_actors("2024-01-15", 0, **options).column("unit_id").to_pylist() == ["u1", "u2"]
    assert workspace.retention_actors("2024-01-15", 1, **options).column("unit_id").to_pylist() == ["u2"]
    with pytest.raises(UsageError, match="k: 2 is not an interval of cohort 2024-01-15"):
        workspace.retention_actors_expr("2024-01-15", 2, **options)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"cohorts": "every"}, "cohorts: 'every' is not one of recurring, first_time"),
        ({"count": "after"}, "count: 'after' is not one of on, on_or_after"),
        ({"start_event": " "}, "start_event: an event name cannot be empty"),
    ],
)
def test_bad_options_are_usage_errors(workspace, options, message):
    with pytest.raises(UsageError, match=message):
        workspace.retention_expr(**options)
