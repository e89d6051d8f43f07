"""Compile a condition to an Ibis boolean over a table of signals (one row per account), so that the
engine evaluates it next to the data instead of Python walking the rows.

Nulls follow SQL's three-valued logic (a comparison with a null signal is unknown, `not unknown` is
unknown, `unknown or true` is true), and the final unknown becomes false: a condition fires only when
it is known to hold. `x is null` is the way to ask about a missing signal. Division by zero is null."""

from __future__ import annotations

import operator
from datetime import date

import ibis
import ibis.expr.schema as sch
import ibis.expr.types as ir

from tenure.conditions.check import check
from tenure.conditions.expression import Expression
from tenure.conditions.nodes import InList, IsNull, Literal, Name, Negate, Node, Not
from tenure.conditions.types import SignalType

OPERATORS = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
    "+": operator.add, "-": operator.sub, "*": operator.mul, "and": operator.and_, "or": operator.or_,
}


def to_ibis(expr: Expression, table: ir.Table) -> ir.BooleanValue:
    """The condition as a boolean over table's rows, never null. The condition is first checked against the
    table's own column types (a ConfigError if it does not fit), so the engine never sees a mistyped query."""
    check(expr, signal_types(table.schema()))
    return _compile(expr.root, table).fill_null(False)


def _compile(node: Node, table: ir.Table) -> ir.Value:
    if isinstance(node, Literal):
        return _literal(node.value)
    if isinstance(node, Name):
        return table[node.name]
    if isinstance(node, Negate):
        return -_compile(node.operand, table)
    if isinstance(node, Not):
        return ~_compile(node.operand, table)
    if isinstance(node, IsNull):
        operand = _compile(node.operand, table)
        return operand.notnull() if node.negated else operand.isnull()
    if isinstance(node, InList):
        operand = _compile(node.operand, table)
        values = [_as(operand, value) for value in node.values]
        return operand.notin(values) if node.negated else operand.isin(values)
    left, right = _compile(node.left, table), _compile(node.right, table)
    if node.kind == "comparison":
        # A "YYYY-MM-DD" literal compared with a date signal is a date (check has validated it).
        if isinstance(node.left, Literal):
            left = _as(right, node.left)
        if isinstance(node.right, Literal):
            right = _as(left, node.right)
    if node.op == "/":
        return ibis.cases((right != 0, left / right))  # no else: null when dividing by zero
    return OPERATORS[node.op](left, right)


def _literal(value: object) -> ir.Value:
    if value is None:
        return ibis.null()
    if isinstance(value, bool):
        return ibis.literal(value, type="boolean")
    # Wide types: Ibis would type 100 as int8, and 100 * 100 would then overflow in the engine.
    if isinstance(value, int):
        return ibis.literal(value, type="int64")
    if isinstance(value, float):
        return ibis.literal(value, type="float64")
    return ibis.literal(value, type="string")


def _as(other: ir.Value, literal: Literal) -> ir.Value:
    """A literal as the value it is compared with: text written as a date becomes a date next to a date."""
    dtype = other.type()
    if isinstance(literal.value, str) and (dtype.is_date() or dtype.is_timestamp()):
        return ibis.literal(date.fromisoformat(literal.value), type="date")
    return _literal(literal.value)


def signal_types(schema: sch.Schema) -> dict[str, SignalType]:
    """The catalogue a table of signals offers: each column whose engine type has a signal type."""
    found = {}
    for name, dtype in schema.items():
        if dtype.is_numeric():
            found[name] = SignalType.NUMBER
        elif dtype.is_string():
            found[name] = SignalType.TEXT
        elif dtype.is_boolean():
            found[name] = SignalType.BOOLEAN
        elif dtype.is_date() or dtype.is_timestamp():
            found[name] = SignalType.DATE
    return found
