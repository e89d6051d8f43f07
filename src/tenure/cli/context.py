"""The workspace chosen on the command line, opened for one command and closed after it."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from tenure.errors import DataError, TenureError
from tenure.workspace import Workspace

_chosen: dict[str, Path | None] = {"path": None}


def set_workspace_option(path: Path | None) -> None:
    _chosen["path"] = path


@contextmanager
def opened(*, read_only: bool = False) -> Iterator[Workspace]:
    """The workspace for one command. A command that only reads runs its queries within [warehouse]
    query_timeout_seconds; loads and refreshes take as long as the data needs."""
    ws = Workspace.open(_chosen["path"], read_only=read_only)
    try:
        if read_only:
            with ws.time_limit(ws.settings.warehouse.query_timeout_seconds):
                yield ws
        else:
            yield ws
    finally:
        ws.close()


def dates_out_of_range() -> DataError | None:
    """The error naming the stored dates no result can hold, when the chosen workspace has some."""
    try:
        with opened(read_only=True) as ws:
            ws.check_dates()
    except DataError as error:
        return error
    except TenureError:
        return None
    return None
