"""Journey fixtures: [journey] settings swapped in place, and literal accounts."""

from __future__ import annotations

import pytest

from tenure.config.journey import JourneySettings, Milestone


@pytest.fixture
def configure():
    """configure(ws, milestones=[...], stages=[...], ...): replace the workspace's [journey] settings."""

    def _configure(ws, **fields):
        if "milestones" in fields:
            fields["milestones"] = [m if isinstance(m, Milestone) else Milestone(**m) for m in fields["milestones"]]
        ws.settings.journey = JourneySettings(**fields)
        ws.refresh()  # the milestones' events are read from _event_firsts, built for these settings
        return ws

    return _configure


def account(account_id: str, created: str = "2024-01-01") -> dict:
    return {"account_id": account_id, "name": account_id.upper(), "created_at": created}
