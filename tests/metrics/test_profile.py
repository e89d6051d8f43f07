"""The per-account usage profile (`Workspace.accounts`) and the customer-360 (`Workspace.account`).

Every expected value is counted by hand from the timeline beside it. As of 31 March 2024 the last 30
days are 2..31 March and the 30 before are 1 February..1 March."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tenure import Workspace
from tenure.config import read_settings
from tenure.errors import ConfigError, UsageError
from tenure.metrics.profile import COLUMNS
from tests.conftest import put_rows
from tests.metrics.rows import sub

AS_OF = date(2024, 3, 31)


def account(account_id: str, created: str = "2024-01-01") -> dict:
    return {"account_id": account_id, "name": account_id.upper(), "created_at": created}


def events(*days: str, user: str | None = "u1", account: str = "a", event: str = "login") -> list[dict]:
    """One event per day (at noon) for a user of an account."""
    return [{"account_id": account, "user_id": user, "event": event, "timestamp": f"{day} 12:00"} for day in days]


def load(ws: Workspace, *timelines: list[dict], accounts: tuple[str, ...] = ("a",)) -> None:
    put_rows(ws, "accounts", [account(a) for a in accounts])
    rows = [row for timeline in timelines for row in timeline]
    if rows:
        put_rows(ws, "events", [{"event_id": f"e{n}", **row} for n, row in enumerate(rows)])
    ws.refresh()


def profile(ws: Workspace, as_of: date = AS_OF) -> dict[str, dict]:
    return {row["account_id"]: row for row in ws.accounts(as_of).to_pylist()}


def march(first: int, last: int) -> tuple[str, ...]:
    return tuple(f"2024-03-{d:02d}" for d in range(first, last + 1))


def test_rows_have_the_documented_columns(workspace):
    load(workspace)
    assert workspace.accounts(AS_OF).schema.names == list(COLUMNS)


def test_the_window_ends_29_days_before_as_of_and_the_previous_one_30_days_before_that(workspace):
    # 2 March is day 30 of the window (as_of - 29); 1 March is as_of - 30, the previous window's last day;
    # 1 February is its first day (as_of - 59) and 31 January is in neither.
    load(workspace, events("2024-01-31", "2024-02-01", "2024-03-01", "2024-03-02"))
    a = profile(workspace)["a"]
    assert (a["active_days_30d"], a["active_days_prev_30d"], a["logins_30d"], a["logins_prev_30d"]) == (1, 2, 1, 2)
    assert (a["last_active_day"], a["days_since_active"]) == (date(2024, 3, 2), 29)


def test_users_count_once_and_events_without_a_user_make_a_day_active_but_no_user(workspace):
    load(workspace, events("2024-03-10", "2024-03-11", user="u1"), events("2024-03-11", user="u2"),
         events("2024-03-12", user=None, event="api_call"))
    a = profile(workspace)["a"]
    assert (a["active_users_30d"], a["active_days_30d"]) == (2, 3)


def test_the_last_active_day_is_the_latest_of_any_user_or_of_events_without_one(workspace):
    # In March, u1 was last active on the 5th, u2 on the 20th, u3 on the 12th, an event without a user on
    # the 15th; u4's 1 April is after as_of (31 March).
    load(workspace, events("2024-03-05", user="u1"), events("2024-03-20", user="u2"), events("2024-03-12", user="u3"),
         events("2024-03-15", user=None, event="api_call"), events("2024-04-01", user="u4"))
    a = profile(workspace)["a"]
    assert (a["last_active_day"], a["days_since_active"]) == (date(2024, 3, 20), 11)


def test_login_frequency_and_trend(workspace):
    # Previous window: 4 logins. Last 30 days: 6 logins by 2 users -> 6 x 7 / (2 x 30) = 0.7 a user a week;
    # trend (6 - 4) / 4 = 0.5. Account b logged in only in the last 30 days: no trend.
    load(
        workspace,
        events("2024-02-05", "2024-02-06", "2024-02-07", "2024-02-08"),
        events("2024-03-05", "2024-03-06", "2024-03-07", "2024-03-08", user="u1"),
        events("2024-03-05", "2024-03-06", user="u2"),
        events("2024-03-20", user="u3", account="b"),
        accounts=("a", "b"),
    )
    found = profile(workspace)
    assert found["a"]["logins_per_user_week"] == pytest.approx(0.7)
    assert found["a"]["login_trend"] == 0.5
    assert (found["b"]["logins_prev_30d"], found["b"]["login_trend"]) == (0, None)


def test_tier_boundaries_on_active_days(workspace):
    # Defaults: power >= 20 active days of the last 30, core >= 8, casual >= 1, dormant otherwise.
    load(
        workspace,
        events(*march(2, 21), account="p"),    # 20 days
        events(*march(2, 20), account="c19"),  # 19
        events(*march(2, 9), account="c8"),    # 8
        events(*march(2, 8), account="k7"),    # 7
        events("2024-03-31", account="k1"),    # 1, on the as_of day itself
        events("2024-03-01", account="d"),     # only in the previous window
        accounts=("p", "c19", "c8", "k7", "k1", "d"),
    )
    tiers = {a: row["tier"] for a, row in profile(workspace).items()}
    assert tiers == {"c19": "core", "c8": "core", "d": "dormant", "k1": "casual", "k7": "casual", "p": "power"}


def test_tier_thresholds_are_settings(workspace, reopen):
    load(workspace, events(*march(2, 6)))  # 5 active days: casual by default
    ws = reopen(workspace, power_days=5, core_days=3)
    assert profile(ws)["a"]["tier"] == "power"


def test_tier_thresholds_must_descend(tmp_path: Path):
    path = tmp_path / "tenure.toml"
    path.write_text("[usage.tiers]\npower_days = 8\ncore_days = 8\n")
    with pytest.raises(ConfigError) as caught:
        read_settings(path)
    assert "power_days (8) > core_days (8) > casual_days (1)" in str(caught.value)
    assert caught.value.problems[0].line == 1


def test_breadth_counts_the_features_used_in_the_last_30_days(workspace):
    # Six features are configured by default; dashboards and reports (two of its events) in the window,
    # api on 1 March, outside it.
    load(workspace, events("2024-03-10", event="dashboard_viewed"), events("2024-03-11", event="report_created"),
         events("2024-03-12", event="report_shared"), events("2024-03-01", event="api_call"))
    a = profile(workspace)["a"]
    assert (a["features_used_30d"], a["breadth"]) == (2, pytest.approx(2 / 6))


def test_knowledge_base_content_and_password_resets(workspace):
    load(workspace, events("2024-03-10", "2024-03-11", event="kb_article_viewed"),
         events("2024-03-01", event="kb_article_viewed"), events("2024-03-12", event="password_reset"))
    a = profile(workspace)["a"]
    assert (a["kb_views_30d"], a["content_views_30d"], a["password_resets_30d"]) == (2, 0, 1)


def test_nothing_after_as_of_counts(workspace):
    # Events, an account, a subscription, a ticket, an open and a response dated 1 April do not exist on 31 March.
    load(workspace, events("2024-03-30"), events("2024-04-01", user="u2"), events("2024-04-01", account="late"))
    put_rows(workspace, "accounts", [account("late", created="2024-04-01")])
    put_rows(workspace, "subscriptions", [
        sub("s1", "a", "2024-01-01", "2024-04-01", amount="100"),  # ends at the end of 31 March: still counts
        sub("s2", "a", "2024-04-01", amount="50"),
        sub("s3", "a", "2024-02-01", "2024-03-31", amount="30"),  # ended at the start of 31 March
    ])
    put_rows(workspace, "messages", [
        {"message_id": "m1", "account_id": "a", "sent_at": "2024-03-30", "opened_at": "2024-04-01"}
    ])
    put_rows(workspace, "tickets", [
        {"ticket_id": "t1", "account_id": "a", "created_at": "2024-03-20", "solved_at": "2024-04-01", "status": "solved"},
        {"ticket_id": "t2", "account_id": "a", "created_at": "2024-04-01", "status": "open"},
    ])
    put_rows(workspace, "surveys", [
        {"response_id": "r1", "account_id": "a", "kind": "nps", "score": 10, "responded_at": "2024-04-01"}
    ])
    workspace.refresh()
    found = profile(workspace)
    assert list(found) == ["a"]
    a = found["a"]
    assert (a["active_users_30d"], a["last_active_day"], float(a["mrr"])) == (1, date(2024, 3, 30), 100.0)
    assert (a["messages_30d"], a["open_rate_30d"], a["tickets_30d"], a["open_tickets"]) == (1, 0.0, 1, 1)
    assert (a["nps_responses"], a["nps"]) == (0, None)


def test_open_tickets_at_as_of(workspace):
    # t1 solved before as_of; t2 solved after it (open then); t3 closed without a solved_at (trust the status);
    # t4 still open. tickets_30d: created 2..31 March, so t1 (1 March) is not counted.
    load(workspace)
    put_rows(workspace, "tickets", [
        {"ticket_id": "t1", "account_id": "a", "created_at": "2024-03-01", "solved_at": "2024-03-05", "status": "solved"},
        {"ticket_id": "t2", "account_id": "a", "created_at": "2024-03-10", "solved_at": "2024-04-02", "status": "solved"},
        {"ticket_id": "t3", "account_id": "a", "created_at": "2024-02-10", "status": "closed"},
        {"ticket_id": "t4", "account_id": "a", "created_at": "2024-03-31", "status": "pending"},
    ])
    a = profile(workspace)["a"]
    assert (a["tickets_30d"], a["open_tickets"]) == (2, 2)


def test_an_account_without_activity_has_zeros_and_is_dormant(workspace):
    load(workspace, accounts=("a",))
    a = profile(workspace)["a"]
    assert {k: a[k] for k in COLUMNS if k not in ("account_id", "name", "segment", "owner", "created_at")} == {
        "mrr": 0, "active_users_30d": 0, "active_users_prev_30d": 0, "active_days_30d": 0, "active_days_prev_30d": 0,
        "logins_30d": 0, "logins_prev_30d": 0, "logins_per_user_week": None, "login_trend": None, "tier": "dormant",
        "features_used_30d": 0, "breadth": 0.0, "kb_views_30d": 0, "content_views_30d": 0, "password_resets_30d": 0,
        "last_active_day": None, "days_since_active": None, "messages_30d": 0, "open_rate_30d": None,
        "click_rate_30d": None, "nps_responses": 0, "nps": None, "csat_responses": 0, "csat": None,
        "tickets_30d": 0, "open_tickets": 0,
    }


def test_sort_tier_and_limit(workspace):
    load(workspace, events(*march(2, 4), account="a"), events(*march(2, 3), account="b"),
         events(*march(2, 21), account="c"), accounts=("a", "b", "c", "d"))
    rows = workspace.accounts(AS_OF, sort="active_days_30d", descending=True, tier="casual", limit=1).to_pylist()
    assert [r["account_id"] for r in rows] == ["a"]
    by_days = workspace.accounts(AS_OF, sort="active_days_30d").to_pylist()
    assert [r["account_id"] for r in by_days] == ["d", "b", "a", "c"]


def test_an_unknown_sort_column_lists_the_columns(workspace):
    load(workspace)
    with pytest.raises(UsageError, match="unknown column 'mrr_growth'; the columns are: account_id, name"):
        workspace.accounts_expr(AS_OF, sort="mrr_growth")


def test_account_360_sections(workspace):
    load(workspace, events("2024-03-10", "2024-03-11"), events("2024-01-15", user="u2"), events("2024-04-02"))
    put_rows(workspace, "subscriptions", [sub("s1", "a", "2024-01-01", amount="100"), sub("s2", "a", "2024-03-01", amount="50"),
                                          sub("s3", "a", "2024-04-01", amount="10")])
    put_rows(workspace, "tickets", [
        {"ticket_id": "t1", "account_id": "a", "created_at": "2024-03-20", "solved_at": "2024-04-01",
         "status": "solved", "subject": "export fails"},
    ])
    put_rows(workspace, "surveys", [
        {"response_id": "r1", "account_id": "a", "kind": "NPS", "score": 9, "responded_at": "2024-03-15"},
    ])
    put_rows(workspace, "milestones", [
        {"account_id": "a", "milestone": "onboarded", "achieved_at": "2024-02-01"},
        {"account_id": "a", "milestone": "expanded", "achieved_at": "2024-04-05"},
    ])
    workspace.refresh()
    view = workspace.account("a", AS_OF)
    assert view["as_of"] == AS_OF
    assert (view["account"]["account_id"], float(view["account"]["mrr"])) == ("a", 150.0)
    assert [(m["month"], m["kind"], float(m["amount"])) for m in view["movements"]] == [
        ("2024-01", "new", 100.0), ("2024-03", "expansion", 50.0),
    ]
    months = view["usage_by_month"]
    assert [m["month"] for m in months][:1] + [m["month"] for m in months][-1:] == ["2023-04", "2024-03"]
    assert [(m["month"], m["active_days"], m["active_users"], m["logins"]) for m in months[-3:]] == [
        ("2024-01", 1, 1, 1), ("2024-02", 0, 0, 0), ("2024-03", 2, 1, 2),
    ]
    assert [(t["ticket_id"], t["open"], t["solved_at"]) for t in view["tickets"]] == [("t1", True, None)]
    assert [(s["kind"], s["score"]) for s in view["surveys"]] == [("nps", 9)]
    assert [m["milestone"] for m in view["milestones"]] == ["onboarded"]


def test_an_unknown_account_is_named(workspace):
    load(workspace)
    with pytest.raises(UsageError, match="unknown account 'nope'"):
        workspace.account("nope", AS_OF)
