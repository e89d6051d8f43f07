"""Run the real `tenure` entry point in a subprocess, as a user's shell would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


# Human output is laid out for the terminal's width: without a fixed one, Rich reads it from the
# terminal the tests were started in (through stdin), or from the COLUMNS a pytest-xdist worker sets
# (80), and a table wraps differently in each. Tests see one width, whoever runs them, however.
WIDTH = "120"


def tenure(*args: str | Path, cwd: Path | None = None, env: dict | None = None, timeout: float = 300,
           width: int | None = None) -> Run:
    """Run `tenure ARGS`; `width`: the terminal's columns, when a test is about them (default WIDTH)."""
    columns = WIDTH if width is None else str(width)
    done = subprocess.run(
        [sys.executable, "-m", "tenure", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, env={**(os.environ if env is None else env), "COLUMNS": columns},
        stdin=subprocess.DEVNULL, timeout=timeout,
    )
    return Run(done.returncode, done.stdout, done.stderr)
