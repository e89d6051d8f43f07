"""Split a condition into tokens, each remembering where it starts (for messages with a column)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from tenure.errors import ConfigError, Problem

KEYWORDS = frozenset({"and", "or", "not", "in", "is", "null", "true", "false"})
# Longest first, so that "<=" is never read as "<" then "=".
OPERATORS = ("==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "(", ")", "[", "]", ",")
ESCAPES = {'"': '"', "'": "'", "\\": "\\", "n": "\n", "t": "\t"}

# A name is dotted segments (health.score); a segment starts with a letter or underscore.
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_LARGEST = 10**18  # inside a 64-bit integer
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


@dataclass(frozen=True)
class Token:
    """kind is "number", "string", "name", "keyword", "op" or "end"; start and end index the source."""

    kind: str
    text: str
    value: object
    start: int
    end: int


def syntax_error(message: str, *, file: str, line: int | None) -> ConfigError:
    return ConfigError([Problem(file, line, message)])


def tokenize(text: str, *, file: str, line: int | None) -> list[Token]:
    """The tokens of text, ending with an "end" token; a ConfigError at the first character that is not one."""
    tokens: list[Token] = []
    at = 0
    while at < len(text):
        char = text[at]
        if char.isspace():
            at += 1
        elif char in "\"'":
            tokens.append(_string(text, at, file=file, line=line))
            at = tokens[-1].end
        elif match := _NUMBER.match(text, at):
            literal = match.group()
            # Integers stay exact; only a literal written with a point or exponent is a float.
            value = float(literal) if any(c in literal for c in ".eE") else int(literal)
            # The engine compares in 64-bit numbers: a literal past them would fail at run time, not here.
            if isinstance(value, int) and value > _LARGEST or isinstance(value, float) and not math.isfinite(value):
                raise syntax_error(f"the number {literal[:30]} at column {at + 1} is too large (at most {_LARGEST:.0e})",
                                   file=file, line=line)
            tokens.append(Token("number", literal, value, at, match.end()))
            at = match.end()
        elif match := _NAME.match(text, at):
            word = match.group()
            # Keywords are read in any case, as SQL writers type AND and NULL; names keep their case.
            kind = "keyword" if word.lower() in KEYWORDS else "name"
            tokens.append(Token(kind, word, word.lower() if kind == "keyword" else word, at, match.end()))
            at = match.end()
        elif op := next((op for op in OPERATORS if text.startswith(op, at)), None):
            tokens.append(Token("op", op, op, at, at + len(op)))
            at += len(op)
        elif char == "=":
            raise syntax_error(f"'=' at column {at + 1}: write '==' to compare", file=file, line=line)
        else:
            raise syntax_error(f"unexpected character '{char}' at column {at + 1}", file=file, line=line)
    tokens.append(Token("end", "", None, len(text), len(text)))
    return tokens


def _string(text: str, start: int, *, file: str, line: int | None) -> Token:
    quote = text[start]
    value: list[str] = []
    at = start + 1
    while at < len(text):
        char = text[at]
        if char == quote:
            return Token("string", text[start:at + 1], "".join(value), start, at + 1)
        if char == "\\":
            escaped = text[at + 1:at + 2]
            if not escaped:
                break  # a backslash as the last character: the text is never closed
            if escaped not in ESCAPES:
                raise syntax_error(f"unknown escape '\\{escaped}' at column {at + 1}"
                                   " (known: \\\" \\' \\\\ \\n \\t)", file=file, line=line)
            value.append(ESCAPES[escaped])
            at += 2
            continue
        value.append(char)
        at += 1
    raise syntax_error(f"the text starting at column {start + 1} is never closed with {quote}", file=file, line=line)
