"""Task titles and bodies: parsing placeholders, checking them against the catalogue, rendering a row."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from tenure.errors import ConfigError
from tenure.conditions import SignalType, check_template, parse_template

SIGNALS = {
    "account_name": SignalType.TEXT,
    "band": SignalType.TEXT,
    "nps": SignalType.NUMBER,
    "open_tickets": SignalType.NUMBER,
    "mrr": SignalType.NUMBER,
    "activated": SignalType.BOOLEAN,
    "renewal_date": SignalType.DATE,
}


def render(text: str, **row) -> str:
    template = parse_template(text)
    check_template(template, SIGNALS)
    return template.render(row)


def syntax_problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_template(text)
    return [problem.message for problem in caught.value.problems]


def check_problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        check_template(parse_template(text), SIGNALS)
    return [problem.message for problem in caught.value.problems]


def test_placeholders_are_filled_from_the_row():
    text = "{account_name} went {band}: NPS {nps}, {open_tickets} open tickets"
    assert render(text, account_name="Acme", band="red", nps=6, open_tickets=4) == (
        "Acme went red: NPS 6, 4 open tickets"
    )


def test_null_renders_as_n_a():
    assert render("NPS {nps}, {band}", nps=None, band=None) == "NPS n/a, n/a"


def test_a_format_spec_formats_the_number():
    assert render("{mrr:,.0f} a month", mrr=Decimal("12345.678000")) == "12,346 a month"


def test_a_number_without_a_format_is_written_plainly():
    # A money column's 6 decimals and a float's binary noise are both dropped.
    assert render("{mrr} {nps} {open_tickets}", mrr=Decimal("1234.500000"), nps=0.1 + 0.2, open_tickets=7) == (
        "1234.5 0.3 7"
    )


def test_an_integer_takes_a_float_only_format():
    assert render("{open_tickets:.1}", open_tickets=1234) == "1e+03"


def test_booleans_and_dates_render_as_the_condition_language_writes_them():
    assert render("{activated} {renewal_date}", activated=False, renewal_date=date(2026, 3, 1)) == "false 2026-03-01"


def test_a_date_format_is_a_strftime_pattern():
    assert render("renews {renewal_date:%d %b %Y}", renewal_date=datetime(2026, 3, 1, 9, 30)) == "renews 01 Mar 2026"


def test_a_text_format_pads_or_truncates():
    assert render("[{band:>6}] [{account_name:.4}]", band="red", account_name="Acme Corp") == "[   red] [Acme]"


def test_doubled_braces_are_literal_braces():
    assert render("{{band}} is {band}", band="red") == "{band} is red"


def test_names_lists_each_placeholder_once_in_order():
    assert parse_template("{band} {nps} {band:>5}").names == ("band", "nps")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("NPS {nps", "'{' at column 5 is never closed (write '{{' for a literal brace)"),
        ("NPS nps}", "'}' at column 8 closes nothing (write '}}' for a literal brace)"),
        ("{}", "'{}' at column 1 is not a placeholder: write a signal name, optionally with ':' and a format,"
               " as in {mrr:,.0f}"),
        ("a {band[0]}", "'{band[0]}' at column 3 is not a placeholder: write a signal name, optionally with ':'"
                        " and a format, as in {mrr:,.0f}"),
        ("{band!r}", "'{band!r}' at column 1 is not a placeholder: write a signal name, optionally with ':'"
                     " and a format, as in {mrr:,.0f}"),
    ],
)
def test_a_malformed_placeholder_says_what_and_where(text, message):
    assert syntax_problems(text) == [message]


def test_every_malformed_brace_is_reported_at_once():
    assert syntax_problems("} {band} {") == [
        "'}' at column 1 closes nothing (write '}}' for a literal brace)",
        "'{' at column 10 is never closed (write '{{' for a literal brace)",
    ]


def test_an_unknown_name_suggests_the_closest_signal():
    assert check_problems("{account_nam} is {bnd}") == [
        "unknown signal 'account_nam' at column 1; did you mean 'account_name'?",
        "unknown signal 'bnd' at column 18; did you mean 'band'?",
    ]


def test_attribute_access_is_only_an_unknown_name():
    # str.format would follow this to the value's class; here it is a name the catalogue lacks.
    assert check_problems("{band.__class__}") == ["unknown signal 'band.__class__' at column 1"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{mrr:d}", "the format 'd' of mrr at column 1 is not a format for numbers (such as ',.0f' or '.1%')"),
        ("{band:,.0f}", "the format ',.0f' of band at column 1 is not a format for text (such as '>12' or '.40')"),
        ("{activated:>5}",
         "the format '>5' of activated at column 1 does not apply: a true/false signal renders as true or false"),
        ("{mrr:>999999f}", "the format '>999999f' of mrr at column 1 asks for more than 100 characters or digits"),
    ],
)
def test_a_format_that_does_not_suit_the_signal_is_refused(text, message):
    assert check_problems(text) == [message]


def test_problems_carry_the_file_and_line_of_the_template():
    with pytest.raises(ConfigError) as caught:
        check_template(parse_template("{bnd}", file="playbooks.toml", line=9), SIGNALS)
    assert [str(problem) for problem in caught.value.problems] == [
        "playbooks.toml:9: unknown signal 'bnd' at column 1; did you mean 'band'?"
    ]
