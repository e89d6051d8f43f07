"""Feature adoption, breadth, activation and time to value.

Every expected value is counted by hand from the timeline written beside it. Unless a test
reconfigures them, the features are the demo's six (dashboards = dashboard_viewed, reports =
report_created or report_shared, integrations, api, exports, alerts), activation is dashboard_viewed
and report_created within 14 days, and the value event is report_shared."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tenure import Workspace
from tenure.metrics.activation import COLUMNS as ACTIVATION_COLUMNS
from tenure.metrics.adoption import COLUMNS, account_adoption
from tests.conftest import put_rows


def did(account: str, *moments: str, event: str) -> list[dict]:
    """One event per moment ('YYYY-MM-DD' means noon) by an account's user u-<account>."""
    return [
        {"account_id": account, "user_id": f"u-{account}", "event": event,
         "timestamp": moment if " " in moment else f"{moment} 12:00"}
        for moment in moments
    ]


def load(ws: Workspace, *timelines: list[dict], accounts: dict[str, str] | None = None) -> None:
    """Events, then accounts {account_id: created_at}, then the rollup."""
    rows = [row for timeline in timelines for row in timeline]
    if rows:
        put_rows(ws, "events", [{"event_id": f"e{n}", **row} for n, row in enumerate(rows)])
    if accounts:
        put_rows(ws, "accounts", [{"account_id": a, "created_at": c} for a, c in accounts.items()])
    ws.refresh()


@pytest.fixture
def configured(workspace):
    """configured(features=TOML): replace the [[events.features]] tables and reopen."""
    opened: list[Workspace] = []

    def _configured(*, features: str) -> Workspace:
        config = workspace.path / "tenure.toml"
        text = config.read_text(encoding="utf-8")
        text = text[: text.index("[[events.features]]")] + features
        config.write_text(text, encoding="utf-8")
        workspace.close()
        opened.append(Workspace.open(workspace.path))
        return opened[-1]

    yield _configured
    for ws in opened:
        ws.close()


def rows_of(ws: Workspace, first: str, last: str, feature: str) -> dict[str, dict]:
    return {r["month"]: r for r in ws.monthly("adoption", first, last).to_pylist() if r["feature"] == feature}


def test_rows_have_the_contract_keys_one_per_month_and_feature_in_configuration_order(workspace):
    load(workspace)
    found = workspace.monthly("adoption", "2024-01", "2024-02")
    assert found.schema.names == ["month", "feature", *COLUMNS]
    features = ["dashboards", "reports", "integrations", "api", "exports", "alerts"]
    assert [(r["month"], r["feature"]) for r in found.to_pylist()] == [
        (m, f) for m in ("2024-01", "2024-02") for f in features
    ]
    assert workspace.monthly("activation", "2024-01", "2024-01").schema.names == ["month", *ACTIVATION_COLUMNS]


def test_adoption_rate_is_active_accounts_using_the_feature_over_active_accounts(workspace):
    # March: a views a dashboard, b only logs in; c viewed one in February only (not active in March).
    load(
        workspace,
        did("a", "2024-03-05", event="dashboard_viewed"),
        did("b", "2024-03-10", event="login"),
        did("c", "2024-02-10", event="dashboard_viewed"),
    )
    march = {r["feature"]: r for r in workspace.monthly("adoption", "2024-03", "2024-03").to_pylist()}
    assert (march["dashboards"]["active_accounts"], march["dashboards"]["using_accounts"]) == (2, 1)
    assert march["dashboards"]["adoption_rate"] == 0.5
    assert (march["reports"]["using_accounts"], march["reports"]["adoption_rate"]) == (0, 0.0)


def test_time_to_adopt_counts_from_creation_or_from_a_later_launch(configured):
    ws = configured(features="""
[[events.features]]
name = "dashboards"
events = ["dashboard_viewed"]
[[events.features]]
name = "reports"
events = ["report_created"]
launch = 2024-03-10
""")
    # a: created 1 March (before the reports launch), b: created 20 March (after it).
    load(
        ws,
        did("a", "2024-03-15", event="dashboard_viewed"),  # 14 days after creation (no launch date)
        did("a", "2024-03-15", event="report_created"),  # 5 days after the launch on 10 March
        did("b", "2024-03-28", event="report_created"),  # 8 days after its creation on 20 March
        accounts={"a": "2024-03-01 09:00", "b": "2024-03-20 09:00"},
    )
    assert rows_of(ws, "2024-03", "2024-03", "dashboards")["2024-03"]["time_to_adopt_days_median"] == 14.0
    reports = rows_of(ws, "2024-03", "2024-03", "reports")["2024-03"]
    assert (reports["new_adopters"], reports["time_to_adopt_days_median"]) == (2, 6.5)  # median of 5 and 8


def test_time_to_adopt_counts_accounts_in_the_month_of_their_first_use_only(workspace):
    load(
        workspace,
        did("a", "2024-01-04", "2024-02-20", event="dashboard_viewed"),  # adopted in January, 3 days
        did("b", "2024-02-11", event="dashboard_viewed"),  # adopted in February, 10 days
        accounts={"a": "2024-01-01 08:00", "b": "2024-02-01 08:00"},
    )
    found = rows_of(workspace, "2024-01", "2024-03", "dashboards")
    assert [(found[m]["new_adopters"], found[m]["time_to_adopt_days_median"]) for m in ("2024-01", "2024-02", "2024-03")] == [
        (1, 3.0), (1, 10.0), (0, None),
    ]


def test_duration_and_still_using_as_of_each_month_end_see_use_before_the_range(workspace):
    # a: dashboards on 10 January, 5 February and 20 April; b: on 25 March only.
    load(
        workspace,
        did("a", "2024-01-10", "2024-02-05", "2024-04-20", event="dashboard_viewed"),
        did("b", "2024-03-25", event="dashboard_viewed"),
    )
    found = rows_of(workspace, "2024-03", "2024-04", "dashboards")
    march, april = found["2024-03"], found["2024-04"]
    # 31 March: a lasted 10 Jan..5 Feb = 26 days, b 0 days. Only a first used it by 1 March (30 days
    # before the month end), and its last use (5 Feb) is outside 2..31 March.
    assert (march["adopters"], march["duration_days_median"], march["still_using_30d"]) == (2, 13.0, 0.0)
    # 30 April: a lasted 10 Jan..20 Apr = 101 days, b 0. Both first used it by 31 March; a used it in
    # 1..30 April, b did not.
    assert (april["adopters"], april["duration_days_median"], april["still_using_30d"]) == (2, 50.5, 0.5)
    assert april["adoption_rate"] == 1.0  # a is the only account active in April


def test_still_using_needs_30_days_since_first_use(workspace):
    load(workspace, did("a", "2024-01-10", "2024-02-05", event="dashboard_viewed"))
    found = rows_of(workspace, "2024-01", "2024-02", "dashboards")
    # 31 January: 10 January is not on or before 1 January. 29 February: 10 January is on or before
    # 30 January, and 5 February is within 31 January..29 February.
    assert (found["2024-01"]["duration_days_median"], found["2024-01"]["still_using_30d"]) == (0.0, None)
    assert (found["2024-02"]["duration_days_median"], found["2024-02"]["still_using_30d"]) == (26.0, 1.0)


def test_breadth_is_features_used_in_the_30_days_ending_as_of_over_features(workspace):
    load(
        workspace,
        did("a", "2024-03-01", event="report_created"),  # outside 2..31 March
        did("a", "2024-03-02", event="dashboard_viewed"),
        did("a", "2024-03-31", event="api_call"),
        did("a", "2024-03-31", event="api_call"),
        did("c", "2024-04-01", event="export_csv"),  # after as_of
        accounts={"a": "2024-01-01", "b": "2024-01-01", "c": "2024-01-01"},
    )
    found = account_adoption(workspace.warehouse, date(2024, 3, 31), events=workspace.settings.events)
    found = found.to_pyarrow().to_pylist()
    assert found == [
        {"account_id": "a", "features_used_30d": 2, "breadth": pytest.approx(2 / 6)},
        {"account_id": "b", "features_used_30d": 0, "breadth": 0.0},
        {"account_id": "c", "features_used_30d": 0, "breadth": 0.0},
    ]


ACTIVATION_TIMELINE = (
    # a: both events, the last an hour before its 14 days end: activated.
    did("a", "2024-01-03", event="dashboard_viewed") + did("a", "2024-01-14 23:00", event="report_created"),
    # b: report_created exactly 14 days after its creation: just outside.
    did("b", "2024-01-02", event="dashboard_viewed") + did("b", "2024-01-15 00:00", event="report_created"),
    # c: only one of the two events.
    did("c", "2024-01-11", event="dashboard_viewed"),
    # d: both on its next day.
    did("d", "2024-01-21", event="dashboard_viewed") + did("d", "2024-01-21", event="report_created"),
    # value events: a 3 days, b 10 days, c 20 days after creation; d none.
    did("a", "2024-01-04", event="report_shared"),
    did("b", "2024-01-11", "2024-01-12", event="report_shared"),
    did("c", "2024-01-30", event="report_shared"),
)
CREATED = {"a": "2024-01-01 00:00", "b": "2024-01-01 00:00", "c": "2024-01-10 00:00", "d": "2024-01-20 12:00"}


def test_activation_needs_every_event_within_the_window(workspace):
    load(workspace, *ACTIVATION_TIMELINE, accounts=CREATED)
    (january,) = workspace.monthly("activation", "2024-01", "2024-01").to_pylist()
    assert (january["accounts_created"], january["activated"], january["activation_rate"]) == (4, 2, 0.5)


def test_time_to_value_from_the_first_value_event(workspace):
    load(workspace, *ACTIVATION_TIMELINE, accounts=CREATED)
    (january,) = workspace.monthly("activation", "2024-01", "2024-01").to_pylist()
    # 3, 10, 20 days: median 10; p75 at rank 1.5, 10 + 0.5 x 10.
    assert (january["reached_value"], january["time_to_value_days_median"], january["time_to_value_days_p75"]) == (
        3, 10.0, 15.0,
    )


def test_time_to_value_from_a_milestone(workspace):
    config = workspace.path / "tenure.toml"
    config.write_text(config.read_text().replace('event = "report_shared"', 'milestone = "onboarded"'))
    workspace.close()
    ws = Workspace.open(workspace.path)
    load(ws, *ACTIVATION_TIMELINE, accounts=CREATED)  # its report_shared events no longer count
    put_rows(ws, "milestones", [
        {"account_id": "a", "milestone": "onboarded", "achieved_at": "2024-01-05 10:00"},  # 4 days
        {"account_id": "b", "milestone": "onboarded", "achieved_at": "2024-01-09 10:00"},  # 8 days
        {"account_id": "c", "milestone": "onboarded", "achieved_at": "2024-01-12 10:00"},  # 2 days
        {"account_id": "d", "milestone": "onboarded", "achieved_at": "2024-02-01 10:00"},  # 12 days
        {"account_id": "d", "milestone": "renewed", "achieved_at": "2024-01-21 10:00"},  # another milestone
    ])
    (january,) = ws.monthly("activation", "2024-01", "2024-01").to_pylist()
    # 2, 4, 8, 12 days: median 6; p75 at rank 2.25, 8 + 0.25 x 4.
    assert (january["reached_value"], january["time_to_value_days_median"], january["time_to_value_days_p75"]) == (
        4, 6.0, 9.0,
    )
    ws.close()


def test_zero_denominators_are_null(workspace):
    load(workspace, *ACTIVATION_TIMELINE, accounts=CREATED)
    (february,) = workspace.monthly("activation", "2024-02", "2024-02").to_pylist()
    assert february == {
        "month": "2024-02", "accounts_created": 0, "activated": 0, "activation_rate": None, "reached_value": 0,
        "time_to_value_days_median": None, "time_to_value_days_p75": None,
    }
    june = rows_of(workspace, "2024-06", "2024-06", "dashboards")["2024-06"]
    assert (june["active_accounts"], june["adoption_rate"], june["time_to_adopt_days_median"]) == (0, None, None)
    assert (june["adopters"], june["duration_days_median"], june["still_using_30d"]) == (4, 0.0, 0.0)


def test_adoption_needs_a_fresh_rollup(workspace):
    from tenure.errors import DataError

    put_rows(workspace, "events", [{"event_id": "e0", **row} for row in did("a", "2024-03-01", event="dashboard_viewed")])
    with pytest.raises(DataError, match="tenure refresh"):
        workspace.monthly("adoption", "2024-03", "2024-03")


def test_by_splits_adoption_and_activation_by_an_account_attribute(workspace):
    load(
        workspace,
        did("a", "2024-03-05", event="dashboard_viewed"),
        did("b", "2024-03-10", event="login"),
    )
    put_rows(workspace, "accounts", [
        {"account_id": "a", "created_at": "2024-03-01", "segment": "smb"},
        {"account_id": "b", "created_at": "2024-03-01", "segment": "ent"},
    ])
    rows = workspace.monthly("adoption", "2024-03", "2024-03", by="segment").to_pylist()
    dashboards = {r["segment"]: r["adoption_rate"] for r in rows if r["feature"] == "dashboards"}
    assert dashboards == {"ent": 0.0, "smb": 1.0}
    created = workspace.monthly("activation", "2024-03", "2024-03", by="segment").to_pylist()
    assert [(r["segment"], r["accounts_created"]) for r in created] == [("ent", 1), ("smb", 1)]


def test_first_and_last_use_within_one_month_are_its_earliest_and_latest_days(workspace):
    # a: dashboards on 3, 17 and 29 March (three days of one month); created 1 March.
    load(workspace, did("a", "2024-03-17", "2024-03-03", "2024-03-29", event="dashboard_viewed"), accounts={"a": "2024-03-01"})
    march = rows_of(workspace, "2024-03", "2024-03", "dashboards")["2024-03"]
    # Adopted on 3 March, 2 days after creation; used until 29 March: 26 days.
    assert (march["time_to_adopt_days_median"], march["duration_days_median"]) == (2.0, 26.0)


def test_the_month_in_progress_does_not_count_uses_after_today(workspace):
    today = datetime.now(ZoneInfo(workspace.settings.workspace.timezone)).date()
    tomorrow = today + timedelta(days=1)
    # a views a dashboard today, b only tomorrow (in this month, or the next one when today is its last day).
    load(workspace, did("a", today.isoformat(), event="dashboard_viewed"), did("b", tomorrow.isoformat(), event="dashboard_viewed"))
    found = rows_of(workspace, f"{today:%Y-%m}", f"{today:%Y-%m}", "dashboards")[f"{today:%Y-%m}"]
    assert (found["active_accounts"], found["using_accounts"], found["new_adopters"], found["adopters"]) == (1, 1, 1, 1)
