"""Fixtures for the revenue tests: a workspace reopened with other settings."""

from __future__ import annotations

import re

import pytest

from tenure import Workspace


@pytest.fixture
def reopen():
    """reopen(ws, timezone="America/New_York", ...): rewrite [workspace] settings in tenure.toml and reopen."""
    opened: list[Workspace] = []

    def _reopen(ws: Workspace, **settings: object) -> Workspace:
        config = ws.path / "tenure.toml"
        text = config.read_text(encoding="utf-8")
        for key, value in settings.items():
            literal = f'"{value}"' if isinstance(value, str) else str(value)
            text, found = re.subn(rf"(?m)^{key} = .*$", f"{key} = {literal}", text)
            assert found == 1, key
        config.write_text(text, encoding="utf-8")
        ws.close()
        reopened = Workspace.open(ws.path)
        opened.append(reopened)
        return reopened

    yield _reopen
    for ws in opened:
        ws.close()
