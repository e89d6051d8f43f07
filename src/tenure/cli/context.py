"""The workspace chosen on the command line, opened for one command and closed after it."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from tenure.workspace import Workspace

_chosen: dict[str, Path | None] = {"path": None}


def set_workspace_option(path: Path | None) -> None:
    _chosen["path"] = path


@contextmanager
def opened(*, read_only: bool = False) -> Iterator[Workspace]:
    ws = Workspace.open(_chosen["path"], read_only=read_only)
    try:
        yield ws
    finally:
        ws.close()
