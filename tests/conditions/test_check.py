"""Checking a condition against the catalogue of signals: every problem at once, each with its column."""

from __future__ import annotations

import pytest

from tenure.errors import ConfigError
from tenure.conditions import SignalType, check, parse_condition

SIGNALS = {
    "band": SignalType.TEXT,
    "segment": SignalType.TEXT,
    "days_to_renewal": SignalType.NUMBER,
    "open_tickets": SignalType.NUMBER,
    "nps": SignalType.NUMBER,
    "activated": SignalType.BOOLEAN,
    "renewal_date": SignalType.DATE,
}


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        check(parse_condition(text), SIGNALS)
    return [problem.message for problem in caught.value.problems]


@pytest.mark.parametrize(
    "text",
    [
        'band == "red" and days_to_renewal <= 90',
        'not activated and segment in ["enterprise", "mid-market"] and nps is null',
        "open_tickets / (days_to_renewal + 1) > -0.5",
        'renewal_date <= "2026-03-31" and renewal_date not in ["2026-01-01"]',
        'band < "m"',
        "activated == true",
    ],
)
def test_a_well_typed_condition_passes(text):
    assert check(parse_condition(text), SIGNALS) is None


def test_an_unknown_name_suggests_the_closest_signal():
    assert problems('bnad == "red"') == ["unknown signal 'bnad' at column 1; did you mean 'band'?"]


def test_an_unknown_name_with_nothing_close_has_no_suggestion():
    assert problems("zzz > 1") == ["unknown signal 'zzz' at column 1"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("band == 5", "'==' at column 6 compares text (band) with a number (5)"),
        ("renewal_date > 5", "'>' at column 14 compares a date (renewal_date) with a number (5)"),
        ("open_tickets and activated",
         "'and' at column 14 needs true/false on both sides, but open_tickets is a number"),
        ("activated or band", "'or' at column 11 needs true/false on both sides, but band is text"),
        ("band * 2 > 1", "'*' at column 6 needs numbers on both sides, but band is text"),
        ("nps + null > 1", "'+' at column 5 needs numbers on both sides, but null is null"),
        ("not open_tickets", "'not' at column 1 needs true/false, but open_tickets is a number"),
        ("-band > 1", "'-' at column 1 needs a number, but band is text"),
        ("nps == null", "'==' at column 5 compares with null, which is never true; use 'is null' or 'is not null'"),
        ("activated < true", "'<' at column 11 orders true/false values; compare them with == or !="),
        ('renewal_date < "2026-13-01"',
         """'<' at column 14 compares a date with "2026-13-01", which is not a date written "YYYY-MM-DD\""""),
        ('segment in ["smb", 3]', "the list of 'in' at column 9 holds 3 (column 20), a number, but segment is text"),
        ('renewal_date not in ["soon"]',
         """the list of 'not in' at column 14 holds "soon" (column 22), text, but renewal_date is a date"""),
        ("null in [1]", "'in' at column 6 tests null, which never matches; use 'is null'"),
    ],
)
def test_a_type_mismatch_says_what_and_where(text, message):
    assert problems(text) == [message]


def test_the_condition_must_be_true_or_false():
    assert problems("days_to_renewal - 30") == [
        "the condition is a number, not true/false (a comparison such as '> 0' is missing?)"
    ]


def test_every_problem_is_reported_at_once_in_column_order():
    assert problems("open_tickets and band == 1 and zzz") == [
        "'and' at column 14 needs true/false on both sides, but open_tickets is a number",
        "'==' at column 23 compares text (band) with a number (1)",
        "unknown signal 'zzz' at column 32",
    ]


def test_an_unknown_name_is_not_reported_again_by_the_operations_around_it():
    assert problems("-bnd * 2 > 1 and not actvated") == [
        "unknown signal 'bnd' at column 2; did you mean 'band'?",
        "unknown signal 'actvated' at column 22; did you mean 'activated'?",
    ]


def test_problems_carry_the_file_and_line_of_the_condition():
    with pytest.raises(ConfigError) as caught:
        check(parse_condition("band == 5", file="playbooks.toml", line=7), SIGNALS)
    assert [str(problem) for problem in caught.value.problems] == [
        "playbooks.toml:7: '==' at column 6 compares text (band) with a number (5)"
    ]
