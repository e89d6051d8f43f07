"""The types of the names a condition reads, and the sentence for a name the checked vocabulary lacks.

No engine here: tenure.config checks tenure.toml with it. A real table's types come from
tenure.conditions.compile.signal_types."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from enum import StrEnum


class SignalType(StrEnum):
    """What a per-account signal holds. Four types are enough for conditions: money, counts, rates and
    scores are all numbers; a date is compared with dates (or "YYYY-MM-DD" text literals)."""

    NUMBER = "number"
    TEXT = "text"
    BOOLEAN = "boolean"
    DATE = "date"


# How a type reads in a sentence ("the left side of 'and' is a number, not true/false").
ARTICLED = {
    SignalType.NUMBER: "a number",
    SignalType.TEXT: "text",
    SignalType.BOOLEAN: "true/false",
    SignalType.DATE: "a date",
}


def unknown_name(name: str, column: int, signals: Mapping[str, SignalType]) -> str:
    """The sentence for a name not in the catalogue, with the closest known name when one is close."""
    close = difflib.get_close_matches(name, list(signals), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown signal '{name}' at column {column}{hint}"
