"""Product-usage queries (docs/queries.md): lifecycle and retention, each validated once into a frozen
query, built into an expression, and drilled down to the units behind one cell."""

from __future__ import annotations

from datetime import date

import ibis.expr.types as ir

from tenure.warehouse import Warehouse


def lifecycle(warehouse: Warehouse, *, timezone: str, **options) -> ir.Table:
    """Per period: new, returning, resurrecting and dormant units. Options: unit ("user" | "account"),
    interval ("day" | "week" | "month"), events (names; empty = any), start, end (YYYY-MM-DD)."""
    from tenure.queries import lifecycle as runner

    return runner.lifecycle(warehouse, runner.validate(**options, timezone=timezone))


def lifecycle_actors(warehouse: Warehouse, *, timezone: str, period: date | str, status: str, **options) -> ir.Table:
    """The unit ids behind one lifecycle cell: the units with `status` in the period holding `period`."""
    from tenure.queries import lifecycle as runner

    return runner.actors(warehouse, runner.validate(**options, timezone=timezone), period, status)


def retention(warehouse: Warehouse, *, timezone: str, **options) -> ir.Table:
    """The cohort matrix: cohort, size, values. Options: unit, interval, start_event, return_event (None =
    any event), cohorts ("recurring" | "first_time"), count ("on" | "on_or_after"), start, end."""
    from tenure.queries import retention as runner

    return runner.retention(warehouse, runner.validate(**options, timezone=timezone))


def retention_actors(warehouse: Warehouse, *, timezone: str, cohort: date | str, k: int, **options) -> ir.Table:
    """The unit ids behind one retention cell: the cohort's units counted k intervals later."""
    from tenure.queries import retention as runner

    return runner.actors(warehouse, runner.validate(**options, timezone=timezone), cohort, k)
