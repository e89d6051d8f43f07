"""`tenure refresh`: the daily rollup built once from events, its mapping, and the staleness guard."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tenure import Workspace
from tenure.errors import ConfigError, DataError
from tenure.warehouse.rollup import COLUMNS, feature_uses
from tests.conftest import put_rows


def event(n: int, event: str, at: str, *, account: str = "a", user: str | None = "u1") -> dict:
    return {"event_id": f"e{n}", "account_id": account, "user_id": user, "event": event, "timestamp": at}


def rollup_rows(ws: Workspace) -> list[dict]:
    table = ws.warehouse.table("_daily_activity")
    return table.order_by(["account_id", "user_id", "day"]).to_pyarrow().to_pylist()


def with_settings(ws: Workspace, text: str) -> Workspace:
    """Replace the keys given in `text` (one `key = value` per line) in tenure.toml and reopen."""
    config = ws.path / "tenure.toml"
    body = config.read_text()
    for line in text.strip().splitlines():
        key = line.split("=")[0].strip()
        body, found = re.subn(rf"(?m)^{key} = .*$", line, body, count=1)
        assert found == 1, key
    config.write_text(body)
    ws.close()
    return Workspace.open(ws.path)


def test_the_rollup_counts_each_mapped_event_per_user_and_day(workspace):
    put_rows(workspace, "events", [
        event(1, "login", "2024-03-01 08:00"),
        event(2, "password_reset", "2024-03-01 08:01"),
        event(3, "password_reset", "2024-03-01 08:02"),
        event(4, "kb_article_viewed", "2024-03-01 09:00"),
        event(5, "report_shared", "2024-03-01 10:00"),
        event(6, "api_call", "2024-03-01 11:00"),
        event(7, "login", "2024-03-02 08:00"),
        event(8, "api_call", "2024-03-02 09:00", user=None),
    ])
    workspace.refresh()
    assert rollup_rows(workspace) == [
        {"account_id": "a", "user_id": "u1", "day": date(2024, 3, 1), "events": 6, "active": True, "logins": 1,
         "password_resets": 2, "kb_views": 1, "content_views": 0, "feature_mask": 0b1010},
        {"account_id": "a", "user_id": "u1", "day": date(2024, 3, 2), "events": 1, "active": True, "logins": 1,
         "password_resets": 0, "kb_views": 0, "content_views": 0, "feature_mask": 0},
        {"account_id": "a", "user_id": None, "day": date(2024, 3, 2), "events": 1, "active": True, "logins": 0,
         "password_resets": 0, "kb_views": 0, "content_views": 0, "feature_mask": 0b1000},
    ]
    assert tuple(rollup_rows(workspace)[0]) == COLUMNS


def test_feature_uses_lists_each_feature_of_the_mask_by_name(workspace):
    # Default features in order: dashboards (bit 0), reports (1), integrations (2), api (3), ...
    put_rows(workspace, "events", [
        event(1, "report_shared", "2024-03-01 10:00"),
        event(2, "api_call", "2024-03-01 11:00"),
        event(3, "login", "2024-03-02 08:00"),
    ])
    workspace.refresh()
    uses = feature_uses(workspace.warehouse, workspace.warehouse.table("_daily_activity"), events=workspace.settings.events)
    rows = uses.order_by(["day", "feature_order"]).select("day", "feature", "feature_order").to_pyarrow().to_pylist()
    assert rows == [
        {"day": date(2024, 3, 1), "feature": "reports", "feature_order": 1},
        {"day": date(2024, 3, 1), "feature": "api", "feature_order": 3},
    ]


def test_days_are_taken_in_the_workspace_time_zone(workspace):
    ws = with_settings(workspace, 'timezone = "America/New_York"')
    try:
        # 03:00 UTC on 2 March is 22:00 on 1 March in New York.
        put_rows(ws, "events", [event(1, "login", "2024-03-02 03:00:00+00:00")])
        ws.refresh()
        assert [row["day"] for row in rollup_rows(ws)] == [date(2024, 3, 1)]
    finally:
        ws.close()


def test_the_activity_list_decides_which_user_days_are_active(workspace):
    ws = with_settings(workspace, 'activity = ["dashboard_viewed"]\ncontent = ["webinar_watched"]')
    try:
        put_rows(ws, "events", [
            event(1, "password_reset", "2024-03-01 08:00"),
            event(2, "webinar_watched", "2024-03-01 09:00"),
            event(3, "dashboard_viewed", "2024-03-02 08:00"),
        ])
        ws.refresh()
        assert [(r["day"], r["active"], r["content_views"]) for r in rollup_rows(ws)] == [
            (date(2024, 3, 1), False, 1), (date(2024, 3, 2), True, 0),
        ]
    finally:
        ws.close()


def test_refresh_is_idempotent(workspace):
    put_rows(workspace, "events", [event(1, "login", "2024-03-01 08:00"), event(2, "login", "2024-03-03 08:00")])
    first = workspace.refresh()
    before = rollup_rows(workspace)
    second = workspace.refresh()
    assert rollup_rows(workspace) == before
    assert [(d.table, d.rows, d.events_load_id) for d in first] == [(d.table, d.rows, d.events_load_id) for d in second]
    # One _refreshes row per derived table, replaced by each refresh.
    assert workspace.warehouse.raw.execute("SELECT count(*) FROM _refreshes").fetchone() == (len(first),)


def test_usage_without_a_refresh_asks_for_one(workspace):
    put_rows(workspace, "events", [event(1, "login", "2024-03-01 08:00")])
    with pytest.raises(DataError, match="run `tenure refresh`"):
        workspace.usage("2024-03", "2024-03")


def test_events_loaded_after_the_refresh_make_the_rollup_stale(workspace):
    put_rows(workspace, "events", [event(1, "login", "2024-03-01 08:00")])
    workspace.refresh()
    workspace.usage("2024-03", "2024-03")
    put_rows(workspace, "events", [event(2, "login", "2024-03-02 08:00")])
    with pytest.raises(DataError, match=r"events were loaded \(load 2\) after the last refresh.*run `tenure refresh`"):
        workspace.usage("2024-03", "2024-03")
    workspace.refresh()
    assert workspace.usage("2024-03", "2024-03").column("dau").to_pylist() == [pytest.approx(2 / 31)]


def test_changed_event_settings_make_the_rollup_stale(workspace):
    put_rows(workspace, "events", [event(1, "login", "2024-03-01 08:00")])
    workspace.refresh()
    ws = with_settings(workspace, 'login = ["sign_in"]')
    try:
        with pytest.raises(DataError, match=r"\[events\].*changed.*run `tenure refresh`"):
            ws.daily_usage("2024-03-01", "2024-03-01")
    finally:
        ws.close()


@pytest.mark.slow
def test_the_demo_workspace_is_refreshed(demo_folder):
    folder = demo_folder(accounts=10, months=3, seed=3, end=date(2025, 3, 31))
    with Workspace.open(folder, read_only=True) as ws:
        march = ws.usage("2025-03", "2025-03").to_pylist()[0]  # a stale or missing rollup raises instead
        # The same figures straight from the raw events: every event counts as activity by default, and
        # March's MAU is the 30 days ending 31 March (2..31 March, UTC).
        raw = ws.warehouse.raw.execute(
            "SELECT count(DISTINCT user_id), count(DISTINCT account_id) FROM events "
            "WHERE timezone('UTC', timestamp)::DATE BETWEEN DATE '2025-03-02' AND DATE '2025-03-31'").fetchone()
    assert raw == (253, 6)
    assert (march["mau"], march["mau_accounts"]) == (253, 6)


def test_event_settings_errors_are_reported_with_their_lines(tmp_path):
    from tenure.config import read_settings

    path = tmp_path / "tenure.toml"
    path.write_text(
        "[events]\n"                       # 1
        'login = ["login", ""]\n'          # 2
        "\n"                               # 3
        "[events.activation]\n"            # 4
        "within_days = 0\n"                # 5
        "[events.value]\n"                 # 6
        'event = "report_shared"\n'        # 7
        'milestone = "first_report"\n'     # 8
        "[[events.features]]\n"            # 9
        'name = "reports"\n'               # 10
        'events = ["report_created"]\n'    # 11
        "[[events.features]]\n"            # 12
        'name = "alerts"\n'                # 13
        "events = []\n"                    # 14
        'launch = "someday"\n'             # 15
    )
    with pytest.raises(ConfigError) as caught:
        read_settings(path)
    assert [(p.line, p.message.split(":")[0]) for p in caught.value.problems] == [
        (2, "events.login"),
        (5, "events.activation.within_days"),
        (6, "events.value"),
        (14, "events.features.1.events"),
        (15, "events.features.1.launch"),
    ]
    assert "set exactly one of event or milestone" in str(caught.value)


def test_repeated_feature_names_are_an_error(tmp_path):
    from tenure.config import read_settings

    path = tmp_path / "tenure.toml"
    path.write_text('[[events.features]]\nname = "a"\nevents = ["x"]\n[[events.features]]\nname = "a"\nevents = ["y"]\n')
    with pytest.raises(ConfigError, match="feature names must be unique; repeated: a"):
        read_settings(path)


def test_event_firsts_keep_the_first_occurrences_of_the_watched_events(workspace):
    # Watched by default: the activation events, the value event (report_shared) and the functional
    # milestones' events; reporting_habit counts 10 reports, so 10 occurrences are kept per event.
    put_rows(workspace, "events", [
        event(1, "report_shared", "2024-03-02 08:00"),
        event(2, "report_shared", "2024-03-01 08:00"),
        event(3, "login", "2024-03-01 07:00"),
    ])
    workspace.refresh()
    table = workspace.warehouse.table("_event_firsts")
    rows = table.filter(table.event == "report_shared").order_by("nth").to_pyarrow().to_pylist()
    assert [(r["nth"], r["at"].isoformat()) for r in rows] == [(1, "2024-03-01T08:00:00+00:00"), (2, "2024-03-02T08:00:00+00:00")]
    assert table.filter(table.event == "login").count().to_pyarrow().as_py() == 0
