"""The local day of an instant, computed by the engine from a table of zone transitions."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import ibis
import ibis.expr.datatypes as dt
import pytest

from tenure.warehouse.localday import local_day, offset_at, transitions


def engine_days(zone: str, instants: list[datetime]) -> list[date]:
    table = ibis.memtable({"at": instants}, schema={"at": dt.Timestamp(timezone="UTC")})
    con = ibis.duckdb.connect()
    con.raw_sql("SET TimeZone = 'UTC'")
    rows = con.to_pyarrow(table.select(day=local_day(table.at, zone))).column("day").to_pylist()
    return rows


def test_berlin_switches_to_summer_time_at_one_in_the_morning_utc():
    starts, offsets = transitions("Europe/Berlin")
    spring_2024 = int(datetime(2024, 3, 31, 1, 0, tzinfo=timezone.utc).timestamp())
    assert spring_2024 in starts
    assert offset_at("Europe/Berlin", spring_2024 - 1) == 3600
    assert offset_at("Europe/Berlin", spring_2024) == 7200


def test_an_instant_late_in_the_utc_evening_is_the_next_day_in_berlin():
    assert engine_days("Europe/Berlin", [datetime(2024, 7, 1, 22, 30, tzinfo=timezone.utc)]) == [date(2024, 7, 2)]


def test_an_instant_early_in_the_utc_morning_is_the_previous_day_in_new_york():
    assert engine_days("America/New_York", [datetime(2024, 1, 2, 3, 0, tzinfo=timezone.utc)]) == [date(2024, 1, 1)]


def test_utc_has_one_offset_and_no_transitions():
    assert transitions("UTC") == ((0,), (0,))


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Apia"])
def test_every_hour_of_three_years_matches_pythons_zone_conversion(zone):
    # Lord Howe moves by 30 minutes, Kolkata is +5:30, Apia changed sides of the date line in 2011.
    first = datetime(2010, 1, 1, 0, 17, tzinfo=timezone.utc)
    instants = [first + timedelta(hours=h) for h in range(0, 3 * 366 * 24, 1)]
    expected = [moment.astimezone(ZoneInfo(zone)).date() for moment in instants]
    assert engine_days(zone, instants) == expected
