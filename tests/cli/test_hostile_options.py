"""Every option and argument of every command, given out-of-range and malformed values: the command either
does its work or refuses with one line on stderr and an exit code 2..6; never a traceback.

The cases come from the Typer command tree, so a new command or option is covered the day it is added.
Each value is tried alone, the other parameters at harmless values (REQUIRED below), on one small
workspace, inside this process (cli/inprocess.py). The suite tries one value per parameter, a different
one for each (about 90 runs); TENURE_CLI_FUZZ=all tries every value on every parameter (about 800 runs,
`make fuzz-cli`).

Typer's own usage errors (a value that is not a number, an int past an option's min/max, an unknown
choice) are held to the same rule: one line, exit code 2.
"""

from __future__ import annotations

import os
import re
import signal
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import get_args, get_origin

import pytest
import typer.main

from tenure import Workspace
from tenure.cli.app import app
from tests.cli.inprocess import InProcessRun, tenure_in_process
from tests.conftest import copy_workspace, put_rows

# Values no option of that type should take quietly: out of range, malformed, hostile.
HUGE = "99999999999999999999"
VALUES = {
    int: [HUGE, "-" + HUGE, "ten"],
    float: ["nan", "inf", "1e400", "ten"],
    str: ["0001-01-01", "9999-12-31", "0001-01", HUGE + "d", "2025-13-45", "'; DROP TABLE accounts; --",
          "\u202e\u00e9\r\nX", "x" * 5000],
    Path: ["/etc/passwd/x.png", "/proc/tenure-no-such/x.svg"],
    Enum: ["nope"],
}
# Commands whose successful run takes long (they build a company): every value given must be refused.
EXPENSIVE = {"demo", "bench"}
# Harmless values for the required parameters, and for the expensive commands' sizes.
REQUIRED = {
    "account_id": "A", "account": "A", "table": "accounts", "text": "a note", "title": "call them",
    "task_id": "1", "name": "no-such-playbook",
}
SECONDS_PER_RUN = 60  # a churn model is trained before its --by is read: seconds on a busy machine


def _commands() -> Iterator[tuple[tuple[str, ...], object]]:
    def walk(command, path):
        children = getattr(command, "commands", None)
        if children:
            for name, child in children.items():
                yield from walk(child, (*path, name))
        else:
            yield path, command

    yield from walk(typer.main.get_command(app), ())


def _kind(parameter) -> type:
    annotation = parameter.type_descriptor.annotation
    if get_origin(annotation) is list:
        annotation = get_args(annotation)[0]
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return Enum
    return annotation if annotation in VALUES else str


def _cases() -> Iterator[pytest.param]:
    every = os.environ.get("TENURE_CLI_FUZZ") == "all"
    for path, command in _commands():
        for parameter in command.params:
            if getattr(parameter, "is_flag", False):
                continue
            values = [v for v in VALUES[_kind(parameter)] if not (path[0] in EXPENSIVE and v.startswith("-"))]
            if not every:
                # One value, chosen by the parameter's name: stable from run to run, varied across parameters.
                values = [values[zlib.crc32(f"{path} {parameter.name}".encode()) % len(values)]]
            for value in values:
                yield pytest.param(path, parameter.name, value, id=f"{' '.join(path)} {parameter.name}={value[:24]!r}")


# A progress line (`reading: 0/1`) that loads and refreshes print on stderr before they finish or fail.
_PROGRESS = re.compile(r"^[\w ]+: \d+/\d+$")


@pytest.fixture(scope="module")
def folder(tmp_path_factory, workspace_template) -> Path:
    """A small refreshed workspace: A pays 100 a month since January 2024, B never paid."""
    root = tmp_path_factory.mktemp("hostile")
    ws = copy_workspace(workspace_template, root / "ws")
    config = ws / "tenure.toml"
    config.write_text(config.read_text().replace("history_days = 90", "history_days = 0").replace("history_days = 365", "history_days = 1"))
    with Workspace.open(ws) as opened:
        put_rows(opened, "accounts", [{"account_id": "A", "name": "Acme", "created_at": "2024-01-01"},
                                      {"account_id": "B", "name": "Beta", "created_at": "2024-02-01"}])
        put_rows(opened, "subscriptions", [{"subscription_id": "s1", "account_id": "A", "start_date": "2024-01-01",
                                            "amount": "100", "currency": "USD", "interval_months": 1}])
        put_rows(opened, "events", [{"event_id": "e1", "account_id": "A", "user_id": "u1", "event": "login",
                                     "timestamp": "2024-03-10 09:00"}])
        opened.refresh(health=True)
    (root / "accounts.csv").write_text("account_id,name,created_at\nC,Cyan,2024-03-01\n")
    return root


@contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """Fail a run that takes longer than `seconds` (a valid value that started a long job)."""
    def expire(*_):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _arguments(path: tuple[str, ...], command, tested: str, value: str, root: Path) -> list[str]:
    words = [*path]
    for parameter in command.params:
        if getattr(parameter, "is_flag", False):
            continue
        given = value if parameter.name == tested else None
        if given is None and parameter.required:
            given = {"files": str(root / "accounts.csv"), "directory": str(root / "new"), "path": str(root / "ws" / "tenure.toml")
                     }.get(parameter.name, REQUIRED.get(parameter.name))
        if given is None:
            continue
        if parameter.param_type_name == "option":
            words += [parameter.opts[0], given]
        else:
            words.append(given)
    return words


@pytest.mark.parametrize(("path", "tested", "value"), list(_cases()))
def test_option_value_is_done_or_refused_in_one_line(folder: Path, monkeypatch, path, tested, value):
    monkeypatch.chdir(folder)  # `demo` and `init` write relative folders here, never into the repository
    command = dict(_commands())[path]
    with _deadline(SECONDS_PER_RUN):
        run: InProcessRun = tenure_in_process("-w", folder / "ws", *_arguments(path, command, tested, value, folder))
    assert run.escaped is None, run.escaped
    if path[0] in EXPENSIVE:
        assert run.code != 0, f"{' '.join(path)} accepted {tested}={value!r}"
    if run.code == 0:
        return
    assert 2 <= run.code <= 6, run.stderr
    assert "Traceback" not in run.stderr
    lines = [line for line in run.stderr.strip().splitlines() if not _PROGRESS.match(line)]
    assert len(lines) == 1 and lines[0].startswith("error: "), run.stderr
