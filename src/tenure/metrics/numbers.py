"""How revenue figures are typed: money as exact decimals, rates as floats that are null, never NaN or
infinite, when the denominator is 0."""

from __future__ import annotations

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

# Every money figure of the revenue engine: wide enough for sums over any history, 6 decimals.
MONEY = dt.Decimal(38, 6)


def to_money(value: ir.NumericValue) -> ir.DecimalValue:
    """A float or decimal expression as MONEY, rounded to 6 decimals (engines divide decimals into floats)."""
    return value.round(6).cast(MONEY)


def ratio(numerator: ir.NumericValue, denominator: ir.NumericValue) -> ir.FloatingValue:
    """numerator / denominator as a float; null when the denominator is 0."""
    return ibis.cases((denominator != 0, numerator.cast(dt.float64) / denominator.cast(dt.float64)))
