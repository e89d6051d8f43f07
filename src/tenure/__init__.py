"""tenure: the truth about your SaaS customers, and action on it.

    >>> import tenure
    >>> ws = tenure.Workspace.open("demo-workspace")      # doctest: +SKIP
    >>> ws.revenue(start="2025-01", end="2025-12").to_pandas()  # doctest: +SKIP
"""

import importlib.metadata as _metadata

from tenure.errors import (
    ConfigError,
    DataError,
    LoadError,
    StrictLoadError,
    TenureError,
    UnreadableFileError,
    UsageError,
    WorkspaceError,
)
from tenure.workspace import Workspace

__all__ = [
    "ConfigError",
    "DataError",
    "LoadError",
    "StrictLoadError",
    "TenureError",
    "UnreadableFileError",
    "UsageError",
    "Workspace",
    "WorkspaceError",
]

try:
    # One source of truth, pyproject.toml's version, as installed; `tenure --version` prints the same.
    __version__ = _metadata.version("tenure")
except _metadata.PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
