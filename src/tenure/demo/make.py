"""Build a demo workspace: generate the synthetic company and load it through the ordinary loaders,
exactly as a user's own files would go in (so the demo exercises validation, upserts and rejects),
then refresh the derived tables as a user would after loading."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Callable

from tenure.workspace import Workspace

DATA_FOLDER = "demo-data"


def make_demo_workspace(
    directory: Path,
    *,
    accounts: int = 500,
    months: int = 24,
    seed: int = 7,
    end: date | None = None,
    force: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> Workspace:
    from tenure.demo import generate

    ws = Workspace.init(directory, force=force)
    try:
        files = generate(Path(directory) / DATA_FOLDER, accounts=accounts, months=months, seed=seed, end=end, progress=progress)
        for table, paths in files.items():
            ws.load(table, paths, progress=progress)
        ws.refresh(progress=progress)
    except BaseException:
        ws.close()
        raise
    return ws
