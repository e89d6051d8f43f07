"""How a value written as text becomes a typed value: SQL expressions that read exactly, or give NULL.

Each function takes `s`, SQL for the text (trimmed, NULL when blank), and returns SQL for the typed
value, NULL when the text is not a value of that kind; validation.py turns NULL-for-a-present-value
into a reject. Nothing here rounds, wraps or guesses: a form the contract does not name is NULL.

    timestamp  ISO 8601: YYYY-MM-DD, optionally [T ]HH:MM[:SS[.ffffff]], optionally Z, an offset
               (+HH, +HHMM, +HH:MM, at most 14:00) or an IANA zone name ("2025-06-01 10:00 Europe/Berlin")
    number     an optional sign, digits and at most one point: no exponent, no `_`, no `,`
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from tenure.contract.currencies import ISO_4217
from tenure.contract.tables import Column, Kind

TRUE_WORDS = ["true", "t", "yes", "y", "1"]
FALSE_WORDS = ["false", "f", "no", "n", "0"]
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200  # the defaults of the [workspace] settings
MAX_OFFSET_MINUTES = 14 * 60  # UTC+14:00 (Kiribati) and UTC-12:00 are the extremes in use

# The two common shapes, read by DuckDB's casts directly (fast): a naive value, and a value with
# seconds and an offset. A zone *name* never reaches the VARCHAR -> TIMESTAMPTZ cast: in DuckDB 1.5
# that cast keeps the zone of a named-zone value for the rows after it (see _zoned).
_NAIVE = r"\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d{1,6})?)?)?"
_OFFSET = r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-](0\d|1[0-3])(:?[0-5]\d)?|[+-]14(:?00)?)"
# Every other accepted shape: the local part (group 1) and Z, an offset or a zone name (group 2).
# Digits after the sixth decimal of a second must be zeros (nanosecond writers), never dropped.
_GENERAL = (
    r"^(\d{4}-\d\d-\d\d(?:[Tt ]\d\d:\d\d(?::\d\d(?:\.\d{1,6}0*)?)?)?) ?"
    r"([A-Za-z][A-Za-z0-9_/+-]*|[+-]\d\d(?::?\d\d)?)?$"
)
_NUMBER = r"[+-]?(\d+\.?\d*|\.\d+)"
_WHOLE = r"[+-]?\d+(\.0*)?"


@dataclass(frozen=True)
class Rules:
    """What reading a value depends on beyond its column: the workspace's settings and the engine's zones."""

    timezone: str = "UTC"  # naive timestamps are read in it (it is also the session's TimeZone)
    earliest_year: int = EARLIEST_YEAR  # dates and timestamps outside these years are rejected
    latest_year: int = LATEST_YEAR
    zones: tuple[str, ...] = ("UTC",)  # the zone names the engine knows (pg_timezone_names)

    @property
    def utc(self) -> bool:
        return self.timezone in ("UTC", "Etc/UTC")


Param = Callable[[object], str]  # validation.Params: a value in, its $name out


def parse_text(column: Column, s: str, p: Param, rules: Rules) -> str:
    """The typed value of text `s` (already trimmed, NULL when blank), NULL when it cannot be read."""
    kind = column.kind
    if column.choices:
        return f"CASE WHEN list_contains({p(list(column.choices))}, lower({s})) THEN lower({s}) END"
    if column.currency:
        return f"CASE WHEN list_contains({p(sorted(ISO_4217))}, upper({s})) THEN upper({s}) END"
    if kind == Kind.STRING:
        return s
    if kind == Kind.TIMESTAMP:
        return timestamp(s, p, rules)
    if kind == Kind.DATE:
        return f"CASE WHEN regexp_full_match({s}, '\\d{{4}}-\\d\\d-\\d\\d') THEN TRY_CAST({s} AS DATE) END"
    if kind == Kind.MONTH:
        return f"CASE WHEN regexp_full_match({s}, '\\d{{4}}-\\d\\d') THEN TRY_CAST({s} || '-01' AS DATE) END"
    if kind in (Kind.DECIMAL, Kind.RATE):
        return decimal(s, kind, p)
    if kind == Kind.INTEGER:
        # '3.0' is a whole number (spreadsheets and pandas write integers with missing values so).
        return f"CASE WHEN regexp_full_match({s}, {p(_WHOLE)}) THEN TRY_CAST(split_part({s}, '.', 1) AS BIGINT) END"
    if kind == Kind.BOOLEAN:
        return (
            f"CASE WHEN list_contains({p(TRUE_WORDS)}, lower({s})) THEN true "
            f"WHEN list_contains({p(FALSE_WORDS)}, lower({s})) THEN false END"
        )
    if kind == Kind.JSON:
        # json() re-serialises minified, so the same object is the same text from every format.
        return f"CASE WHEN json_valid({s}) AND json_type(json({s})) = 'OBJECT' THEN CAST(json({s}) AS VARCHAR) END"
    raise AssertionError(kind)


def scale(kind: Kind) -> int:
    return 10 if kind == Kind.RATE else 6


def stored_decimal(kind: Kind) -> str:
    return f"DECIMAL(18, {scale(kind)})"


def decimal(s: str, kind: Kind, p: Param) -> str:
    """Digits, at most one point and a sign; more decimal places than stored (trailing zeros aside) is
    NULL, never rounded, and so is a value too large for the stored type."""
    return (
        f"CASE WHEN regexp_full_match({s}, {p(_NUMBER)}) "
        f"AND length(rtrim(split_part({s}, '.', 2), '0')) <= {scale(kind)} "
        f"THEN TRY_CAST({s} AS {stored_decimal(kind)}) END"
    )


def float_decimal(s: str, kind: Kind, p: Param) -> str:
    """A binary float (Parquet FLOAT/DOUBLE, a JSON number, which the engine reads as a double) as
    money or a rate, from the shortest decimal text that is that float (0.1 is '0.1'): the decimal
    rules, and at most 15 significant digits, the most a double keeps of any decimal. A float that
    needs more (0.1 + 0.2 is '0.30000000000000004') is not a value the writer meant exactly."""
    digits = f"length(trim(translate({s}, '+-.', ''), '0'))"
    return f"CASE WHEN {digits} <= 15 THEN {decimal(s, kind, p)} END"


def typed_decimal(raw: str, kind: Kind) -> str:
    """A Parquet DECIMAL as money or a rate: kept when the stored type holds it exactly, else NULL."""
    cast = f"TRY_CAST({raw} AS {stored_decimal(kind)})"
    # The comparison widens both sides to a common decimal type, so it is exact.
    return f"CASE WHEN {cast} = {raw} THEN {cast} END"


def local(naive: str, rules: Rules) -> str:
    """A TIMESTAMP (naive) read in the workspace time zone, as TIMESTAMPTZ."""
    if rules.utc:
        # The same count of microseconds; skips the (20x slower) time zone conversion.
        return f"make_timestamptz(epoch_us({naive}))"
    return f"CAST({naive} AS TIMESTAMPTZ)"  # the session's TimeZone is the workspace's


def timestamp(s: str, p: Param, rules: Rules) -> str:
    naive = f"TRY_CAST({s} AS TIMESTAMP)"
    return (
        f"CASE WHEN regexp_full_match({s}, {p(_NAIVE)}) THEN {local(naive, rules)} "
        f"WHEN regexp_full_match({s}, {p(_OFFSET)}) THEN TRY_CAST({s} AS TIMESTAMPTZ) "
        f"ELSE {_zoned(s, p, rules)} END"
    )


def _zoned(s: str, p: Param, rules: Rules) -> str:
    """The rarer shapes: a zone name, an offset without seconds, `z`. Each row's zone is applied to
    that row's own local time with timezone(zone, local) (DuckDB's cast of '... Europe/Berlin' over
    a column applied Berlin to the naive rows after it in the same vector)."""
    pattern = p(_GENERAL)
    naive = f"TRY_CAST(upper(regexp_extract({s}, {pattern}, 1)) AS TIMESTAMP)"
    z = f"regexp_extract({s}, {pattern}, 2)"
    hours = f"CAST(substr({z}, 2, 2) AS BIGINT)"
    minutes = f"(CASE WHEN length({z}) = 3 THEN 0 ELSE CAST(right({z}, 2) AS BIGINT) END)"
    offset = f"({hours} * 60 + {minutes})"
    sign = f"(CASE left({z}, 1) WHEN '-' THEN -1 ELSE 1 END)"
    # The known names as one alternation: a constant pattern, compiled once (list_contains over
    # 600 names per row is ~5x slower). An unknown name must not reach timezone(), which raises.
    known = "|".join(re.escape(zone) for zone in rules.zones)
    return (
        f"CASE WHEN {z} = '' THEN {local(naive, rules)} "
        f"WHEN {z} IN ('Z', 'z') THEN make_timestamptz(epoch_us({naive})) "
        f"WHEN left({z}, 1) IN ('+', '-') THEN CASE WHEN {minutes} < 60 AND {offset} <= {MAX_OFFSET_MINUTES} "
        f"THEN make_timestamptz(epoch_us({naive}) - {sign} * {offset} * 60000000) END "
        f"WHEN regexp_full_match({z}, {p(known)}) THEN timezone({z}, {naive}) END"
    )


def years(kind: Kind, rules: Rules) -> tuple[str, str]:
    """SQL for the first and the last allowed value of a date or timestamp column (inclusive, exclusive)."""
    first, after = int(rules.earliest_year), int(rules.latest_year) + 1
    if kind == Kind.TIMESTAMP:
        # Years in the workspace time zone, as a naive value in the file would be read.
        return (local(f"make_timestamp({first}, 1, 1, 0, 0, 0)", rules),
                local(f"make_timestamp({after}, 1, 1, 0, 0, 0)", rules))
    return f"make_date({first}, 1, 1)", f"make_date({after}, 1, 1)"
