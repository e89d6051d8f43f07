"""The contract's row rules compiled into one SQL query per file: typed values plus the row's problems.

One pass over the file computes, for every contract column, its stored value, and for the row a
list of problems (column, offending value, sentence, rule) that is NULL for a good row; the list is
only built for bad rows, so good rows pay for the checks alone.

The query has three levels:
    src      the file (sources.Source): the row number and the raw columns
    parsed   per contract column "v:<name>" (typed value, NULL when missing or invalid) and
             "t:<name>" (the value as text, for messages)
    checked  the stored columns, the event hash, and __problems
"""

from __future__ import annotations

from dataclasses import dataclass

from tenure.contract.tables import SURVEY_SCORE_RANGES, Column, Kind, Table
from tenure.warehouse.parsing import Rules, float_decimal, local, parse_text, typed_decimal, years
from tenure.warehouse.sources import ROW, Source, ident
from tenure.warehouse.types import DUCKDB_TYPES

PROBLEM_TYPE = "STRUCT(\"column\" VARCHAR, value VARCHAR, reason VARCHAR, rule VARCHAR)[]"
_TEXT = ("VARCHAR",)
_INTEGERS = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "HUGEINT")
_TIMESTAMPS = ("TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS", "DATE")
# The phrase after "<column> '<value>'" when a present value cannot be read as the column's kind.
PARSE_PHRASES = {
    Kind.TIMESTAMP: "is not an ISO 8601 timestamp",
    Kind.DATE: "is not an ISO 8601 date (YYYY-MM-DD)",
    Kind.MONTH: "is not a month (YYYY-MM)",
    Kind.DECIMAL: "is not a decimal number with at most 6 decimal places",
    Kind.RATE: "is not a decimal number with at most 10 decimal places",
    Kind.INTEGER: "is not a whole number",
    Kind.BOOLEAN: "is not a boolean (true/false, yes/no, 1/0)",
    Kind.JSON: "is not a JSON object",
    Kind.STRING: "is not UTF-8 text",  # only a Parquet BINARY value can be
}


class Params:
    """Named query parameters: every constant sentence and value list goes in here, not in the SQL text."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.values: dict[str, object] = {}

    def __call__(self, value: object) -> str:
        name = f"{self.prefix}{len(self.values)}"
        self.values[name] = value
        return f"${name}"


@dataclass(frozen=True)
class Check:
    condition: str  # SQL over the parsed level; true when the row has this problem (NULL counts as fine)
    column: str
    value: str  # SQL giving the offending value as text, or NULL
    reason: str  # SQL giving the sentence
    rule: str  # the sentence without the value, for counting problems per kind


def v(name: str) -> str:
    return ident(f"v:{name}")


def t(name: str) -> str:
    return ident(f"t:{name}")


def contract_columns(table: Table) -> tuple[Column, ...]:
    """The table's columns plus its extras column (a JSON object) when that is not a contract column."""
    names = {c.name for c in table.columns}
    extra = () if table.extras_column in names else (Column(table.extras_column, Kind.JSON),)
    return (*table.columns, *extra)


def stage_query(table: Table, source: Source, file_index: int, p: Params, *, rules: Rules) -> str:
    """SELECT __file, __row, <stored columns>, __problems over one file."""
    parsed_sql, checks, stored = _levels(table, source, p, rules)
    select = [f"{int(file_index)} AS __file", "__row"]
    select += [f"{stored[name]} AS {ident(name)}" for name in table.stored_columns]
    select.append(f"{_problems(checks, p)} AS __problems")
    return f"SELECT {', '.join(select)} FROM ({parsed_sql}) AS parsed"


def check_query(table: Table, source: Source, p: Params, *, rules: Rules, key: str) -> tuple[str, str]:
    """Two queries over one file that is to be kept as it is (events adopted into the lake):

    flags:    __hash (hash of the `key` column as written) and __flag per row: 0 good, 1 has a problem,
              2 good but stored differently from how it is written (blank means missing, JSON is
              minified, ...), so the file cannot be adopted unchanged;
    problems: __row and __problems of the rows with a problem, as stage_query reports them.
    """
    parsed_sql, checks, stored = _levels(table, source, p, rules, raw=True)
    # A missing key is filled (events: hashed) when rewritten; here it just means "cannot adopt".
    stored = {**stored, key: v(key)}
    any_problem = _any(checks)
    changed = []
    for column in contract_columns(table):
        name, as_written = column.name, ident("r:" + column.name)
        if _keeps_value(column, source):
            # The value is the one written or NULL: comparing nulls spares comparing every string.
            changed.append(f"({v(name)} IS NULL AND {as_written} IS NOT NULL)")
        else:
            changed.append(f"(({stored[name]}) IS DISTINCT FROM {as_written})")
    unchanged = f"NOT ({' OR '.join(changed)})"
    flags = (
        f"SELECT hash({ident('r:' + key)}) AS __hash, "
        f"CASE WHEN {any_problem} THEN 1 WHEN NOT ({unchanged}) THEN 2 ELSE 0 END::UTINYINT AS __flag "
        f"FROM ({parsed_sql}) AS parsed"
    )
    problems = (
        f"SELECT __row, {_problems(checks, p)} AS __problems FROM ({parsed_sql}) AS parsed WHERE {any_problem}"
    )
    return flags, problems


def _levels(table: Table, source: Source, p: Params, rules: Rules, *, raw: bool = False):
    """(parsed level SQL, checks, stored expression per column); `raw` also keeps "r:<name>", the value as written."""
    columns = contract_columns(table)
    names = {c.name for c in columns}
    extras = [name for name in source.columns if name not in names]
    parsed = [f"{ROW} AS __row"]
    for column in columns:
        value, text = _parse(column, source, p, rules, verify_only=raw)
        parsed += [f"{value} AS {v(column.name)}", f"{text} AS {t(column.name)}"]
        if raw:
            found = source.columns.get(column.name)
            parsed.append(f"{found.sql if found else 'NULL'} AS {ident('r:' + column.name)}")
    for name in extras:
        # Blank means missing, as for any string: no key, rather than "" or a JSON null.
        text = f"CAST({source.columns[name].sql} AS VARCHAR)"
        parsed.append(f"CASE WHEN NOT {_blank(text)} THEN {text} END AS {ident('x:' + name)}")
    checks = [check for column in columns for check in _column_checks(column, p, rules)] + _row_checks(table, p)
    parsed_sql = f"SELECT {', '.join(parsed)} FROM ({source.sql}) AS src"
    referencing = [c.name for c in columns if c.references_accounts]
    if referencing:
        # A join against the accounts already loaded: "k:<column>" is true when the account is known.
        known, joins = [], []
        for i, name in enumerate(referencing):
            joins.append(
                f"LEFT JOIN (SELECT DISTINCT account_id AS __k, true AS __known FROM accounts) AS acc{i} "
                f"ON acc{i}.__k = parsed.{v(name)}"
            )
            known.append(f"acc{i}.__known IS NOT NULL AS {ident('k:' + name)}")
        parsed_sql = f"SELECT parsed.*, {', '.join(known)} FROM ({parsed_sql}) AS parsed {' '.join(joins)}"

    stored = {c.name: _finish(c) for c in columns}
    if extras:
        # Unknown columns are kept as text values of a JSON object, whatever the file format, so the
        # same row gives the same object (and event hash) from CSV, Parquet or JSON Lines. They are
        # merged into the row's own object: where both have a key, the extra column's value wins; a
        # missing extra value changes nothing. A merge patch deletes the keys its patch sets to null,
        # so the patch is first patched onto {} (which drops its nulls) and only then applied.
        pairs = ", ".join(f"{p(name)}, {ident('x:' + name)}" for name in extras)
        present = f"json_merge_patch('{{}}', json_object({pairs}))"
        merged = f"json_merge_patch(coalesce({v(table.extras_column)}, '{{}}'), {present})"
        stored[table.extras_column] = f"nullif(CAST({merged} AS VARCHAR), '{{}}')"
    if table.immutable:
        stored["event_id"] = f"coalesce({stored['event_id']}, {_event_hash(stored)})"
    return parsed_sql, checks, stored


def _any(checks: list[Check]) -> str:
    return " OR ".join(f"({c.condition})" for c in checks) or "false"


def _problems(checks: list[Check], p: Params) -> str:
    """The row's list of problems; NULL for a good row, so that good rows pay for the checks alone."""
    problems = ", ".join(
        f"CASE WHEN {c.condition} THEN {{'column': {p(c.column)}, 'value': {c.value}, "
        f"'reason': {c.reason}, 'rule': {p(c.rule)}}} END"
        for c in checks
    )
    return f"CASE WHEN {_any(checks)} THEN list_filter([{problems}], x -> x IS NOT NULL) END"


def _keeps_value(column: Column, source: Source) -> bool:
    """Whether _parse gives the value as written or NULL (never a converted value), and _finish keeps it."""
    found = source.columns.get(column.name)
    if found is None:
        return False
    type_ = found.type.upper()
    plain_string = column.kind == Kind.STRING and not (column.choices or column.currency)
    return (plain_string and type_ in _TEXT) or (
        column.kind == Kind.TIMESTAMP and type_.startswith("TIMESTAMP WITH TIME ZONE")
    )


def _parse(column: Column, source: Source, p: Params, rules: Rules, *, verify_only: bool = False) -> tuple[str, str]:
    """(typed value, raw value) for one contract column, from the file's column if present.

    The raw value is only cast to text when a problem is reported, never for good rows. With
    `verify_only` (a file kept as written) a JSON object is only checked, not re-serialised."""
    stored_type = _stored_type(column)
    found = source.columns.get(column.name)
    if found is None:
        return f"CAST(NULL AS {stored_type})", "CAST(NULL AS VARCHAR)"
    raw, type_, kind = found.sql, found.type.upper(), column.kind
    plain_string = kind == Kind.STRING and not (column.choices or column.currency)
    if plain_string:
        # Strings are kept as written (ids are case- and space-sensitive); blank means missing.
        # Parquet BINARY is text only when its bytes are UTF-8 (else NULL, and rejected).
        value = raw if type_ in _TEXT else f"try(decode({raw}))" if type_ == "BLOB" else f"CAST({raw} AS VARCHAR)"
        return f"CASE WHEN NOT {_blank(value)} THEN {value} END", raw
    if type_ in _TEXT:
        text = f"nullif(trim({raw}), '')"
        if kind == Kind.JSON and verify_only:
            # Valid JSON whose first character is '{' is an object; parsing once is ~3x cheaper than json().
            return f"CASE WHEN json_valid({text}) AND left(ltrim({text}, {p(chr(9) + chr(10) + chr(13) + ' ')}), 1) = '{{' THEN {text} END", text
        if kind in (Kind.DECIMAL, Kind.RATE) and found.number is not None:
            # JSON Lines: a JSON number reached us as the engine's double, a string as written.
            return f"CASE WHEN {found.number} THEN {float_decimal(text, kind, p)} ELSE {parse_text(column, text, p, rules)} END", text
        return parse_text(column, text, p, rules), text
    # Typed Parquet columns skip the text round-trip where the type already says what the value is.
    if kind == Kind.TIMESTAMP and type_.startswith("TIMESTAMP WITH TIME ZONE"):
        return f"CASE WHEN isfinite({raw}) THEN {raw} END", raw
    if kind == Kind.TIMESTAMP and type_ in _TIMESTAMPS:
        # A naive timestamp (or a date) is read in the workspace time zone.
        return f"CASE WHEN isfinite({raw}) THEN {local(raw, rules)} END", raw
    if kind == Kind.DATE and type_ == "DATE":
        return f"CASE WHEN isfinite({raw}) THEN {raw} END", raw
    if kind == Kind.INTEGER and type_ in _INTEGERS:
        return f"TRY_CAST({raw} AS BIGINT)", raw
    if kind == Kind.BOOLEAN and type_ == "BOOLEAN":
        return raw, raw
    if kind in (Kind.DECIMAL, Kind.RATE) and type_ in _INTEGERS:
        return f"TRY_CAST({raw} AS {stored_type})", raw
    if kind in (Kind.DECIMAL, Kind.RATE) and type_.startswith("DECIMAL"):
        return typed_decimal(raw, kind), raw
    if kind in (Kind.DECIMAL, Kind.RATE) and type_ in ("FLOAT", "DOUBLE"):
        return float_decimal(f"CAST({raw} AS VARCHAR)", kind, p), raw
    if kind == Kind.JSON and type_.startswith(("STRUCT", "MAP")):
        return f"CAST(to_json({raw}) AS VARCHAR)", raw
    # Everything else is read as the text the engine writes for it, by the rules for text.
    return parse_text(column, f"nullif(trim(CAST({raw} AS VARCHAR)), '')", p, rules), raw


def _blank(value: str) -> str:
    """SQL: `value` is empty or only spaces (NULL stays NULL). trim() copies every string longer than
    12 bytes, which tripled the cost of a scan of unique ids; most values do not start with a space."""
    return f"(CASE WHEN starts_with({value}, ' ') THEN trim({value}) = '' ELSE {value} = '' END)"


def _finish(column: Column) -> str:
    if column.kind == Kind.JSON:
        return f"nullif({v(column.name)}, '{{}}')"  # an empty object is no object
    return v(column.name)


def _column_checks(column: Column, p: Params, rules: Rules) -> list[Check]:
    name, val, raw = column.name, v(column.name), t(column.name)
    text = f"CAST({raw} AS VARCHAR)"
    plain_string = column.kind == Kind.STRING and not (column.choices or column.currency)
    checks = []
    if column.required:
        # A blank string is missing; for other kinds a present value that cannot be read is reported instead.
        missing = f"{val} IS NULL AND ({raw} IS NULL OR {_blank(text)})" if plain_string else f"{val} IS NULL AND {raw} IS NULL"
        checks.append(Check(missing, name, "NULL", p(f"{name} is required"), f"{name} is required"))
    if column.choices:
        phrase = f"is not one of {', '.join(column.choices)}"
    elif column.currency:
        phrase = "is not an ISO 4217 code"
    else:
        phrase = PARSE_PHRASES.get(column.kind)
    if phrase:
        unread = f"{val} IS NULL AND {raw} IS NOT NULL"
        if plain_string:
            unread += f" AND NOT {_blank(text)}"  # a blank string is missing, not unreadable
        checks.append(Check(
            unread, name, text,
            f"concat({p(name + ' ' + chr(39))}, {text}, {p(chr(39) + ' ' + phrase)})", f"{name} {phrase}",
        ))
    if column.kind in (Kind.TIMESTAMP, Kind.DATE, Kind.MONTH):
        # Years far out are typing errors or sentinels (0001-01-01, 9999-12-31), not customer history.
        first, after = years(column.kind, rules)
        phrase = f"is outside the years {rules.earliest_year}..{rules.latest_year}"
        checks.append(Check(
            f"{val} < {first} OR {val} >= {after}", name, text,
            f"concat({p(name + ' ' + chr(39))}, {text}, {p(chr(39) + ' ' + phrase)})", f"{name} {phrase}",
        ))
    bound = _bound(column)
    if bound:
        condition, phrase, quote = bound
        q = chr(39) if quote else ""
        checks.append(Check(
            condition.format(val), name, text, f"concat({p(name + ' ' + q)}, {text}, {p(q + ' ' + phrase)})",
            f"{name} {phrase}",
        ))
    if column.references_accounts:
        phrase = "is not in accounts; load accounts first"
        checks.append(Check(
            f"{val} IS NOT NULL AND NOT {ident('k:' + name)}", name, text,
            f"concat({p(name + ' ' + chr(39))}, {text}, {p(chr(39) + ' ' + phrase)})", f"{name} {phrase}",
        ))
    return checks


def _bound(column: Column) -> tuple[str, str, bool] | None:
    """(condition template, phrase, quote the value?) for a number's allowed range."""
    lo, hi = column.minimum, column.maximum
    if column.kind == Kind.RATE:
        return "{} <= 0", "is not positive", True
    quote = column.kind == Kind.DECIMAL  # amounts are quoted as written; counts are not
    if lo is not None and hi is not None:
        return f"{{}} NOT BETWEEN {int(lo)} AND {int(hi)}", f"is outside {lo}..{hi}", quote
    if lo == 0:
        return "{} < 0", "is negative", quote
    if lo is not None:
        return f"{{}} < {int(lo)}", f"is less than {lo}", quote
    if hi is not None:
        return f"{{}} > {int(hi)}", f"is more than {hi}", quote
    return None


def _row_checks(table: Table, p: Params) -> list[Check]:
    checks = []
    for earlier, later in table.ordered:
        phrase = f"{later} is before {earlier}"
        checks.append(Check(f"{v(later)} < {v(earlier)}", later, f"CAST({t(later)} AS VARCHAR)", p(phrase), phrase))
    if table.name == "surveys":
        kind, score = v("kind"), v("score")
        lows = " ".join(f"WHEN {p(k)} THEN {int(lo)}" for k, (lo, _) in SURVEY_SCORE_RANGES.items())
        highs = " ".join(f"WHEN {p(k)} THEN {int(hi)}" for k, (_, hi) in SURVEY_SCORE_RANGES.items())
        phrases = " ".join(
            f"WHEN {p(k)} THEN {p(f' is outside {lo}..{hi} for {_article(k)} {k} survey')}"
            for k, (lo, hi) in SURVEY_SCORE_RANGES.items()
        )
        checks.append(Check(
            f"{score} NOT BETWEEN (CASE {kind} {lows} END) AND (CASE {kind} {highs} END)", "score",
            f"CAST({t('score')} AS VARCHAR)", f"concat({p('score ')}, CAST({t('score')} AS VARCHAR), CASE {kind} {phrases} END)", "score is outside the survey kind's range",
        ))
    return checks


def _article(word: str) -> str:
    # Survey kinds are read letter by letter: "an nps", "a csat".
    return "an" if word[0] in "aefhilmnorsx" else "a"


def _stored_type(column: Column) -> str:
    return DUCKDB_TYPES[column.kind]


def _event_hash(stored: dict[str, str]) -> str:
    """A deterministic event id from the stored values, identical whatever the file format or time zone.

    The instant enters as microseconds since 1970-01-01 UTC: as exact as ISO text in UTC and about
    20 times cheaper to compute than formatting it."""
    instant = f"epoch_us({stored['timestamp']})"
    parts = ", ".join([stored["account_id"], stored["user_id"], stored["event"], instant, stored["properties"]])
    return f"md5(CAST(json_array({parts}) AS VARCHAR))"
