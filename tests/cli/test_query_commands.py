"""`tenure query lifecycle|retention` through the real entry point, on one small timeline: u1 is active
in the weeks of Jan 1 and Jan 8 2024, u2 only in the week of Jan 1."""

from pathlib import Path

import pytest

from tests.cli.runner import tenure

# Each test starts `tenure` in a subprocess (end to end).
pytestmark = pytest.mark.slow


def test_lifecycle_and_retention_json_actors_sql_and_a_bad_option(tmp_path: Path, workspace_folder: Path):
    ws = workspace_folder  # a new workspace, as `tenure init` makes
    (tmp_path / "events.csv").write_text(
        "event_id,account_id,user_id,event,timestamp\n"
        "e1,A,u1,login,2024-01-02 10:00\ne2,A,u2,login,2024-01-03 10:00\ne3,A,u1,export,2024-01-09 10:00\n"
    )
    assert tenure("-w", ws, "load", "events", tmp_path / "events.csv").code == 0
    week = ("--interval", "week", "--from", "2024-01-01", "--to", "2024-01-08")

    run = tenure("-w", ws, "query", "lifecycle", "--unit", "user", *week, "--event", "login", "--event", "export", "--json")
    assert run.code == 0, run.stderr
    assert run.json() == [
        {"period": "2024-01-01", "new": 2, "returning": 0, "resurrecting": 0, "dormant": 0},
        {"period": "2024-01-08", "new": 0, "returning": 1, "resurrecting": 0, "dormant": 1},
    ]

    run = tenure("-w", ws, "query", "retention", *week, "--start-event", "login", "--return-event", "export",
                 "--cohorts", "first_time", "--count", "on_or_after", "--json")
    assert run.code == 0, run.stderr
    assert run.json() == [{"cohort": "2024-01-01", "size": 2, "values": [2, 1]}, {"cohort": "2024-01-08", "size": 0, "values": [0]}]

    run = tenure("-w", ws, "query", "lifecycle", *week, "--actors", "2024-01-08,dormant", "--json")
    assert run.code == 0, run.stderr
    assert run.json() == [{"unit_id": "u2"}]

    run = tenure("-w", ws, "query", "retention", *week, "--sql")
    assert run.code == 0, run.stderr
    assert '"events"' in run.stdout

    run = tenure("-w", ws, "query", "lifecycle", "--interval", "quarter")
    assert run.code == 2
    assert "--interval: 'quarter' is not one of day, week, month" in run.stderr
