"""Type-check a parsed condition against the catalogue of signals, reporting every problem at once."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from tenure.errors import ConfigError, Problem
from tenure.conditions.expression import Expression
from tenure.conditions.nodes import Binary, InList, IsNull, Literal, Name, Negate, Node, Not
from tenure.conditions.types import ARTICLED, SignalType, unknown_name

# The type of the literal null. An unknown name has the type None, so that one typo is reported
# once rather than again by every operation around it.
NULL = "null"
Type = SignalType | str | None
ORDERINGS = ("<", "<=", ">", ">=")


def check(expr: Expression, signals: Mapping[str, SignalType]) -> None:
    """Raise ConfigError listing every problem of the condition (unknown names, type mismatches, a
    condition that is not true/false), each naming its column, in column order."""
    checker = _Checker(expr, signals)
    kind = checker.type_of(expr.root)
    found = sorted(checker.found, key=lambda problem: problem[0])
    messages = [message for _, message in found]
    if kind is not None and kind != SignalType.BOOLEAN:
        hint = " (a comparison such as '> 0' is missing?)" if kind == SignalType.NUMBER else ""
        messages.append(f"the condition is {_article(kind)}, not true/false{hint}")
    if messages:
        raise ConfigError([Problem(expr.file, expr.line, message) for message in messages])


def is_iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10  # fromisoformat also takes 20240101; dates are written YYYY-MM-DD


def _article(kind: Type) -> str:
    return "null" if kind == NULL else ARTICLED[SignalType(kind)]


class _Checker:
    def __init__(self, expr: Expression, signals: Mapping[str, SignalType]):
        self.expr = expr
        self.signals = signals
        self.found: list[tuple[int, str]] = []

    def report(self, node: Node, message: str) -> None:
        self.found.append((node.at, message))

    def show(self, node: Node) -> str:
        text = self.expr.text[node.start:node.end]
        return text if len(text) <= 30 else text[:27] + "..."

    def type_of(self, node: Node) -> Type:
        if isinstance(node, Literal):
            return _literal_type(node.value)
        if isinstance(node, Name):
            if node.name not in self.signals:
                self.report(node, unknown_name(node.name, node.at + 1, self.signals))
                return None
            return SignalType(self.signals[node.name])
        if isinstance(node, Negate):
            self.expect(node, "'-'", node.operand, SignalType.NUMBER)
            return SignalType.NUMBER
        if isinstance(node, Not):
            self.expect(node, "'not'", node.operand, SignalType.BOOLEAN)
            return SignalType.BOOLEAN
        if isinstance(node, IsNull):
            self.type_of(node.operand)  # any type may be null; only its names need checking
            return SignalType.BOOLEAN
        if isinstance(node, InList):
            self.in_list(node)
            return SignalType.BOOLEAN
        if node.kind == "comparison":
            self.comparison(node)
            return SignalType.BOOLEAN
        wanted = SignalType.NUMBER if node.kind == "arithmetic" else SignalType.BOOLEAN
        for side in (node.left, node.right):
            self.expect(node, f"'{node.op}'", side, wanted, both_sides=True)
        return wanted

    def expect(self, at: Node, what: str, operand: Node, wanted: SignalType, *, both_sides: bool = False) -> None:
        kind = self.type_of(operand)
        if kind is None or kind == wanted:
            return
        if both_sides:
            needs = ("numbers" if wanted == SignalType.NUMBER else "true/false") + " on both sides"
        else:
            needs = ARTICLED[wanted]
        self.report(at, f"{what} at column {at.at + 1} needs {needs}, but {self.show(operand)} is {_article(kind)}")

    def comparison(self, node: Binary) -> None:
        left, right = self.type_of(node.left), self.type_of(node.right)
        where = f"'{node.op}' at column {node.at + 1}"
        if left is None or right is None:
            return
        if NULL in (left, right):
            self.report(node, f"{where} compares with null, which is never true; use 'is null' or 'is not null'")
        elif {left, right} == {SignalType.DATE, SignalType.TEXT}:
            text = node.right if right == SignalType.TEXT else node.left
            if not (isinstance(text, Literal) and is_iso_date(text.value)):  # type: ignore[arg-type]
                self.report(node, f"{where} compares a date with {self.show(text)}, which is not a date written"
                                  " \"YYYY-MM-DD\"")
        elif left != right:
            self.report(node, f"{where} compares {_article(left)} ({self.show(node.left)}) with"
                              f" {_article(right)} ({self.show(node.right)})")
        elif left == SignalType.BOOLEAN and node.op in ORDERINGS:
            self.report(node, f"{where} orders true/false values; compare them with == or !=")

    def in_list(self, node: InList) -> None:
        kind = self.type_of(node.operand)
        keyword = "not in" if node.negated else "in"
        if kind is None:
            return
        if kind == NULL:
            self.report(node, f"'{keyword}' at column {node.at + 1} tests null, which never matches; use 'is null'")
            return
        for value in node.values:
            if kind == SignalType.DATE and isinstance(value.value, str) and is_iso_date(value.value):
                continue
            if _literal_type(value.value) != kind:
                self.report(value, f"the list of '{keyword}' at column {node.at + 1} holds {value} (column"
                                   f" {value.at + 1}), {_article(_literal_type(value.value))}, but"
                                   f" {self.show(node.operand)} is {_article(kind)}")


def _literal_type(value: object) -> Type:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return SignalType.BOOLEAN
    if isinstance(value, (int, float)):
        return SignalType.NUMBER
    return SignalType.TEXT
