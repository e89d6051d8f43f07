"""Moments to act (docs/journey.md#moments): an account has an expansion or advocacy moment when any of
that moment's [[journey.moments]] reasons holds; the reasons that hold are listed in configuration order."""

from __future__ import annotations

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from tenure.config.journey import MOMENTS, JourneySettings
from tenure.conditions import parse_condition
from tenure.conditions.compile import to_ibis

WHERE = "tenure.toml [[journey.moments]]"


def moment_columns(inputs: ir.Table, *, journey: JourneySettings) -> dict[str, ir.Value]:
    """<moment>_moment (boolean) and <moment>_reasons (list of text) for each moment, over inputs."""
    columns: dict[str, ir.Value] = {}
    for moment in MOMENTS:
        reasons = [r for r in journey.moments if r.moment == moment]
        held = [(to_ibis(parse_condition(r.when, file=f"{WHERE} '{r.reason}'"), inputs), r.reason) for r in reasons]
        names = [ibis.ifelse(holds, name, ibis.null(dt.string)) for holds, name in held]
        columns[f"{moment}_moment"] = ibis.or_(*[h for h, _ in held]) if held else ibis.literal(False)
        columns[f"{moment}_reasons"] = (
            ibis.array(names).filter(lambda n: n.notnull()) if names else ibis.literal([], type=dt.Array(dt.string))
        )
    return columns
