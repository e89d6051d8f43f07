"""tenure: the truth about your SaaS customers, and action on it.

    >>> import tenure
    >>> ws = tenure.Workspace.open("demo-workspace")      # doctest: +SKIP
    >>> ws.revenue(start="2025-01", end="2025-12").to_pandas()  # doctest: +SKIP
"""

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
__version__ = "0.1.0"
