"""Who holds the warehouse file: each process that opens it leaves a record (pid, command, start time) in a
folder beside it, and removes it on close.

DuckDB lets one process write a database file, or several read it, never both; the one turned away
learns only a PID from DuckDB's lock error. The records say what that process is (`tenure refresh`,
started 14:02:11), so the message can tell the user what to wait for. A record whose process is gone
(a crash, a kill -9) is ignored and removed.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

_DUCKDB_PID = re.compile(r"\(PID (\d+)\)")


@dataclass(frozen=True)
class Holder:
    pid: int
    command: str
    started_at: str  # ISO, local time, seconds
    writing: bool

    def __str__(self) -> str:
        mode = "writing" if self.writing else "reading"
        return f"`{self.command}` (pid {self.pid}, {mode} since {self.started_at.replace('T', ' ')})"


def folder(database: Path) -> Path:
    return database.with_name(database.name + ".holders")


def command_line() -> str:
    """This process's command as the user typed it: `tenure refresh`, not .../tenure/__main__.py refresh."""
    program = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    program = "tenure" if program == "__main__.py" else program  # python -m tenure
    return shlex.join([program, *sys.argv[1:]])


def record(database: Path, *, writing: bool) -> Path | None:
    """Leave this process's record beside the database; None when the folder cannot be written (a
    read-only copy of a workspace is still readable)."""
    holder = Holder(os.getpid(), command_line(), datetime.now().isoformat(timespec="seconds"), writing)
    path = folder(database) / f"{holder.pid}.json"
    try:
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(holder.__dict__), encoding="utf-8")
    except OSError:
        return None
    return path


def release(path: Path | None) -> None:
    if path is not None:
        path.unlink(missing_ok=True)
        try:
            path.parent.rmdir()  # the last one out leaves no empty folder behind
        except OSError:
            pass


def holders(database: Path) -> list[Holder]:
    """The live processes holding the database, oldest first (not this one); stale records are removed."""
    found = []
    for path in sorted(folder(database).glob("*.json")):
        try:
            holder = Holder(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            continue
        if holder.pid == os.getpid():
            continue
        if _alive(holder.pid):
            found.append(holder)
        else:
            path.unlink(missing_ok=True)
    return sorted(found, key=lambda h: h.started_at)


def busy_message(database: Path, lock_error: str) -> str:
    """What holds the database, in a sentence: the recorded holders, else the PID DuckDB names."""
    known = holders(database)
    if known:
        who = "; ".join(str(h) for h in known)
        return f"{database} is in use by {who}; try again when it finishes"
    pid = _DUCKDB_PID.search(lock_error)
    other = f"another process (pid {pid.group(1)})" if pid else "another process"
    return f"{database} is in use by {other}, such as a notebook with the workspace open; close it and try again"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    except OSError:
        return False
    return True
