"""Checks shared by the sections of tenure.toml."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from tenure.errors import ConfigError
from tenure.vocabulary.scopes import Scope

T = TypeVar("T")
# The most days a setting may count: a century. More cannot mean anything, and day arithmetic past
# year 9999 fails at run time instead of here.
MAX_DAYS = 36_500


def require_unique(names: Iterable[str], what: str) -> None:
    """Raise ValueError naming every repeated name: "<what> names must be unique; repeated: a, b"."""
    names = list(names)
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"{what} names must be unique; repeated: {', '.join(repeated)}")


def in_vocabulary(check: Callable[[str, Scope], T], text: str, scope: Scope) -> T:
    """Run one of tenure.vocabulary.check's checks on a setting's text. Its problems become one ValueError
    (their sentences joined by "; "), so pydantic locates them at the setting and read_settings reports
    them with its line, next to every other problem of the file."""
    try:
        return check(text, scope)
    except ConfigError as error:
        raise ValueError("; ".join(problem.message for problem in error.problems)) from None
