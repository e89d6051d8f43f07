"""Build a demo workspace: generate the synthetic company and load it through the ordinary loaders,
exactly as a user's own files would go in (so the demo exercises validation, upserts and rejects),
refresh the derived tables as a user would after loading, then run the demo's playbooks
(tenure.demo.settings) as of its last day, so its owners have open tasks to see. It also writes
proposed.toml, a changed health scorecard for `tenure health diff proposed.toml`."""

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
    from tenure.demo.settings import PROPOSED_FILE, PROPOSED_HEALTH, demo_settings

    ws = Workspace.init(directory, force=force, settings=demo_settings())
    (Path(directory) / PROPOSED_FILE).write_text(PROPOSED_HEALTH, encoding="utf-8")
    try:
        files = generate(Path(directory) / DATA_FOLDER, accounts=accounts, months=months, seed=seed, end=end, progress=progress)
        for table, paths in files.items():
            ws.load(table, paths, progress=progress)
        ws.refresh(progress=progress)
        if progress:
            progress("playbooks", 0, 1)
        ws.run_playbooks(as_of=end)
        if progress:
            progress("playbooks", 1, 1)
    except BaseException:
        ws.close()
        raise
    return ws
