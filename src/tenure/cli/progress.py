"""Progress for long work: a Rich progress bar on a terminal, plain lines on stderr otherwise (CI logs)."""

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
        last: dict[str, int] = {}

        def plain(stage: str, done: int, total: int) -> None:
            # One line per stage start and end keeps logs readable.
            if stage not in last or (done >= total and last[stage] < total):
                print(f"{stage}: {done}/{total}" if total else stage, file=sys.stderr, flush=True)
            last[stage] = done

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
