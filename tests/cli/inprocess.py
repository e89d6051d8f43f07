"""Run the `tenure` entry point (cli.app.main) inside the test process: what a user's shell would see on
stdout, stderr and the exit code, at a fraction of a subprocess's start-up. An exception that escapes
main is what the user would see as a traceback: it is kept in `escaped`, never swallowed."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from tests.cli.runner import WIDTH, Run


@dataclass
class InProcessRun(Run):
    escaped: str | None = None


def tenure_in_process(*args: str | Path) -> InProcessRun:
    from tenure.cli.app import main

    out, err = io.StringIO(), io.StringIO()
    code, escaped = 0, None
    with (mock.patch.object(sys, "argv", ["tenure", *map(str, args)]), mock.patch.dict(os.environ, {"COLUMNS": WIDTH}),
          contextlib.redirect_stdout(out), contextlib.redirect_stderr(err)):
        try:
            main()
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        except BaseException:  # noqa: BLE001 - the traceback a user would see; the test reports it
            code, escaped = 1, traceback.format_exc()
    return InProcessRun(code, out.getvalue(), err.getvalue(), escaped)
