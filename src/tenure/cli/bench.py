"""`tenure bench`: measure load throughput, metric families against their floor, and peak memory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from tenure.cli.output import console, plain
from tenure.cli.progress import progress


def bench(
    events: Annotated[int, typer.Option("--events", help="Product events in the benchmark company.")] = 1_000_000,
    accounts: Annotated[int, typer.Option("--accounts", help="Customer accounts.")] = 2_000,
    months: Annotated[int, typer.Option("--months", help="Months of history.")] = 24,
    data: Annotated[Path, typer.Option("--data", help="Where generated data is kept and reused.")] = Path(".bench"),
    memory_limit: Annotated[Optional[str], typer.Option("--memory-limit", help="Engine memory limit (default: the workspace default).")] = None,
    json_file: Annotated[Optional[Path], typer.Option("--json", help="Also write the results to this JSON file.")] = None,
    daily_usage: Annotated[bool, typer.Option("--daily-usage/--no-daily-usage", help="Time exact daily usage per account (the slowest step).")] = True,
) -> None:
    """Generate (or reuse) the demo company at a scale, load it, and time every metric family."""
    from tenure.bench import run_bench

    data.mkdir(parents=True, exist_ok=True)
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
