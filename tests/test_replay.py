"""A replay (the health history and the stage snapshots rebuilt after a settings change) runs one
query, compiled once over a stand-in for the day, for every past day (warehouse/dated.py). Each day's
rows must be those of evaluating that day on its own, with the day as a literal."""

from __future__ import annotations

from datetime import date

import pytest

from tenure import Workspace
from tenure.health.history import refresh_history, snapshot
from tenure.journey.history import SNAPSHOTS, refresh_journey
from tenure.journey.stages import stages
from tenure.signals import account_signals
from tests.conftest import copy_workspace

END = date(2025, 4, 30)


@pytest.fixture(scope="module")
def replayed(demo_folder, tmp_path_factory):
    """A demo workspace in a zone with daylight saving time (its local midnights are computed by the
    engine for the stand-in day), both histories replayed: weekly health days over 90 days and
    fortnightly stage days over the 8 months, on both sides of the change to summer time (30 March)."""
    folder = copy_workspace(demo_folder(accounts=12, months=8, seed=5, end=END), tmp_path_factory.mktemp("replay") / "ws")
    config = folder / "tenure.toml"
    text = config.read_text().replace('timezone = "UTC"', 'timezone = "Europe/Berlin"')
    config.write_text(text)
    ws = Workspace.open(folder)
    ws.refresh()
    refresh_history(ws.warehouse, END, settings=ws.settings)
    refresh_journey(ws.warehouse, END, settings=ws.settings)
    yield ws
    ws.close()


def _by_day(rows: list[dict]) -> dict[date, list[tuple]]:
    days: dict[date, list[tuple]] = {}
    for row in rows:
        days.setdefault(row["day"], []).append(tuple(row.values()))
    return {day: sorted(found) for day, found in days.items()}


@pytest.mark.slow
def test_replayed_scores_are_those_of_scoring_each_day_alone(replayed):
    warehouse = replayed.warehouse
    stored = _by_day(replayed.health_history().to_pylist())
    past = sorted(day for day in stored if day != END)
    assert len(past) == 12 and past[0] < date(2025, 3, 30) < past[-1]
    for day in past:
        alone = _by_day(snapshot(warehouse, day, settings=replayed.settings).to_pyarrow().to_pylist())
        assert stored[day] == alone[day], day


@pytest.mark.slow
def test_replayed_stages_are_those_of_staging_each_day_alone(replayed):
    warehouse = replayed.warehouse
    stored = _by_day(warehouse.table(SNAPSHOTS).select("day", "account_id", "stage").to_pyarrow().to_pylist())
    past = sorted(day for day in stored if day != END)
    assert len(past) >= 15 and past[0] < date(2025, 3, 30) < past[-1]
    for day in past:
        settings = replayed.settings
        alone = stages(warehouse, account_signals(warehouse, day, settings=settings), day, events=settings.events,
                       journey=settings.journey).mutate(day=day).select("day", "account_id", "stage")
        assert stored[day] == _by_day(alone.to_pyarrow().to_pylist())[day], day
