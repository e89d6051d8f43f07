"""`tenure bench`: measure load throughput, metric families against their floor, and peak memory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from tenure.cli.output import console, plain
from tenure.cli.progress import progress
from tenure.config.settings import MEMORY
from tenure.errors import UsageError
from tenure.models.plot import check_plot_path


def bench(
    events: Annotated[int, typer.Option("--events", min=1, max=10**10, help="Product events in the benchmark company.")] = 1_000_000,
    accounts: Annotated[int, typer.Option("--accounts", min=10, max=10**6, help="Customer accounts.")] = 2_000,
    months: Annotated[int, typer.Option("--months", min=3, max=600, help="Months of history.")] = 24,
    data: Annotated[Path, typer.Option("--data", help="Where generated data is kept and reused.")] = Path(".bench"),
    memory_limit: Annotated[Optional[str], typer.Option("--memory-limit", help="Engine memory limit (default: the workspace default).")] = None,
    json_file: Annotated[Optional[Path], typer.Option("--json", help="Also write the results to this JSON file.")] = None,
    daily_usage: Annotated[bool, typer.Option("--daily-usage/--no-daily-usage", help="Time exact daily usage per account (the slowest step).")] = True,
) -> None:
    """Generate (or reuse) the demo company at a scale, load it, and time every metric family."""
    from tenure.bench import run_bench

    if memory_limit is not None and not MEMORY.match(memory_limit.strip()):
        raise UsageError(f"--memory-limit: {memory_limit!r} is not an amount of memory (for example 4GB or 512MB)")
    try:
        data.mkdir(parents=True, exist_ok=True)
        if json_file is not None:
            check_plot_path(json_file.with_suffix(".png"), "json")  # its folder can be written (any extension)
    except OSError as error:
        raise UsageError(f"--data: cannot use {data}: {error.strerror or error}") from None
    with progress() as report:
        result = run_bench(events=events, accounts=accounts, months=months, data_root=data, memory_limit=memory_limit, progress=report,
                           daily_usage=daily_usage)
    view = Table(title=f"tenure bench: {accounts:,} accounts, {result.events_loaded:,} events", header_style="bold")
    for column in ("step", "seconds", "rows/s", "floor s", "x floor", "peak MB", "target", "met"):
        view.add_column(column, justify="left" if column in ("step", "target") else "right")
    for m in result.measurements:
        view.add_row(
            m.name,
            f"{m.seconds:.3f}",
            f"{m.rows_per_second:,.0f}" if m.rows_per_second else "",
            f"{m.floor_seconds:.3f}" if m.floor_seconds is not None else "",
            f"{m.ratio_to_floor:.1f}" if m.ratio_to_floor is not None else "",
            f"{m.peak_rss_bytes / 2**20:,.0f}",
            m.target or "",
            "" if m.met is None else ("yes" if m.met else "NO"),
        )
    console.print(view)
    if result.generated_seconds is not None:
        console.print(f"Generated the data in {result.generated_seconds:.1f} s (kept in {result.data_dir}).")
    console.print(f"Peak resident memory {result.peak_rss_bytes / 2**30:.2f} GiB (target <= 8 GiB: {'met' if result.peak_target_met else 'NOT met'}).")
    if json_file:
        json_file.write_text(json.dumps(plain(result.to_dict()), indent=2) + "\n")
        console.print(f"Wrote {json_file}.")
