"""Kaplan-Meier curves drawn to a PNG or SVG file: one step line per group, its confidence band shaded."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pyarrow as pa

from tenure.errors import UsageError

FORMATS = (".png", ".svg")


def check_plot_path(path: str | Path, parameter: str = "plot") -> Path:
    """The path, when its extension is one matplotlib writes here and its folder exists or can be made
    and written to; UsageError otherwise (checked before the work, so a wrong path costs nothing)."""
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise UsageError(f"{{{parameter}}} {path}: the file must end in .png or .svg")
    folder = path.absolute().parent
    while not folder.exists():
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK) or path.is_dir():
        raise UsageError(f"{{{parameter}}} {path}: cannot write there ({folder} is not a folder this user may write to)")
    return path


def write_figure(figure: Any, path: Path, parameter: str = "plot") -> None:
    """Save a matplotlib figure to `path`, making its folder; an operating-system refusal is the user's to fix."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, format=path.suffix.lower().lstrip("."))
    except OSError as error:
        raise UsageError(f"{{{parameter}}} {path}: cannot write it ({error.strerror or error})") from None


def plot_survival(curves: pa.Table, path: str | Path, *, unit: str = "month", title: str | None = None) -> Path:
    """Write the curves of `kaplan_meier` to `path` (.png or .svg) and return the path."""
    path = check_plot_path(path)
    # Imported here: matplotlib takes most of a second to import, and only --plot needs it. Agg draws
    # to files without a display, so this works on servers and in CI.
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data = curves.to_pydict()
    figure, axes = plt.subplots(figsize=(8, 5))
    try:
        groups = list(dict.fromkeys(data["group"]))
        for group in groups:
            rows = [i for i, g in enumerate(data["group"]) if g == group]
            times = [data["timeline"][i] for i in rows]
            label = "all customers" if group is None else str(group)
            line, = axes.step(times, [data["survival"][i] for i in rows], where="post", label=label)
            axes.fill_between(times, [data["ci_lower"][i] for i in rows], [data["ci_upper"][i] for i in rows],
                              step="post", alpha=0.2, color=line.get_color(), linewidth=0)
        axes.set_xlabel(f"{unit}s since the first payment")
        axes.set_ylabel("share of customers still customers")
        axes.set_ylim(0, 1.02)
        axes.set_title(title or "Kaplan-Meier customer survival (shaded: confidence interval)")
        axes.legend(loc="best", fontsize="small")
        figure.tight_layout()
        write_figure(figure, path)
    finally:
        plt.close(figure)
    return path
