"""The stage history: stage snapshots at a cadence turned into spells, and the time spent in each stage.

The timeline: account a, created Monday 1 January 2024, on a trial until 15 January, paying until
12 February, then gone. With weekly snapshots (Mondays 1, 8, 15, 22, 29 January, 5, 12, 19, 26 February,
4 March) its stages are trial, trial, customer x 4, churned x 4."""

from __future__ import annotations

from datetime import date

import pytest

from tenure import Workspace
from tenure.config.journey import JourneySettings, Stage
from tenure.journey import journey, refresh_journey, snapshot_days, stage_history, stage_summary, time_in_stage
from tenure.errors import DataError
from tests.conftest import put_rows
from tests.journey.conftest import account
from tests.metrics.rows import sub

AS_OF = date(2024, 3, 4)
STAGES = [Stage(name="churned", when="mrr == 0 and ever_paid"), Stage(name="trial", when="on_trial"),
          Stage(name="customer")]


def _timeline(folder) -> Workspace:
    ws = Workspace.init(folder)
    put_rows(ws, "accounts", [account("a"), account("b", "2024-02-28")])
    put_rows(ws, "subscriptions", [sub("t", "a", "2024-01-01", "2024-01-15", amount="0", trial=True),
                                   sub("p", "a", "2024-01-15", "2024-02-12"), sub("q", "b", "2024-02-28")])
    ws.settings.journey = JourneySettings(stages=STAGES, milestones=[], snapshot_days=7)
    ws.refresh()  # the signals read the daily rollup and _event_firsts, built for these settings
    return ws


@pytest.fixture
def timeline(tmp_path):
    ws = _timeline(tmp_path / "ws")
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    # Built once for the tests that only read the history: each snapshot is a query of every signal.
    ws = _timeline(tmp_path_factory.mktemp("history") / "ws")
    refresh_journey(ws, AS_OF, settings=ws.settings)
    yield ws
    ws.close()


def test_snapshots_fall_on_the_grid_and_on_the_refresh_day():
    # Every 7 days from Monday 3 January 2000: Mondays; a Thursday refresh day is added at the end.
    assert snapshot_days(date(2024, 1, 3), date(2024, 1, 18), 7) == [date(2024, 1, 8), date(2024, 1, 15),
                                                                      date(2024, 1, 18)]
    assert snapshot_days(date(2024, 1, 1), date(2024, 1, 15), 7) == [date(2024, 1, 1), date(2024, 1, 8),
                                                                      date(2024, 1, 15)]


def test_each_stage_change_is_a_spell_with_its_days(timeline):
    done = refresh_journey(timeline, AS_OF, settings=timeline.settings)
    assert (done.snapshots, done.spells) == (10, 4)
    spells = stage_history(timeline.warehouse, "a").order_by("entered_on").to_pyarrow().to_pylist()
    assert [(s["stage"], s["entered_on"], s["left_on"], s["days"]) for s in spells] == [
        ("trial", date(2024, 1, 1), date(2024, 1, 15), 14),
        ("customer", date(2024, 1, 15), date(2024, 2, 12), 28),
        ("churned", date(2024, 2, 12), None, 21),  # still churned: counted to the refresh day
    ]


def test_an_account_created_between_snapshots_enters_its_first_stage_on_its_creation_day(refreshed):
    spells = stage_history(refreshed.warehouse, "b").to_pyarrow().to_pylist()
    assert [(s["stage"], s["entered_on"], s["days"]) for s in spells] == [("customer", date(2024, 2, 28), 5)]


def test_the_history_starts_history_days_before_the_refresh_day(timeline):
    # 30 days before 4 March is 3 February; the first Monday from then is 5 February, when a was a customer.
    timeline.settings.journey = JourneySettings(stages=STAGES, milestones=[], snapshot_days=7, history_days=30)
    timeline.refresh()
    refresh_journey(timeline, AS_OF, settings=timeline.settings)
    spells = stage_history(timeline.warehouse, "a").order_by("entered_on").to_pyarrow().to_pylist()
    assert [(s["stage"], s["entered_on"]) for s in spells] == [("customer", date(2024, 2, 5)),
                                                               ("churned", date(2024, 2, 12))]


def test_time_in_stage_sums_the_spells_of_each_account(refreshed):
    rows = time_in_stage(refreshed.warehouse).to_pyarrow().to_pylist()
    assert [(r["account_id"], r["stage"], r["spells"], r["days"]) for r in rows] == [
        ("a", "churned", 1, 21), ("a", "customer", 1, 28), ("a", "trial", 1, 14), ("b", "customer", 1, 5),
    ]


def test_the_journey_shows_since_when_an_account_is_in_its_stage(refreshed):
    found = journey(refreshed.warehouse, AS_OF, settings=refreshed.settings).to_pyarrow().to_pylist()
    rows = {r["account_id"]: r for r in found}
    assert (rows["a"]["stage"], rows["a"]["since"], rows["a"]["days_in_stage"]) == ("churned", date(2024, 2, 12), 21)


def test_the_stage_summary_counts_accounts_now_and_the_median_days_of_spells(refreshed):
    rows = stage_summary(refreshed.warehouse, AS_OF, settings=refreshed.settings).to_pyarrow().to_pylist()
    assert [(r["stage"], r["accounts"], r["share"], r["median_days_completed"], r["median_days_current"])
            for r in rows] == [
        ("churned", 1, 0.5, None, 21.0), ("trial", 0, 0.0, 14.0, None), ("customer", 1, 0.5, 28.0, 5.0),
    ]


def test_the_history_is_asked_for_before_it_is_built(timeline):
    with pytest.raises(DataError, match="tenure journey refresh"):
        stage_history(timeline.warehouse)


def test_a_second_refresh_keeps_past_snapshots_and_only_redoes_the_refresh_day(timeline):
    first = refresh_journey(timeline, AS_OF, settings=timeline.settings)
    again = refresh_journey(timeline, AS_OF, settings=timeline.settings)
    assert (first.snapshots, again.snapshots) == (10, 1)
    assert again.spells == first.spells


def test_changed_settings_resample_every_day(timeline):
    refresh_journey(timeline, AS_OF, settings=timeline.settings)
    timeline.settings.journey = JourneySettings(stages=STAGES, milestones=[], snapshot_days=14)
    assert refresh_journey(timeline, AS_OF, settings=timeline.settings).snapshots == 6
