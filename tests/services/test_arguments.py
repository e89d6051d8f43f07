"""services.arguments: days and months parsed once, each error naming the parameter in the core's words."""

from datetime import date

import pytest

from tenure.errors import UsageError
from tenure.services import arguments

TODAY = date(2025, 3, 14)


def test_as_of_defaults_to_the_given_today():
    assert arguments.as_of(None, today=TODAY) == date(2025, 3, 14)


def test_as_of_reads_iso_text():
    assert arguments.as_of("2024-02-29", today=TODAY) == date(2024, 2, 29)


def test_a_bad_day_names_its_parameter():
    with pytest.raises(UsageError) as raised:
        arguments.as_of("29/02/2024", today=TODAY)
    assert str(raised.value) == "as_of: '29/02/2024' is not a day; write YYYY-MM-DD, for example 2025-01-06"
    assert raised.value.arguments == ["as_of"]


def test_months_default_to_the_twelve_ending_today():
    # A month's index is year * 12 + month - 1: 2025-03 is 24302, and 2024-04, eleven months before, 24291.
    assert arguments.months(None, None, today=TODAY) == (24291, 24302)


def test_months_from_start_to_end():
    assert arguments.months("2024-11", "2025-01", today=TODAY) == (24298, 24300)


def test_a_start_after_the_end_names_both():
    with pytest.raises(UsageError) as raised:
        arguments.months("2025-02", "2025-01", today=TODAY)
    assert str(raised.value) == "start 2025-02 is after end 2025-01"
    assert raised.value.worded({"start": "--from", "end": "--to"}.get) == "--from 2025-02 is after --to 2025-01"
