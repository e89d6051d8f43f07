"""Parsing conditions: how they group, what literals they hold, the names they read, and every syntax
error with its column. str(node) writes a condition back fully parenthesised."""

from __future__ import annotations

import pytest

import tenure.conditions
from tenure.errors import ConfigError
from tenure.conditions import parse_condition, referenced_names


def grouped(text: str) -> str:
    return str(parse_condition(text).root)


def test_the_rules_api_is_sorted_and_complete():
    assert tenure.conditions.__all__ == sorted(tenure.conditions.__all__)
    for name in tenure.conditions.__all__:
        assert hasattr(tenure.conditions, name)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a or b and c", "(a or (b and c))"),
        ("(a or b) and c", "((a or b) and c)"),
        ("not a and b", "((not a) and b)"),
        ("not a == b", "(not (a == b))"),
        ("a + b * c - d / e > 0", "(((a + (b * c)) - (d / e)) > 0)"),
        ("a - b - c == 0", "(((a - b) - c) == 0)"),
        ("-a * b < 1", "(((-a) * b) < 1)"),
        ("x < 0.5 * y", "(x < (0.5 * y))"),
    ],
)
def test_operators_group_by_precedence(text, expected):
    assert grouped(text) == expected


def test_in_not_in_is_null_and_is_not_null_are_comparisons():
    assert grouped('s in ["a", "b"] and t not in [1, -2.5] or u is null and v is not null') == (
        '(((s in ["a", "b"]) and (t not in [1, -2.5])) or ((u is null) and (v is not null)))'
    )


def test_keywords_are_read_in_any_case():
    assert grouped("A AND NOT b OR c IS NULL") == "((A and (not b)) or (c is null))"


def test_names_may_have_dots():
    assert grouped("health.score >= 70") == "(health.score >= 70)"


def test_integers_stay_integers_and_a_point_or_exponent_makes_a_float():
    root = parse_condition("1 < 1.5 + 2e3").root
    assert (root.left.value, root.right.left.value, root.right.right.value) == (1, 1.5, 2000.0)
    assert type(root.left.value) is int


def test_strings_take_either_quote_and_escapes():
    root = parse_condition(r'''a == "say \"hi\"\n" or b == 'it\'s' ''').root
    assert (root.left.right.value, root.right.right.value) == ('say "hi"\n', "it's")


def test_true_false_and_null_are_literals():
    root = parse_condition("a == true or b == false or c == null").root
    assert [root.left.left.right.value, root.left.right.right.value, root.right.right.value] == [True, False, None]


def test_referenced_names_are_each_listed_once_in_order_of_appearance():
    expr = parse_condition("b > 1 and a < 2 or b == 3 and c is null")
    assert referenced_names(expr) == ("b", "a", "c")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("days_to_renewal )", "unexpected ')' at column 17"),
        ("a and", "unexpected end of the condition at column 6"),
        ("a b", "unexpected 'b' at column 3"),
        ("a == )", "unexpected ')' at column 6"),
        ("a = 1", "'=' at column 3: write '==' to compare"),
        ("a $ b", "unexpected character '$' at column 3"),
        ("a < b < c", "comparisons cannot be chained: '<' at column 7 follows another; join them with 'and'"),
        ("a == 1 is null", "comparisons cannot be chained: 'is' at column 8 follows another; join them with 'and'"),
        ("a == 1 not in [1]", "comparisons cannot be chained: 'not' at column 8 follows another; join them with 'and'"),
        ("(a and b", "the '(' at column 1 is never closed"),
        ("(a b)", "unexpected 'b' at column 4 (expected ')' to close the '(' at column 1)"),
        ("a is 5", "'is' at column 3 must be followed by 'null' or 'not null'"),
        ("a in []", "the list after 'in' at column 3 is empty"),
        ('a in "x"', """unexpected '"x"' at column 6 (expected a list such as ["a", "b"] after 'in')"""),
        ("a in [b]",
         "unexpected 'b' at column 7 (expected a number, text, true or false: a list holds literal values only)"),
        ("a in [1 2]", "unexpected '2' at column 9 (expected ',' or ']')"),
        ("a not in [-x]", "unexpected 'x' at column 12 (expected a number after '-')"),
        ("a in [null]", "null in the list at column 7 never matches anything; use 'is null'"),
        ('a == "abc', 'the text starting at column 6 is never closed with "'),
        ('a == "ab\\', 'the text starting at column 6 is never closed with "'),
        (r'a == "\q"', r"unknown escape '\q' at column 7 (known: \" \' \\ \n \t)"),
        ("", "unexpected end of the condition at column 1"),
    ],
)
def test_a_syntax_error_says_what_and_where(text, message):
    with pytest.raises(ConfigError) as caught:
        parse_condition(text)
    assert [problem.message for problem in caught.value.problems] == [message]


def test_a_syntax_error_carries_the_file_and_line_of_the_condition():
    with pytest.raises(ConfigError) as caught:
        parse_condition("a and", file="playbooks.toml", line=12)
    assert [str(problem) for problem in caught.value.problems] == [
        "playbooks.toml:12: unexpected end of the condition at column 6"
    ]


def test_python_is_not_a_condition():
    # Nothing is evaluated: calls and attribute access are simply not in the grammar.
    with pytest.raises(ConfigError) as caught:
        parse_condition('__import__("os")')
    assert caught.value.problems[0].message == "unexpected '(' at column 11"


def test_nesting_is_capped_before_python_recursion_is():
    with pytest.raises(ConfigError) as caught:
        parse_condition("(" * 60 + "a" + ")" * 60)
    assert caught.value.problems[0].message == "the condition nests deeper than 50 levels at column 51"


def test_length_is_capped():
    with pytest.raises(ConfigError) as caught:
        parse_condition(" + ".join(["a"] * 201) + " > 0")
    assert caught.value.problems[0].message == "the condition has 403 tokens; at most 400 are allowed"
