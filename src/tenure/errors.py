"""The exceptions tenure raises. Adapters (CLI, API) turn each into a one-line message and an exit code.

    TenureError                   anything tenure raises on purpose; never a bug
    ├── UsageError                an argument is wrong (bad month, unknown table, ...); names it as {name}
    ├── WorkspaceError            no workspace here, or one already exists
    │   └── WorkspaceBusyError    another process holds the warehouse (a refresh); names it
    ├── ConfigError               tenure.toml is invalid; .problems lists every problem with its line
    ├── LoadError                 a load changed nothing
    │   ├── UnreadableFileError   a whole file cannot be read (format, encoding, columns, empty)
    │   └── StrictLoadError       --strict and some rows were rejected
    └── DataError                 loaded data cannot answer the question (e.g. a missing FX rate)
        └── QueryTimeoutError     a query ran past [warehouse] query_timeout_seconds and was stopped
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Callable, Iterable


class TenureError(Exception):
    """Base of every error tenure raises deliberately."""

    exit_code = 1


class UsageError(TenureError):
    """An argument is wrong. The core names arguments in its own words, as `{name}` in the message (the
    parameter: `{start}`, `{as_of}`); each adapter says them in its own (`worded`): the Python API as the
    parameter name, the CLI as its flag (`--from`), the REST API as the query parameter."""

    exit_code = 2
    _ARGUMENT = re.compile(r"\{([a-z][a-z0-9_]*)\}")

    # Characters that would break the one line a usage error is, or reorder it on a terminal (CR, LF, bidi
    # overrides): a value quoted back to the user shows them escaped.
    _UNPRINTABLE = {c: f"\\x{c:02x}" for c in range(32)} | {
        c: f"\\u{c:04x}" for c in (0x7F, 0x85, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
    }

    def __init__(self, message: str):
        self.template = message.translate(self._UNPRINTABLE)
        super().__init__(self.worded(lambda name: name))

    @property
    def arguments(self) -> list[str]:
        """The parameters the message names, in order of first mention."""
        return list(dict.fromkeys(self._ARGUMENT.findall(self.template)))

    def worded(self, name_of: Callable[[str], str]) -> str:
        """The message with each `{name}` replaced by what `name_of` calls it."""
        return self._ARGUMENT.sub(lambda found: name_of(found.group(1)), self.template)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """"; did you mean 'x'?" when one of the choices is close to the word (a typo, or a name said without
    its prefix: contract for attr_contract), else "". Appended to a message naming an unknown name."""
    known = list(dict.fromkeys(choices))
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    # A name said without its prefix or suffix (contract -> attr_contract) is too short for difflib's ratio.
    close = close or [c for c in known if word and (c.endswith("_" + word) or c.startswith(word + "_"))][:1]
    return f"; did you mean '{close[0]}'?" if close else ""


class WorkspaceError(TenureError):
    exit_code = 3


class WorkspaceBusyError(WorkspaceError):
    """Another process holds the warehouse file (a refresh writing it); the message says which."""


@dataclass(frozen=True)
class Problem:
    """One problem in a configuration file: where it is and a sentence saying what is wrong."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class ConfigError(TenureError):
    exit_code = 4

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        noun = "problem" if len(problems) == 1 else "problems"
        super().__init__(f"{len(problems)} {noun} in configuration:\n" + "\n".join(f"  {p}" for p in problems))


class LoadError(TenureError):
    exit_code = 5


class UnreadableFileError(LoadError):
    def __init__(self, file: str, problem: str):
        self.file = file
        self.problem = problem
        super().__init__(f"{file}: {problem}; nothing was loaded")


class StrictLoadError(LoadError):
    def __init__(self, table: str, rejected: int, summary: str = ""):
        self.table = table
        self.rejected = rejected
        super().__init__(
            f"--strict: {rejected} row(s) of {table} were rejected, so nothing was inserted or updated"
            + (f"\n{summary}" if summary else "")
        )


class DataError(TenureError):
    exit_code = 6


class QueryTimeoutError(DataError):
    def __init__(self, seconds: int):
        self.seconds = seconds
        super().__init__(
            f"the query ran past {seconds} s ([warehouse] query_timeout_seconds) and was stopped; ask for a "
            "shorter range, or raise the setting"
        )
