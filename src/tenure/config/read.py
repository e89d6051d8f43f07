"""Read tenure.toml into Settings, reporting every problem with its file and line, and write the
commented template that `tenure init` puts in a new workspace."""

from __future__ import annotations

import re
import tomllib
import typing
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ValidationError

from tenure.config.settings import Settings
from tenure.errors import ConfigError, Problem

_HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\s]+?)\s*\]\s*(#.*)?$")
_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.\s]+?)\s*\]\]\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def read_settings(path: Path) -> Settings:
    """Parse and validate a tenure.toml; raise ConfigError listing all problems."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError([Problem(str(path), None, "the file is not UTF-8 text")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        sentence = _TOML_LINE.sub("", str(exc)).strip()
        raise ConfigError([Problem(str(path), int(found.group(1)) if found else None, f"not valid TOML: {sentence}")]) from None
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        lines = _key_lines(text)
        # A check of a whole table (a milestone, an action) points at the table's header line.
        problems = [
            Problem(str(path), _line_of(lines, tuple(str(part) for part in error["loc"])), _sentence(error))
            for error in exc.errors()
        ]
        # In file order, as an editor would walk them (a problem without a line goes last).
        problems.sort(key=lambda p: (p.line is None, p.line or 0))
        raise ConfigError(problems) from None
    problems = _file_problems(settings, path, _key_lines(text))
    if problems:
        raise ConfigError(problems)
    return settings


# The first bytes of each database file a setting may name: what a file of that kind begins with.
_SQLITE_HEADER = b"SQLite format 3\x00"
_DUCKDB_MAGIC = (8, b"DUCK")  # at offset 8 of the file's header


def _file_problems(settings: Settings, path: Path, lines: dict[tuple[str, ...], int]) -> list[Problem]:
    """The settings naming a file that exists but is not what they say (a text file as the warehouse or the
    state database): found now, with their line, rather than as an engine error in the middle of a command.
    A missing file is not a problem here: `tenure init` and the first state use create them."""
    problems = []
    warehouse = path.parent / settings.warehouse.path
    if warehouse.is_dir() or (warehouse.is_file() and _header(warehouse, *_DUCKDB_MAGIC) is False):
        problems.append(Problem(str(path), lines.get(("warehouse", "path")),
                                f"warehouse.path: {settings.warehouse.path} is not a DuckDB database file"))
    url = settings.state.url
    if url.startswith("sqlite:///") and url.removeprefix("sqlite:///") not in ("", ":memory:"):
        state = Path(url.removeprefix("sqlite:///"))
        if state.is_dir() or (state.is_file() and _header(state, 0, _SQLITE_HEADER) is False):
            problems.append(Problem(str(path), lines.get(("state", "url")), f"state.url: {state} is not a SQLite database file"))
    return problems


def _header(file: Path, offset: int, expected: bytes) -> bool | None:
    """Whether the file holds `expected` at `offset`; None for an empty or unreadable file (the engine will say)."""
    try:
        with file.open("rb") as handle:
            head = handle.read(offset + len(expected))
    except OSError:
        return None
    return None if not head else head[offset:] == expected


def _sentence(error: dict) -> str:
    """The problem in a sentence, with the value at fault: the one value a key holds, or for a check of a
    whole table the keys its message names that it does not already quote; never the whole table."""
    key = ".".join(str(part) for part in error["loc"])
    if error["type"] == "extra_forbidden":
        return f"'{key}' is not a setting tenure knows (a typo?)"
    message = error["msg"].removeprefix("Value error, ")
    given = error.get("input")
    if isinstance(given, dict):
        values = [f"{name} = {_short(given[name])}" for name in _named_keys(error) if str(given[name]) not in message]
        return f"{key}: {message}" + (f" (got {', '.join(values)})" if values else "")
    if isinstance(given, list) and any(isinstance(item, dict) for item in given):
        return f"{key}: {message}"  # a list of tables: the message names what is wrong with it
    return f"{key}: {message} (got {_short(given)})"


def _named_keys(error: dict) -> list[str]:
    """The keys of a table the error's message names, in the table's order (empty unless the input is a table)."""
    given = error.get("input")
    if not isinstance(given, dict):
        return []
    # Names in parentheses are asides ("(its fields: recipient)"), not the keys at fault.
    said = re.sub(r"\([^)]*\)", "", error["msg"])
    return [name for name in given if re.search(rf"(?<![\w.]){re.escape(str(name))}(?![\w])", said)]


def _short(value: object, limit: int = 80) -> str:
    shown = repr(value)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Map each dotted key path of a TOML text to its line number (1-based)."""
    found: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    entries: dict[tuple[str, ...], int] = {}
    inline: tuple[str, ...] | None = None  # the key of a multi-line array being read, if any
    for number, line in enumerate(text.splitlines(), start=1):
        if inline is not None:
            # One inline table per line inside `key = [ ... ]`: entry n is (..., key, n).
            if line.lstrip().startswith("{"):
                entries[inline] = entries.get(inline, -1) + 1
                found.setdefault((*inline, str(entries[inline])), number)
            if line.lstrip().startswith("]"):
                inline = None
            continue
        array = _ARRAY_HEADER.match(line)
        if array:
            # [[a.b]] opens entry n of the array a.b; validation errors name it as (a, b, n, ...).
            # Inside an entry of an enclosing array ([[a]] then [[a.b]]) the path goes through it: (a, m, b, n).
            path = _within_arrays(tuple(part.strip() for part in array.group(1).split(".")), entries)
            entries[path] = entries.get(path, -1) + 1
            found.setdefault(path, number)
            table = (*path, str(entries[path]))
            found.setdefault(table, number)
            continue
        header = _HEADER.match(line)
        if header:
            table = _within_arrays(tuple(part.strip() for part in header.group(1).split(".")), entries)
            found.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            found.setdefault((*table, key.group(1)), number)
            if line.rstrip().endswith("["):
                inline = (*table, key.group(1))
    return found


def _within_arrays(parts: tuple[str, ...], entries: dict[tuple[str, ...], int]) -> tuple[str, ...]:
    """A dotted header path with the current entry of each enclosing array of tables spliced in."""
    path: tuple[str, ...] = ()
    for i, part in enumerate(parts):
        path = (*path, part)
        if i < len(parts) - 1 and path in entries:
            path = (*path, str(entries[path]))
    return path


def _line_of(lines: dict[tuple[str, ...], int], loc: tuple[str, ...]) -> int | None:
    # The deepest prefix of the path that appears in the file (a missing key points at its table).
    for end in range(len(loc), 0, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def render_template(settings: Settings | None = None) -> str:
    """tenure.toml with every setting present, its description as a comment and its value.

    An optional sub-table that is not set (e.g. [support.business_hours]) is written commented out,
    with its defaults, so the file reads back as the same settings and shows how to turn it on."""
    settings = settings or Settings()
    out = [
        "# tenure workspace configuration.",
        "# Every setting is listed with its default; change what you need. Docs: docs/settings.md",
        "",
    ]
    for section_name in Settings.model_fields:
        section: BaseModel = getattr(settings, section_name)
        out.append(f"# {Settings.model_fields[section_name].description}")
        out.append(f"[{section_name}]")
        tables, arrays = [], []
        for name, field in type(section).model_fields.items():
            value = getattr(section, name)
            model = _model_in(field.annotation)
            if model is not None and typing.get_origin(field.annotation) is list:
                arrays.append((f"{section_name}.{name}", field.description, value, model))
                continue
            if model is not None:
                tables.append((f"{section_name}.{name}", field.description, value, model))
                continue
            out.append(f"# {field.description}")
            out.append(f"{name} = {_toml_value(value)}")
        out.append("")
        # Sub-tables and arrays of tables come after the section's own keys: in TOML every key
        # below a [header] belongs to that header.
        for path, description, value, model in tables:
            out.extend(_table_lines(path, description, value, model))
        for path, description, value, model in arrays:
            out.extend(_array_lines(path, description, value, model))
    return "\n".join(out)


def _model_in(annotation: object) -> type[BaseModel] | None:
    """The pydantic model inside an annotation like `Model | None` or `list[Model]`, if there is one."""
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _table_lines(path: str, description: str | None, value: BaseModel | None, model: type[BaseModel]) -> list[str]:
    prefix = "" if value is not None else "# "
    shown = value if value is not None else model()
    out = [f"# {description}", f"{prefix}[{path}]"]
    for name, field in model.model_fields.items():
        out.append(f"# {field.description}")
        current = getattr(shown, name)
        if current is not None:
            out.append(f"{prefix}{name} = {_toml_value(current)}")
    out.append("")
    return out


def _array_lines(path: str, description: str | None, values: list[BaseModel], model: type[BaseModel]) -> list[str]:
    """An array of tables ([[path]]), one per value; the field descriptions are written once, above the first.
    An empty array is written as one commented-out example entry."""
    out = [f"# {description}"]
    out.extend(f"#   {name}: {field.description}" for name, field in model.model_fields.items())
    if not values:
        out.append(f"# [[{path}]]")
        out.extend(f"# {name} = ..." for name in model.model_fields)
    for value in values:
        out.append(f"[[{path}]]")
        nested = []
        for name, field in model.model_fields.items():
            current = getattr(value, name)
            inner = _model_in(field.annotation)
            if inner is not None and _holds_arrays(inner) and typing.get_origin(field.annotation) is list:
                nested.append((f"{path}.{name}", field.description, current, inner))
            elif current is not None and isinstance(current, list) and current and isinstance(current[0], BaseModel):
                # A list of small tables: one inline table per line, so each reads like a row.
                out.append(f"{name} = [")
                out.extend(f"  {_toml_value(item)}," for item in current)
                out.append("]")
            elif current is not None:
                out.append(f"{name} = {_toml_value(current)}")
        # An array nested in an entry ([[a.b]] inside [[a]]) follows the entry's own keys.
        for inner_path, inner_description, inner_values, inner_model in nested:
            out.extend(_array_lines(inner_path, inner_description, inner_values, inner_model))
    out.append("")
    return out


def _holds_arrays(model: type[BaseModel]) -> bool:
    """Whether a model has a list of models among its fields: then it is written as [[tables]], not inline."""
    return any(
        typing.get_origin(f.annotation) is list and _model_in(f.annotation) is not None for f in model.model_fields.values()
    )


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_value(key)


def _toml_value(value: object) -> str:
    if isinstance(value, BaseModel):
        # An inline table of the fields that are set (TOML has no null).
        return _toml_value({k: getattr(value, k) for k in type(value).model_fields if getattr(value, k) is not None})
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_key(str(k))} = {_toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()  # a TOML local date
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'
