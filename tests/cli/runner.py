"""Run the real `tenure` entry point in a process of its own, as a user's shell would.

A new Python process spends about 1.3 s importing Ibis, PyArrow, DuckDB and the rest before tenure
says a word, and the suite starts about a hundred of them. So each command runs in a child forked
from a server that imported those libraries once (multiprocessing's forkserver): still its own
process, with its own arguments, environment, working folder, stdin, stdout, stderr and exit code,
and tenure itself imported fresh in every child. `fresh=True` starts a whole new interpreter
(`python -m tenure`) instead, for the tests of the entry point itself."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import traceback
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

# Third-party libraries only: nothing of tenure is imported before a child has its environment.
_PRELOAD = ["duckdb", "pyarrow", "pyarrow.compute", "pyarrow.parquet", "pandas", "numpy", "ibis",
            "ibis.backends.duckdb", "sqlglot", "pydantic", "sqlalchemy", "alembic", "rich", "typer", "jinja2"]
_forkserver = multiprocessing.get_context("forkserver")
_forkserver.set_forkserver_preload(_PRELOAD)

def tenure(*args: str | Path, cwd: Path | None = None, env: dict | None = None, timeout: float = 300,
           fresh: bool = False, width: int | None = None) -> Run:
    """Run `tenure ARGS`; `width`: the terminal's columns, when a test is about them (default WIDTH)."""
    environment = {**(os.environ if env is None else env), "COLUMNS": WIDTH if width is None else str(width)}
    argv = [str(a) for a in args]
    if fresh:
        done = subprocess.run([sys.executable, "-m", "tenure", *argv], capture_output=True, text=True, cwd=cwd,
                              env=environment, stdin=subprocess.DEVNULL, timeout=timeout)
        return Run(done.returncode, done.stdout, done.stderr)
    with tempfile.TemporaryDirectory(prefix="tenure-run-") as folder:
        out, err = Path(folder) / "stdout", Path(folder) / "stderr"
        child = _forkserver.Process(target=_run, args=(argv, cwd, environment, out, err))
        child.start()
        child.join(timeout)
        if child.is_alive():
            child.kill()
            child.join()
            raise subprocess.TimeoutExpired(["tenure", *argv], timeout)
        return Run(child.exitcode, out.read_text(), err.read_text())


def _run(argv: list[str], cwd: Path | None, environment: dict, out: Path, err: Path) -> None:
    """In the child: become `tenure ARGS` started from a shell, then leave with its exit code."""
    if cwd is not None:
        os.chdir(cwd)
    os.environ.clear()
    os.environ.update(environment)
    sys.stdout.flush()
    sys.stderr.flush()
    for fd, path in ((1, out), (2, err)):
        os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    sys.argv = ["tenure", *argv]
    code = 0
    try:
        from tenure.cli.app import main

        main()
    except SystemExit as exit_:
        code = _exit_code(exit_.code)
    except BaseException:  # as the interpreter does with an uncaught exception: the traceback, and 1
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)  # sys.exit("message"): printed, and 1, as the interpreter does
    return 1
