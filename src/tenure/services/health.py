"""Health: every account's score as of a day, why one account scores what it does, a changed scorecard
scored against the current one, and the stored history (docs/health.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import ibis.expr.types as ir

from tenure.config.health import HealthSettings
from tenure.config.settings import Settings
from tenure.errors import UsageError
from tenure.services.accounts import ordered, require_account, require_known
from tenure.warehouse import Warehouse


def day_signals(warehouse: Warehouse, *, settings: Settings, as_of: date) -> ir.Table:
    """The signals a scorecard reads on a day: every signal, the journey's stage and moments."""
    from tenure.journey import day_signals as signals_on

    return signals_on(warehouse, as_of, settings=settings)


def missing_signals(warehouse: Warehouse) -> set[str]:
    """The signals whose source was never loaded: scored as missing, not as 0 (docs/health.md)."""
    from tenure.health.sources import missing_signals as unloaded

    return unloaded(warehouse)


def listing(warehouse: Warehouse, *, settings: Settings, as_of: date, band: str | None = None,
            segment: str | None = None, sort: str = "score", descending: bool = False) -> ir.Table:
    """Every scored account as of a day: scorecard, score, band, confidence, low_confidence, stale, with
    name, segment and ARR; by `sort` (lowest score first by default)."""
    from tenure.health import BANDS
    from tenure.health.report import listing as scored

    if band is not None and band not in BANDS:
        raise UsageError(f"{{band}}: '{band}' is not a band; the bands are: {', '.join(BANDS)}")
    rows = scored(day_signals(warehouse, settings=settings, as_of=as_of), settings.health,
                  missing=missing_signals(warehouse))
    if band is not None:
        rows = rows.filter(rows.band == band)
    if segment is not None:
        rows = rows.filter(rows.segment == segment)
    return ordered(rows, sort, descending=descending)


def history(warehouse: Warehouse, *, account_id: str | None = None) -> ir.Table:
    """The stored daily scores written by the refresh: account_id, day, scorecard, score, band, ..."""
    from tenure.health.history import history as stored

    if account_id is not None:
        require_known(warehouse, account_id=account_id)
    return stored(warehouse, account_id)


def why_sections(warehouse: Warehouse, *, settings: Settings, account_id: str, as_of: date) -> dict[str, ir.Table]:
    """The expressions behind `why`, by name: score, categories, measures, trend."""
    from tenure.health.report import why as explain

    require_account(warehouse, account_id=account_id, as_of=as_of)
    found = explain(day_signals(warehouse, settings=settings, as_of=as_of), settings.health, account_id,
                    missing=missing_signals(warehouse))
    trend = history(warehouse, account_id=account_id)
    trend = trend.filter(trend.day <= as_of).select("day", "score", "band", "confidence")
    return {"score": found["score"], "categories": found["categories"], "measures": found["measures"], "trend": trend}


def why(warehouse: Warehouse, *, settings: Settings, account_id: str, as_of: date) -> dict:
    """Why an account scores what it does: its score row, each category's and measure's contribution
    (points), what would move it to green, and its trend from the history."""
    found = {name: expr.to_pyarrow().to_pylist()
             for name, expr in why_sections(warehouse, settings=settings, account_id=account_id, as_of=as_of).items()}
    scored = found["score"][0] if found["score"] else None
    return {"as_of": as_of, "account_id": account_id, "score": scored, "categories": found["categories"],
            "measures": found["measures"] if scored else [], "trend": found["trend"]}


def proposed_health(path: str | Path) -> HealthSettings:
    """The [health] of a tenure.toml, or of a TOML file with just [health] and its scorecards."""
    from tenure.config import read_settings

    found = Path(path)
    if not found.is_file():
        raise UsageError(f"{found}: no such file")
    return read_settings(found).health


def diff_sections(warehouse: Warehouse, *, settings: Settings, proposed: HealthSettings,
                  as_of: date) -> dict[str, ir.Table]:
    """The expressions behind `diff`, by name: matrix, moved, totals."""
    from tenure.health.report import diff as compare

    return compare(day_signals(warehouse, settings=settings, as_of=as_of), settings.health, proposed,
                   missing=missing_signals(warehouse))


def diff(warehouse: Warehouse, *, settings: Settings, proposed: HealthSettings, as_of: date) -> dict:
    """A changed [health] scored against the current one: the band-move matrix, the accounts that move,
    and the ARR they carry."""
    found = {name: expr.to_pyarrow().to_pylist()
             for name, expr in diff_sections(warehouse, settings=settings, proposed=proposed, as_of=as_of).items()}
    return {"as_of": as_of, **found.pop("totals")[0], **found}
