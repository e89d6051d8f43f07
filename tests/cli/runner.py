"""Run the real `tenure` entry point in a subprocess, as a user's shell would."""

from __future__ import annotations

import json
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


def tenure(*args: str | Path, cwd: Path | None = None, env: dict | None = None, timeout: float = 300) -> Run:
    done = subprocess.run(
        [sys.executable, "-m", "tenure", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout,
    )
    return Run(done.returncode, done.stdout, done.stderr)
