"""account_signals (`Workspace.signals`): each signal added to the usage profile, at its edges, and
point in time. Every expected value is counted by hand from the rows beside it. As of 31 March 2024
the last 7 days are 25..31 March, the last 90 days 2 January..31 March, and 90 days before is 1 January."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tenure import Workspace
from tenure.signals import CATALOGUE, COLUMNS
from tests.conftest import put_rows
from tests.metrics.rows import sub

AS_OF = date(2024, 3, 31)


def accounts(ws: Workspace, *ids: str, created: str = "2024-01-01", attributes: str | None = None) -> None:
    put_rows(ws, "accounts", [{"account_id": a, "created_at": created, "attributes": attributes} for a in ids])


def events(ws: Workspace, rows: list[tuple[str, str, str | None, str]]) -> None:
    """(account, event, user, timestamp) rows, then refresh the rollup."""
    put_rows(ws, "events", [{"event_id": f"e{n}", "account_id": a, "event": e, "user_id": u, "timestamp": t}
                            for n, (a, e, u, t) in enumerate(rows)])
    ws.refresh()


def signals(ws: Workspace, as_of: date = AS_OF) -> dict[str, dict]:
    if not ws.warehouse.raw.execute("SELECT count(*) FROM events").fetchone()[0]:
        ws.refresh()
    return {row["account_id"]: row for row in ws.signals(as_of).to_pylist()}


def test_rows_have_the_catalogue_columns_then_one_text_column_per_custom_attribute(workspace):
    accounts(workspace, "a", attributes='{"plan_tier": "gold", "employees": 120}')
    accounts(workspace, "b")
    workspace.refresh()
    table = workspace.signals(AS_OF)
    assert table.schema.names == [*COLUMNS, "attr_employees", "attr_plan_tier"]
    assert list(COLUMNS) == list(CATALOGUE)
    assert table.column("attr_employees").to_pylist() == ["120", None]


def test_docs_list_every_signal():
    page = (Path(__file__).parents[2] / "docs" / "signals.md").read_text()
    missing = [name for name in CATALOGUE if f"| `{name}` |" not in page]
    assert missing == []


def test_accounts_created_after_as_of_have_no_row_and_age_counts_days(workspace):
    put_rows(workspace, "accounts", [{"account_id": "a", "created_at": "2024-03-31 23:00"},
                                     {"account_id": "b", "created_at": "2024-01-01"},
                                     {"account_id": "c", "created_at": "2024-04-01"}])
    found = signals(workspace)
    assert {a: row["account_age_days"] for a, row in found.items()} == {"a": 0, "b": 90}


def test_password_resets_in_the_last_7_days(workspace):
    accounts(workspace, "a")
    # 25 March is as_of - 6 (in); 24 March is out; 1 April is after as_of.
    events(workspace, [("a", "password_reset", "u1", "2024-03-25 08:00"), ("a", "password_reset", "u2", "2024-03-25 09:00"),
                       ("a", "password_reset", "u1", "2024-03-24 23:59"), ("a", "password_reset", "u1", "2024-04-01 00:00")])
    assert signals(workspace)["a"]["password_resets_7d"] == 2


def test_active_users_trend_compares_the_two_30_day_windows(workspace):
    accounts(workspace, "a", "b")
    # a: 4 users in February, 3 in March -> (3 - 4) / 4 = -0.25. b: nobody before -> null.
    before = [("a", "login", f"u{n}", "2024-02-10 12:00") for n in range(4)]
    recent = [("a", "login", f"u{n}", "2024-03-10 12:00") for n in range(3)] + [("b", "login", "x", "2024-03-10 12:00")]
    events(workspace, before + recent)
    found = signals(workspace)
    assert (found["a"]["active_users_trend"], found["b"]["active_users_trend"]) == (-0.25, None)


def test_tickets_of_the_last_90_days_escalations_and_median_first_response(workspace):
    accounts(workspace, "a")
    put_rows(workspace, "tickets", [
        # 2 January is as_of - 89 (in): answered in 2 hours, escalated.
        {"ticket_id": "t1", "account_id": "a", "created_at": "2024-01-02 10:00", "first_response_at": "2024-01-02 12:00",
         "status": "solved", "escalated": "true"},
        {"ticket_id": "t2", "account_id": "a", "created_at": "2024-03-30 09:00", "first_response_at": "2024-03-30 13:00",
         "status": "open"},
        # Answered after as_of: unanswered at as_of, so out of the median but still a ticket of the window.
        {"ticket_id": "t3", "account_id": "a", "created_at": "2024-03-31 08:00", "first_response_at": "2024-04-01 08:00",
         "status": "open", "escalated": "false"},
        {"ticket_id": "t4", "account_id": "a", "created_at": "2024-01-01 23:00", "status": "open", "escalated": "true"},
        {"ticket_id": "t5", "account_id": "a", "created_at": "2024-04-01 01:00", "status": "open", "escalated": "true"},
    ])
    a = signals(workspace)["a"]
    assert (a["tickets_90d"], a["escalated_tickets_90d"], a["first_response_hours_median_90d"]) == (3, 1, 3.0)


def test_first_response_counts_business_hours_when_configured(tmp_path: Path):
    ws = Workspace.init(tmp_path / "ws")
    config = ws.path / "tenure.toml"
    config.write_text(config.read_text().replace("# [support.business_hours]", "[support.business_hours]", 1))
    ws.close()
    ws = Workspace.open(tmp_path / "ws")
    try:
        assert ws.settings.support.business_hours is not None
        accounts(ws, "a")
        # Friday 22 March 16:00 to Monday 25 March 10:00: 1 hour on Friday and 1 on Monday (09:00-17:00).
        put_rows(ws, "tickets", [{"ticket_id": "t1", "account_id": "a", "created_at": "2024-03-22 16:00",
                                  "first_response_at": "2024-03-25 10:00", "status": "open"}])
        assert signals(ws)["a"]["first_response_hours_median_90d"] == 2.0
    finally:
        ws.close()


def test_activation_needs_every_event_within_the_window_and_by_as_of(workspace):
    accounts(workspace, "a", "b", created="2024-03-01")
    # Defaults: dashboard_viewed and report_created within 14 days. a does both (the second on 10 March);
    # b does the second on 15 March, day 14 after creation: outside the window.
    events(workspace, [("a", "dashboard_viewed", "u", "2024-03-02 10:00"), ("a", "report_created", "u", "2024-03-10 10:00"),
                       ("b", "dashboard_viewed", "u", "2024-03-02 10:00"), ("b", "report_created", "u", "2024-03-15 10:00")])
    assert {k: v["activated"] for k, v in signals(workspace).items()} == {"a": True, "b": False}
    assert signals(workspace, date(2024, 3, 9))["a"]["activated"] is False


def test_time_to_value_counts_days_to_the_first_value_event_and_is_null_before(workspace):
    accounts(workspace, "a", created="2024-03-01 18:00")
    events(workspace, [("a", "report_shared", "u", "2024-03-11 08:00"), ("a", "report_shared", "u", "2024-03-20 08:00")])
    assert signals(workspace)["a"]["time_to_value_days"] == 10
    assert signals(workspace, date(2024, 3, 10))["a"]["time_to_value_days"] is None


def test_seats_utilisation_and_the_next_annual_renewal(workspace):
    accounts(workspace, "a")
    put_rows(workspace, "subscriptions", [
        {**sub("s1", "a", "2023-05-15", amount="1200", interval=12), "quantity": 10},
        # Starts after as_of: neither seats nor a renewal yet.
        {**sub("s2", "a", "2024-04-01", amount="1200", interval=12), "quantity": 50},
    ])
    events(workspace, [("a", "login", f"u{n}", "2024-03-20 12:00") for n in range(3)])
    a = signals(workspace)["a"]
    # Next anniversary 15 May 2024: 45 days after 31 March. 3 active users on 10 seats.
    assert (a["seats"], a["seat_utilisation"], a["days_to_renewal"]) == (10, 0.3, 45)


def test_an_anniversary_on_as_of_has_passed_and_monthly_rows_have_no_renewal(workspace):
    accounts(workspace, "a", "b", "c")
    put_rows(workspace, "subscriptions", [
        sub("s1", "a", "2023-03-31", amount="1200", interval=12),   # renews 31 March 2024 = as_of: next 2025-03-31
        sub("s2", "b", "2024-01-05", "2024-04-30", amount="100"),   # monthly: its end_date is not a renewal
        sub("s3", "c", "2024-01-05", amount="100"),                 # monthly, open-ended: no renewal
    ])
    found = signals(workspace)
    assert [found[k]["days_to_renewal"] for k in "abc"] == [365, None, None]
    assert found["a"]["seats"] is None


def test_mrr_90_days_ago_and_its_trend(workspace):
    accounts(workspace, "a", "b")
    put_rows(workspace, "subscriptions", [
        sub("s1", "a", "2023-12-01", "2024-02-01", amount="100"),
        sub("s2", "a", "2024-02-01", amount="150"),
        # Ends on 1 January, the day 90 days before: not live at its end, so b had no MRR then.
        sub("s3", "b", "2023-12-01", "2024-01-01", amount="100"),
        sub("s4", "b", "2024-01-01", amount="80"),
    ])
    found = signals(workspace)
    assert (float(found["a"]["mrr_90d_ago"]), found["a"]["mrr_trend"]) == (100.0, 0.5)
    assert (float(found["b"]["mrr_90d_ago"]), found["b"]["mrr_trend"]) == (80.0, 0.0)


def test_last_nps_score_and_its_category(workspace):
    accounts(workspace, "a", "b", "c", "d")
    put_rows(workspace, "surveys", [
        {"response_id": "r1", "account_id": "a", "kind": "nps", "score": 9, "responded_at": "2024-03-01"},
        {"response_id": "r2", "account_id": "a", "kind": "nps", "score": 6, "responded_at": "2024-03-20"},
        {"response_id": "r3", "account_id": "a", "kind": "nps", "score": 10, "responded_at": "2024-04-01"},  # after
        {"response_id": "r4", "account_id": "a", "kind": "csat", "score": 5, "responded_at": "2024-03-30"},
        {"response_id": "r5", "account_id": "b", "kind": "nps", "score": 7, "responded_at": "2023-01-01"},
        {"response_id": "r6", "account_id": "c", "kind": "nps", "score": 9, "responded_at": "2024-03-31 23:00"},
    ])
    found = signals(workspace)
    assert [(found[k]["last_nps_score"], found[k]["nps_category"]) for k in "abcd"] == [
        (6, "detractor"), (7, "passive"), (9, "promoter"), (None, None)]


def test_milestones_reached_by_as_of(workspace):
    accounts(workspace, "a")
    put_rows(workspace, "milestones", [
        {"account_id": "a", "milestone": "go_live", "achieved_at": "2024-03-31 23:59"},
        {"account_id": "a", "milestone": "qbr", "achieved_at": "2024-04-01 00:00"},
    ])
    assert signals(workspace)["a"]["milestones_reached"] == 1


def test_facts_after_as_of_change_nothing(workspace):
    accounts(workspace, "a")
    put_rows(workspace, "subscriptions", [{**sub("s1", "a", "2023-05-15", amount="1200", interval=12), "quantity": 10}])
    events(workspace, [("a", "login", "u1", "2024-03-20 12:00")])
    before = workspace.signals(AS_OF)
    # Every source gets facts dated 1 April, the day after as_of.
    put_rows(workspace, "subscriptions", [{**sub("s2", "a", "2024-04-01", amount="999"), "quantity": 99}])
    put_rows(workspace, "tickets", [{"ticket_id": "t", "account_id": "a", "created_at": "2024-04-01 00:00",
                                     "first_response_at": "2024-04-01 01:00", "status": "open", "escalated": "true"}])
    put_rows(workspace, "surveys", [{"response_id": "r", "account_id": "a", "kind": "nps", "score": 0,
                                     "responded_at": "2024-04-01 00:00"}])
    put_rows(workspace, "milestones", [{"account_id": "a", "milestone": "m", "achieved_at": "2024-04-01 00:00"}])
    put_rows(workspace, "events", [{"event_id": f"late{n}", "account_id": "a", "user_id": "u9", "event": e,
                                    "timestamp": "2024-04-01 00:00"}
                                   for n, e in enumerate(["password_reset", "dashboard_viewed", "report_created",
                                                          "report_shared"])])
    workspace.refresh()
    assert workspace.signals(AS_OF).to_pylist() == before.to_pylist()
