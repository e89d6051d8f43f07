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


_MICRO = 10**6


def divide_money(value: ir.DecimalValue, divisor: ir.IntegerValue) -> ir.DecimalValue:
    """value / divisor as MONEY, exact: the quotient rounded to 6 decimals, a half away from zero (so
    7,994.1227525 is 7,994.122753), whatever the engine does with a division.

    Engines divide decimals into binary floats, where such a tie falls either way by accident. Only
    remainders (`%`, exact on decimals) and divisions known to come out whole are used: a whole
    quotient below 2**53 is exact in a float, and MRR stays far below that."""
    n = divisor.cast(dt.int64)
    rest = value % n
    whole = ((value - rest).cast(dt.float64) / n).round().cast(dt.Decimal(38, 0))
    micros = rest * _MICRO
    over = micros % n
    micro = ((micros - over).cast(dt.float64) / n).round().cast(dt.Decimal(38, 0))
    # The part left after the last whole millionth decides: from half of one, away from zero.
    away = ibis.ifelse(over.abs() * 2 >= n, ibis.ifelse(value < 0, -1, 1), 0).cast(dt.Decimal(38, 0))
    return (whole.cast(MONEY) + (micro + away).cast(MONEY) * ibis.literal("0.000001", MONEY)).cast(MONEY)


def ratio(numerator: ir.NumericValue, denominator: ir.NumericValue) -> ir.FloatingValue:
    """numerator / denominator as a float; null when the denominator is 0."""
    return ibis.cases((denominator != 0, numerator.cast(dt.float64) / denominator.cast(dt.float64)))
