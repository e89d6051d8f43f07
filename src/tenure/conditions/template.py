"""Task titles and bodies filled from signals: `"{account_name} went {band}: NPS {nps}"`.

A placeholder is a signal name, optionally with a format after a colon (`{mrr:,.0f}`, `{renewal_date:%d %b}`).
The text is parsed here rather than handed to str.format, which would follow `{x.__class__}` or
`{x[0]}` into the objects behind a value; a value is only ever looked up by its name in the row and
formatted with the built-in format(). `{{` and `}}` write literal braces. A null value renders as
"n/a", so that a missing NPS reads "NPS n/a" instead of "NPS None"."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from tenure.errors import ConfigError, Problem
from tenure.conditions.types import SignalType, unknown_name

NULL_TEXT = "n/a"
_PLACEHOLDER = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)(?::(?P<spec>.*))?", re.S)
# Python's format mini-language; width and precision are capped because `{mrr:999999999}` would
# otherwise make a gigabyte of padding.
_NUMBER_SPEC = re.compile(r"(?:.?[<>=^])?[+\- ]?z?#?0?(?P<width>\d+)?[,_]?(?:\.(?P<precision>\d+))?[eEfFgGn%]?", re.S)
_TEXT_SPEC = re.compile(r"(?:.?[<>^])?(?P<width>\d+)?(?:\.(?P<precision>\d+))?s?", re.S)
MAX_WIDTH = 100


@dataclass(frozen=True)
class Placeholder:
    name: str
    spec: str
    at: int  # where its '{' is, 0-based


@dataclass(frozen=True)
class Template:
    """A parsed template: literal text and placeholders, and the file and line it came from."""

    text: str
    parts: tuple[str | Placeholder, ...]
    file: str = "<template>"
    line: int | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The signal names the template reads, each once, in order of appearance."""
        return tuple(dict.fromkeys(part.name for part in self.parts if isinstance(part, Placeholder)))

    def render(self, row: Mapping[str, object]) -> str:
        """The text with each placeholder replaced by its value in row (which holds every name in `names`)."""
        return "".join(part if isinstance(part, str) else _render(row[part.name], part.spec) for part in self.parts)


def parse_template(text: str, *, file: str = "<template>", line: int | None = None) -> Template:
    """Parse a template; a ConfigError listing every malformed brace or placeholder, with its column."""
    parts: list[str | Placeholder] = []
    problems: list[str] = []
    literal: list[str] = []
    at = 0
    while at < len(text):
        char = text[at]
        if text.startswith(("{{", "}}"), at):
            literal.append(char)
            at += 2
        elif char == "}":
            problems.append(f"'}}' at column {at + 1} closes nothing (write '}}}}' for a literal brace)")
            at += 1
        elif char == "{":
            close = text.find("}", at)
            if close == -1:
                problems.append(f"'{{' at column {at + 1} is never closed (write '{{{{' for a literal brace)")
                break
            inside = text[at + 1:close]
            match = _PLACEHOLDER.fullmatch(inside)
            if match is None or "{" in inside:
                problems.append(f"'{{{inside}}}' at column {at + 1} is not a placeholder: write a signal name,"
                                " optionally with ':' and a format, as in {mrr:,.0f}")
            else:
                if literal:
                    parts.append("".join(literal))
                    literal = []
                parts.append(Placeholder(match["name"], match["spec"] or "", at))
            at = close + 1
        else:
            literal.append(char)
            at += 1
    if literal:
        parts.append("".join(literal))
    if problems:
        raise ConfigError([Problem(file, line, message) for message in problems])
    return Template(text, tuple(parts), file, line)


def check_template(template: Template, signals: Mapping[str, SignalType]) -> None:
    """Raise ConfigError listing every unknown name and every format that does not suit its signal's type."""
    problems = []
    for part in template.parts:
        if not isinstance(part, Placeholder):
            continue
        if part.name not in signals:
            problems.append(unknown_name(part.name, part.at + 1, signals))
        elif part.spec and (reason := _bad_spec(part.spec, SignalType(signals[part.name]))):
            problems.append(f"the format '{part.spec}' of {part.name} at column {part.at + 1} {reason}")
    if problems:
        raise ConfigError([Problem(template.file, template.line, message) for message in problems])


def _bad_spec(spec: str, kind: SignalType) -> str | None:
    """Why spec cannot format a value of this type, or None when it can."""
    if kind == SignalType.BOOLEAN:
        return "does not apply: a true/false signal renders as true or false"
    if kind == SignalType.DATE:
        return None  # a date's format is a strftime pattern, and every text is one
    if kind == SignalType.NUMBER:
        pattern, sample, wrong = _NUMBER_SPEC, 1234.5, "is not a format for numbers (such as ',.0f' or '.1%')"
    else:
        pattern, sample, wrong = _TEXT_SPEC, "text", "is not a format for text (such as '>12' or '.40')"
    match = pattern.fullmatch(spec)
    if match is None:
        return wrong
    if any(int(match[group] or 0) > MAX_WIDTH for group in ("width", "precision")):
        return f"asks for more than {MAX_WIDTH} characters or digits"
    try:
        format(sample, spec)
    except ValueError:
        return wrong
    return None


def _render(value: object, spec: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NULL_TEXT
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        if not spec:
            return _plain_number(value)
        try:
            return format(value, spec)
        except ValueError:
            # An integer refuses float-only formats such as ".1"; the same number as a float does not.
            return format(float(value), spec)
    if isinstance(value, date) and not spec:
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return format(value, spec) if spec else str(value)


def _plain_number(value: int | float | Decimal) -> str:
    """A number as people write it: 1234.5, not 1234.500000 (a money column) or 0.30000000000000004."""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isinf(value):
        return str(value)
    exact = Decimal(repr(value)) if isinstance(value, float) else value
    try:
        text = format(exact.quantize(Decimal("0.000001")).normalize(), "f")
    except InvalidOperation:  # more digits than decimal's context holds (beyond 10**22): as it is
        return str(value)
    return "0" if text == "-0" else text
