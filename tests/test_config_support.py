"""[support.business_hours]: optional, commented out in the template, validated with every problem at once."""

from datetime import date
from pathlib import Path

import pytest

from tenure.config import read_settings, render_template
from tenure.errors import ConfigError


def test_the_template_shows_business_hours_commented_out():
    template = render_template()
    assert "# [support.business_hours]" in template
    assert '# start = "09:00"' in template


def test_a_schedule_is_read(tmp_path: Path):
    path = tmp_path / "tenure.toml"
    path.write_text(
        '[support.business_hours]\ndays = ["mon", "tue"]\nstart = "08:30"\nend = "18:00"\n'
        'timezone = "Europe/Berlin"\nholidays = ["2025-12-25", 2025-12-26]\n'
    )
    hours = read_settings(path).support.business_hours
    assert (hours.days, hours.start, hours.end, hours.timezone) == (["mon", "tue"], "08:30", "18:00", "Europe/Berlin")
    assert hours.holidays == [date(2025, 12, 25), date(2025, 12, 26)]


def test_a_schedule_read_back_from_the_template_is_the_same(tmp_path: Path):
    path = tmp_path / "tenure.toml"
    path.write_text('[support.business_hours]\nholidays = ["2025-12-25"]\n')
    settings = read_settings(path)
    path.write_text(render_template(settings))
    assert read_settings(path) == settings


def test_every_schedule_problem_is_reported(tmp_path: Path):
    path = tmp_path / "tenure.toml"
    path.write_text(
        "[support.business_hours]\n"
        'days = ["monday"]\n'
        'start = "9am"\n'
        'timezone = "Mars/Olympus"\n'
        'holidays = ["25/12/2025"]\n'
    )
    with pytest.raises(ConfigError) as caught:
        read_settings(path)
    assert sorted(p.line for p in caught.value.problems) == [2, 3, 4, 5]


def test_closing_must_come_after_opening(tmp_path: Path):
    path = tmp_path / "tenure.toml"
    path.write_text('[support.business_hours]\nstart = "17:00"\nend = "09:00"\n')
    with pytest.raises(ConfigError, match="end 09:00 must be after start 17:00"):
        read_settings(path)
