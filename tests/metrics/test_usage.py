"""Product usage: exact DAU, WAU and MAU per day and per month, stickiness, accounts, and breakdowns.

Every expected value is counted by hand from the timeline written beside it."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tenure import Workspace
from tenure.metrics.usage import COLUMNS, DAILY
from tests.conftest import put_rows


def active(*days: str, user: str | None = "u1", account: str = "a", event: str = "login") -> list[dict]:
    """One event per day (at noon) for a user of an account."""
    return [{"account_id": account, "user_id": user, "event": event, "timestamp": f"{day} 12:00"} for day in days]


def load(ws: Workspace, *timelines: list[dict]) -> None:
    rows = [row for timeline in timelines for row in timeline]
    put_rows(ws, "events", [{"event_id": f"e{n}", **row} for n, row in enumerate(rows)])
    ws.refresh()


def days(ws: Workspace, first: str, last: str) -> dict[str, dict]:
    return {row["day"].isoformat(): row for row in ws.daily_usage(first, last).to_pylist()}


def test_rows_have_the_contract_keys(workspace):
    workspace.refresh()
    assert workspace.usage("2024-01", "2024-01").schema.names == ["month", *COLUMNS]
    assert workspace.daily_usage("2024-01-01", "2024-01-01").schema.names == ["day", *DAILY]


def test_trailing_windows_count_a_user_up_to_the_window_edge(workspace):
    # u1 is active on 1 and 3 March, u2 on 8 March.
    load(workspace, active("2024-03-01", "2024-03-03", user="u1"), active("2024-03-08", user="u2"))
    found = days(workspace, "2024-03-01", "2024-04-07")
    figures = lambda day: tuple(found[day][k] for k in ("dau", "wau", "mau"))  # noqa: E731
    assert figures("2024-03-01") == (1, 1, 1)
    assert figures("2024-03-02") == (0, 1, 1)
    assert figures("2024-03-03") == (1, 1, 1)  # active twice in the window, counted once
    assert figures("2024-03-08") == (1, 2, 2)  # window 2..8 March holds u1 (3 March) and u2
    assert figures("2024-03-09") == (0, 2, 2)  # 3..9 March: u1's 3 March is its first day
    assert figures("2024-03-10") == (0, 1, 2)  # 4..10 March: u2 only
    assert figures("2024-03-14") == (0, 1, 2)  # 8..14 March: u2's 8 March is its first day
    assert figures("2024-03-15") == (0, 0, 2)
    assert figures("2024-04-01") == (0, 0, 2)  # 3 March..1 April: 30 days holding u1's 3 March
    assert figures("2024-04-02") == (0, 0, 1)  # 4 March..2 April: u2 only
    assert figures("2024-04-06") == (0, 0, 1)  # 8 March..6 April
    assert figures("2024-04-07") == (0, 0, 0)


def test_activity_before_the_range_counts_in_its_windows(workspace):
    load(workspace, active("2024-02-25"))
    assert days(workspace, "2024-03-01", "2024-03-02")["2024-03-02"] == {
        "day": date(2024, 3, 2), "dau": 0, "wau": 1, "mau": 1, "dau_accounts": 0, "wau_accounts": 1, "mau_accounts": 1,
    }


def test_accounts_count_once_however_many_users_and_events_without_a_user_count_for_the_account(workspace):
    load(
        workspace,
        active("2024-03-01", user="u1", account="a"),
        active("2024-03-01", "2024-03-01", user="u2", account="a"),
        active("2024-03-02", user=None, account="b"),
    )
    found = days(workspace, "2024-03-01", "2024-03-02")
    assert [(found[d]["dau"], found[d]["dau_accounts"], found[d]["wau"], found[d]["wau_accounts"])
            for d in ("2024-03-01", "2024-03-02")] == [(2, 1, 2, 1), (0, 1, 2, 2)]


def test_monthly_average_dau_month_end_windows_and_stickiness(workspace):
    # April 2024 has 30 days. u1: 2, 10 and 20 April; u2: 29 April. u1 and u2 are in different accounts.
    load(workspace, active("2024-04-02", "2024-04-10", "2024-04-20", user="u1", account="a"),
         active("2024-04-29", user="u2", account="b"))
    (april,) = workspace.usage("2024-04", "2024-04").to_pylist()
    assert april == {
        "month": "2024-04",
        "dau": pytest.approx(4 / 30),  # 4 user-days over 30 days
        "wau": 1,  # 24..30 April: u2
        "mau": 2,  # 1..30 April
        "stickiness": pytest.approx(4 / 30 / 2),
        "dau_accounts": pytest.approx(4 / 30),
        "wau_accounts": 1,
        "mau_accounts": 2,
        "stickiness_accounts": pytest.approx(4 / 30 / 2),
    }


def test_mau_of_a_31_day_month_is_the_30_days_ending_its_last_day(workspace):
    load(workspace, active("2024-03-01"))  # 1 March is outside 2..31 March
    (march,) = workspace.usage("2024-03", "2024-03").to_pylist()
    assert (march["dau"], march["mau"], march["stickiness"]) == (pytest.approx(1 / 31), 0, None)


def test_an_empty_month_is_present_with_zeros_and_null_stickiness(workspace):
    load(workspace, active("2024-01-31"))
    rows = workspace.usage("2024-01", "2024-03").to_pylist()
    assert [row["month"] for row in rows] == ["2024-01", "2024-02", "2024-03"]
    assert rows[2] == {
        "month": "2024-03", "dau": 0.0, "wau": 0, "mau": 0, "stickiness": None,
        "dau_accounts": 0.0, "wau_accounts": 0, "mau_accounts": 0, "stickiness_accounts": None,
    }
    assert (rows[1]["dau"], rows[1]["mau"]) == (0.0, 1)  # 31 January is within 31 January..29 February


def test_only_activity_events_make_a_user_active(workspace):
    config = workspace.path / "tenure.toml"
    config.write_text(re.sub(r"(?m)^activity = .*$", 'activity = ["dashboard_viewed"]', config.read_text()))
    workspace.close()
    with Workspace.open(workspace.path) as ws:
        load(ws, active("2024-03-01", user="u1", event="password_reset"),
             active("2024-03-01", user="u2", event="dashboard_viewed"))
        found = days(ws, "2024-03-01", "2024-03-01")["2024-03-01"]
    assert (found["dau"], found["mau"], found["dau_accounts"]) == (1, 1, 1)


def test_by_splits_users_by_their_accounts_attribute(workspace):
    put_rows(workspace, "accounts", [
        {"account_id": "a", "created_at": "2024-01-01", "segment": "smb"},
        {"account_id": "b", "created_at": "2024-01-01", "segment": "enterprise"},
    ])
    load(workspace, active("2024-04-02", "2024-04-03", user="u1", account="a"),
         active("2024-04-03", user="u2", account="a"), active("2024-04-30", user="u3", account="b"))
    rows = workspace.usage("2024-04", "2024-04", by="segment").to_pylist()
    assert [(r["segment"], r["dau"], r["mau"], r["mau_accounts"]) for r in rows] == [
        ("enterprise", pytest.approx(1 / 30), 1, 1),
        ("smb", pytest.approx(3 / 30), 2, 1),
    ]


def test_daily_rows_by_group_hold_every_day_of_every_group_with_zeros_where_it_had_no_one(workspace):
    # smb's user is active on 10 January only; enterprise's on 5 March only.
    put_rows(workspace, "accounts", [
        {"account_id": "a", "created_at": "2024-01-01", "segment": "smb"},
        {"account_id": "b", "created_at": "2024-01-01", "segment": "enterprise"},
    ])
    load(workspace, active("2024-01-10", account="a"), active("2024-03-05", user="u2", account="b"))
    rows = workspace.daily_usage("2024-01-31", "2024-03-05", by="segment").to_pylist()
    assert len(rows) == 2 * (1 + 29 + 5)  # 31 January, February of a leap year, 1..5 March
    assert [(r["day"], r["segment"]) for r in rows[:3]] == [
        (date(2024, 1, 31), "enterprise"), (date(2024, 1, 31), "smb"), (date(2024, 2, 1), "enterprise"),
    ]
    found = {(r["day"].isoformat(), r["segment"]): (r["dau"], r["wau"], r["mau"], r["mau_accounts"]) for r in rows}
    assert found["2024-01-31", "smb"] == (0, 0, 1, 1)  # 2..31 January holds the 10th
    assert found["2024-02-08", "smb"] == (0, 0, 1, 1)  # 10 January..8 February
    assert found["2024-02-09", "smb"] == (0, 0, 0, 0)
    assert found["2024-02-08", "enterprise"] == (0, 0, 0, 0)  # no one before March
    assert found["2024-03-05", "enterprise"] == (1, 1, 1, 1)
    assert found["2024-03-05", "smb"] == (0, 0, 0, 0)


def test_daily_rows_unordered_are_the_same_rows(workspace):
    load(workspace, active("2024-01-10", account="a"), active("2024-03-05", user="u2", account="b"))
    ordered = workspace.daily_usage_expr("2024-01-01", "2024-03-31", by="account_id").to_pyarrow().to_pylist()
    unordered = workspace.daily_usage_expr("2024-01-01", "2024-03-31", by="account_id", ordered=False).to_pyarrow()
    key = lambda r: (r["day"], r["account_id"])  # noqa: E731
    assert sorted(unordered.to_pylist(), key=key) == ordered


def test_daily_rows_per_account_add_up_to_the_totals(workspace):
    # Users belong to one account, so per-account figures sum to the whole's, for users and accounts.
    load(workspace, active("2024-01-10", "2024-01-20", account="a"), active("2024-01-15", user="u2", account="a"),
         active("2024-02-03", user="u3", account="b"), active("2024-02-05", user=None, account="c"))
    totals = {r["day"]: r for r in workspace.daily_usage("2024-01-01", "2024-03-15").to_pylist()}
    summed = {}
    for r in workspace.daily_usage("2024-01-01", "2024-03-15", by="account_id").to_pylist():
        day = summed.setdefault(r["day"], dict.fromkeys(DAILY, 0))
        for c in DAILY:
            day[c] += r[c]
    assert summed == {d: {c: row[c] for c in DAILY} for d, row in totals.items()}
    assert summed[date(2024, 2, 5)]["mau_accounts"] == 3


def test_daily_usage_rejects_a_reversed_range(workspace):
    from tenure.errors import UsageError

    with pytest.raises(UsageError, match="is after"):
        workspace.daily_usage("2024-03-02", "2024-03-01")


def test_a_month_wholly_in_the_future_has_null_figures(workspace):
    load(workspace, active("2024-03-01"))
    (future,) = workspace.usage("2200-01", "2200-01").to_pylist()
    assert set(future.values()) == {"2200-01", None}


def test_monthly_figures_agree_with_the_daily_series_on_a_scattered_timeline(workspace):
    # Two methods: the month-end windows of `usage` against averaging and reading `daily_usage`.
    import random

    rng = random.Random(5)
    start = date(2024, 1, 1).toordinal()
    timelines = [
        active(*sorted({date.fromordinal(start + rng.randrange(120)).isoformat() for _ in range(rng.randrange(1, 12))}),
               user=f"u{u}", account=f"a{u % 3}")
        for u in range(12)
    ]
    load(workspace, *timelines)
    monthly = {row["month"]: row for row in workspace.usage("2024-01", "2024-04").to_pylist()}
    daily = workspace.daily_usage("2024-01-01", "2024-04-30").to_pylist()
    for month in ("2024-01", "2024-02", "2024-03", "2024-04"):
        in_month = [row for row in daily if row["day"].isoformat().startswith(month)]
        for unit in ("", "_accounts"):
            assert monthly[month][f"dau{unit}"] == pytest.approx(sum(r[f"dau{unit}"] for r in in_month) / len(in_month))
            assert monthly[month][f"wau{unit}"] == in_month[-1][f"wau{unit}"]
            assert monthly[month][f"mau{unit}"] == in_month[-1][f"mau{unit}"]


def test_the_month_in_progress_averages_its_days_so_far_and_ignores_activity_after_today(workspace):
    today = datetime.now(ZoneInfo(workspace.settings.workspace.timezone)).date()
    # u1 is active today, u2 only tomorrow (in this month, or the next one when today is its last day).
    load(workspace, active(today.isoformat(), user="u1"), active((today + timedelta(days=1)).isoformat(), user="u2"))
    (month,) = workspace.usage(f"{today:%Y-%m}", f"{today:%Y-%m}").to_pylist()
    assert (month["dau"], month["wau"], month["mau"]) == (pytest.approx(1 / today.day), 1, 1)


def test_the_30_days_ending_1_march_of_a_common_year_reach_31_january(workspace):
    load(workspace, active("2023-01-31"), active("2024-01-31", user="u2"))
    found = days(workspace, "2023-03-01", "2023-03-02") | days(workspace, "2024-02-29", "2024-03-01")
    # 2023: 31 January .. 1 March is 30 days; on 2 March the window starts on 1 February.
    assert (found["2023-03-01"]["mau"], found["2023-03-02"]["mau"]) == (1, 0)
    # 2024 is a leap year: 31 January .. 29 February is 30 days; 1 March's window starts on 1 February.
    assert (found["2024-02-29"]["mau"], found["2024-03-01"]["mau"]) == (1, 0)
