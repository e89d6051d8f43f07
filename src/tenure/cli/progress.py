"""Progress for long work: a Rich progress bar on a terminal; otherwise (CI logs, pipes) one line on stderr per
step as it ends, naming the step (`load accounts: done`)."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tenure.cli.output import err_console

Report = Callable[[str, int, int], None]


@contextmanager
def progress(enabled: bool = True) -> Iterator[Report]:
    """Yield a callback report(stage, done, total) that shows one bar per stage."""
    if not enabled:
        yield lambda stage, done, total: None
        return
    if not err_console.is_terminal:
        done_stages: set[str] = set()

        def plain(stage: str, done: int, total: int) -> None:
            # A log gets one line per step, when it is done, naming what was done ("load events: done"),
            # instead of a counter per update that says nothing once the bar is gone.
            if done >= total and stage not in done_stages:
                done_stages.add(stage)
                print(f"{stage}: done", file=sys.stderr, flush=True)

        yield plain
        return
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
    ) as bar:
        tasks: dict[str, int] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        yield report
