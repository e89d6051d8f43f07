"""Lifecycle stages: an account is in the first [[journey.stages]] entry whose condition holds over its
signals (docs/journey.md#stages); the last stage, without a condition, takes every account left."""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.types as ir

from tenure.config.journey import JourneySettings
from tenure.config.settings import EventsSettings
from tenure.journey.inputs import journey_inputs
from tenure.conditions import parse_condition
from tenure.conditions.compile import to_ibis
from tenure.warehouse import Warehouse

WHERE = "tenure.toml [[journey.stages]]"


def stage_column(inputs: ir.Table, *, journey: JourneySettings) -> ir.StringValue:
    """The stage of each row of a journey_inputs table, as one CASE evaluated by the engine."""
    configured = journey.stages
    # to_ibis checks each condition against the real columns: a signal the catalogue promised but the
    # table lacks is a ConfigError naming the stage, never an engine error.
    cases = [(to_ibis(parse_condition(s.when, file=f"{WHERE} '{s.name}'"), inputs), s.name)
             for s in configured[:-1]]
    return ibis.cases(*cases, else_=configured[-1].name) if cases else ibis.literal(configured[-1].name)


def stages(warehouse: Warehouse, signals: ir.Table, as_of: date, *, events: EventsSettings,
           journey: JourneySettings) -> ir.Table:
    """account_id, stage: one row per row of signals (one per account), ordered by account_id."""
    inputs = journey_inputs(warehouse, signals, as_of, events=events, journey=journey)
    return inputs.select("account_id", stage=stage_column(inputs, journey=journey)).order_by("account_id")
