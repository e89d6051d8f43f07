"""Everything known about each account on a day, in one row: the table scorecards and playbooks read.

    account_signals (tenure.signals, point-in-time)
      + risk_<rule>, risk_count        the [risks] rules (tenure.signals.risks)
      + ever_paid, on_trial, milestone figures, journey_status, ...   journey_inputs
      + stage, <moment>_moment, <moment>_reasons                     the [journey] rules

Every part reads only facts dated on or before `as_of`, so a past day's row is what was known then.
"""

from __future__ import annotations

from datetime import date

import ibis.expr.types as ir

from tenure.config.settings import Settings
from tenure.journey.inputs import journey_inputs
from tenure.journey.moments import moment_columns
from tenure.journey.stages import stage_column
from tenure.signals import account_signals, risk_flags, risk_rules
from tenure.warehouse import Warehouse


def day_signals(warehouse: Warehouse, as_of: date, *, settings: Settings) -> ir.Table:
    """One row per account created on or before as_of (module docstring)."""
    journey = settings.journey
    signals = risk_flags(account_signals(warehouse, as_of, settings=settings), risk_rules(settings))
    inputs = journey_inputs(warehouse, signals, as_of, events=settings.events, journey=journey)
    return inputs.mutate(stage=stage_column(inputs, journey=journey), **moment_columns(inputs, journey=journey))
