"""The syntax tree of a condition. Every node remembers where it sits in the source: `start`/`end` span
its text and `at` is the column (0-based) a message points to, the operator for an operation.
str(node) writes the node back fully parenthesised, which shows how a condition was grouped."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class Literal:
    value: int | float | str | bool | None
    start: int
    end: int

    @property
    def at(self) -> int:
        return self.start

    def __str__(self) -> str:
        if self.value is None:
            return "null"
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        if isinstance(self.value, str):
            escaped = self.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
            return f'"{escaped}"'
        return repr(self.value)


@dataclass(frozen=True)
class Name:
    name: str
    start: int
    end: int

    @property
    def at(self) -> int:
        return self.start

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Negate:
    """Unary minus."""

    operand: Node
    start: int

    @property
    def at(self) -> int:
        return self.start

    @property
    def end(self) -> int:
        return self.operand.end

    def __str__(self) -> str:
        return f"(-{self.operand})"


@dataclass(frozen=True)
class Not:
    operand: Node
    start: int

    @property
    def at(self) -> int:
        return self.start

    @property
    def end(self) -> int:
        return self.operand.end

    def __str__(self) -> str:
        return f"(not {self.operand})"


@dataclass(frozen=True)
class Binary:
    """`kind` says which family `op` belongs to: "arithmetic" (+ - * /), "comparison" (== != < <= > >=)
    or "logical" (and, or); each family has its own typing rule."""

    kind: str
    op: str
    left: Node
    right: Node
    at: int

    @property
    def start(self) -> int:
        return self.left.start

    @property
    def end(self) -> int:
        return self.right.end

    def __str__(self) -> str:
        return f"({self.left} {self.op} {self.right})"


@dataclass(frozen=True)
class InList:
    """`operand in [values]`, or `not in` when negated; the values are literals."""

    operand: Node
    values: tuple[Literal, ...]
    negated: bool
    at: int
    end: int

    @property
    def start(self) -> int:
        return self.operand.start

    def __str__(self) -> str:
        keyword = "not in" if self.negated else "in"
        return f"({self.operand} {keyword} [{', '.join(str(v) for v in self.values)}])"


@dataclass(frozen=True)
class IsNull:
    """`operand is null`, or `is not null` when negated."""

    operand: Node
    negated: bool
    at: int
    end: int

    @property
    def start(self) -> int:
        return self.operand.start

    def __str__(self) -> str:
        return f"({self.operand} is {'not ' if self.negated else ''}null)"


Node = Union[Literal, Name, Negate, Not, Binary, InList, IsNull]


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, (Negate, Not, InList, IsNull)):
        return (node.operand,)
    return ()
