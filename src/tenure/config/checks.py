"""Checks shared by the sections of tenure.toml."""

from __future__ import annotations

from collections.abc import Iterable


def require_unique(names: Iterable[str], what: str) -> None:
    """Raise ValueError naming every repeated name: "<what> names must be unique; repeated: a, b"."""
    names = list(names)
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"{what} names must be unique; repeated: {', '.join(repeated)}")
