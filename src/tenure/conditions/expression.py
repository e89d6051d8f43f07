"""Conditions over signals, such as `band == "red" and days_to_renewal <= 90`: a hand-written
recursive-descent parser. No Python eval, compile or ast is involved, so a condition can only ever
compare, combine and compute over the signals it names.

The grammar, loosest binding first:

    condition   := or
    or          := and ("or" and)*
    and         := not ("and" not)*
    not         := "not" not | comparison
    comparison  := sum [ ("==" | "!=" | "<" | "<=" | ">" | ">=") sum
                       | ["not"] "in" "[" literal ("," literal)* "]"
                       | "is" ["not"] "null" ]
    sum         := product (("+" | "-") product)*
    product     := unary (("*" | "/") unary)*
    unary       := "-" unary | primary
    primary     := number | string | "true" | "false" | "null" | name | "(" or ")"
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tenure.errors import ConfigError
from tenure.conditions.nodes import Binary, InList, IsNull, Literal, Name, Negate, Node, Not, children
from tenure.conditions.tokens import Token, syntax_error, tokenize

COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")
# Real conditions are a few dozen tokens; the cap keeps every later recursive walk (checking,
# compiling, the engine's own SQL compiler) far from Python's recursion limit.
MAX_TOKENS = 400
MAX_NESTING = 50


@dataclass(frozen=True)
class Expression:
    """A parsed condition: its source text, syntax tree, and the file and line it came from."""

    text: str
    root: Node
    file: str = "<condition>"
    line: int | None = None

    def __str__(self) -> str:
        return self.text


def parse_condition(text: str, *, file: str = "<condition>", line: int | None = None) -> Expression:
    """Parse a condition; a ConfigError (one Problem at file:line, naming the column) when it is not one."""
    tokens = tokenize(text, file=file, line=line)
    if len(tokens) - 1 > MAX_TOKENS:
        raise syntax_error(f"the condition has {len(tokens) - 1} tokens; at most {MAX_TOKENS} are allowed",
                           file=file, line=line)
    return Expression(text, _Parser(tokens, file=file, line=line).condition(), file, line)


def referenced_names(expr: Expression) -> tuple[str, ...]:
    """The signal names a condition reads, each once, in the order they first appear."""
    found: dict[str, None] = {}
    stack = [expr.root]
    while stack:
        node = stack.pop()
        if isinstance(node, Name):
            found.setdefault(node.name, None)
        # Reversed, so that the left operand is visited first.
        stack.extend(reversed(children(node)))
    return tuple(found)


class _Parser:
    def __init__(self, tokens: list[Token], *, file: str, line: int | None):
        self.tokens = tokens
        self.position = 0
        self.depth = 0
        self.file = file
        self.line = line

    # --- token helpers ---

    @property
    def token(self) -> Token:
        return self.tokens[self.position]

    def is_(self, kind: str, *values: str) -> bool:
        return self.token.kind == kind and (not values or self.token.value in values)

    def next_is(self, kind: str, value: str) -> bool:
        # The "end" token is last, so there is always a next token while the current one is not "end".
        following = self.tokens[self.position + 1]
        return following.kind == kind and following.value == value

    def advance(self) -> Token:
        token = self.token
        self.position += 1
        return token

    def error(self, message: str) -> ConfigError:
        return syntax_error(message, file=self.file, line=self.line)

    def unexpected(self, expected: str = "") -> ConfigError:
        token = self.token
        what = "end of the condition" if token.kind == "end" else f"'{token.text}'"
        hint = f" (expected {expected})" if expected else ""
        return self.error(f"unexpected {what} at column {token.start + 1}{hint}")

    # --- the grammar, one method per rule ---

    def condition(self) -> Node:
        node = self.or_()
        if not self.is_("end"):
            raise self.unexpected()
        return node

    def or_(self) -> Node:
        node = self.and_()
        while self.is_("keyword", "or"):
            at = self.advance().start
            node = Binary("logical", "or", node, self.and_(), at)
        return node

    def and_(self) -> Node:
        node = self.not_()
        while self.is_("keyword", "and"):
            at = self.advance().start
            node = Binary("logical", "and", node, self.not_(), at)
        return node

    def not_(self) -> Node:
        if self.is_("keyword", "not"):
            start = self.advance().start
            return Not(self.nested(self.not_, start), start)
        return self.comparison()

    def comparison(self) -> Node:
        left = self.sum()
        if self.is_("op", *COMPARISONS):
            op = self.advance()
            node: Node = Binary("comparison", op.text, left, self.sum(), op.start)
        elif self.is_("keyword", "in") or (self.is_("keyword", "not") and self.next_is("keyword", "in")):
            at = self.token.start
            negated = self.advance().value == "not"
            if negated:
                self.advance()  # the "in" after "not"
            node = self.in_list(left, negated, at)
        elif self.is_("keyword", "is"):
            at = self.advance().start
            negated = self.is_("keyword", "not")
            if negated:
                self.advance()
            if not self.is_("keyword", "null"):
                raise self.error(f"'is' at column {at + 1} must be followed by 'null' or 'not null'")
            node = IsNull(left, negated, at, self.advance().end)
        else:
            return left
        if self.is_("op", *COMPARISONS) or self.is_("keyword", "in", "is") or \
                (self.is_("keyword", "not") and self.next_is("keyword", "in")):
            raise self.error(f"comparisons cannot be chained: '{self.token.text}' at column {self.token.start + 1}"
                             " follows another; join them with 'and'")
        return node

    def in_list(self, operand: Node, negated: bool, at: int) -> InList:
        if not self.is_("op", "["):
            raise self.unexpected("a list such as [\"a\", \"b\"] after 'in'")
        if self.next_is("op", "]"):
            raise self.error(f"the list after 'in' at column {at + 1} is empty")
        self.advance()
        values = [self.list_value()]
        while self.is_("op", ","):
            self.advance()
            values.append(self.list_value())
        if not self.is_("op", "]"):
            raise self.unexpected("',' or ']'")
        return InList(operand, tuple(values), negated, at, self.advance().end)

    def list_value(self) -> Literal:
        start = self.token.start
        negative = self.is_("op", "-")
        if negative:
            self.advance()
            if not self.is_("number"):
                raise self.unexpected("a number after '-'")
        if self.is_("keyword", "null"):
            raise self.error(f"null in the list at column {start + 1} never matches anything; use 'is null'")
        if not (self.is_("number") or self.is_("string") or self.is_("keyword", "true", "false")):
            raise self.unexpected("a number, text, true or false: a list holds literal values only")
        token = self.advance()
        value = token.value == "true" if token.kind == "keyword" else token.value
        return Literal(-value if negative else value, start, token.end)  # type: ignore[operator]

    def sum(self) -> Node:
        node = self.product()
        while self.is_("op", "+", "-"):
            op = self.advance()
            node = Binary("arithmetic", op.text, node, self.product(), op.start)
        return node

    def product(self) -> Node:
        node = self.unary()
        while self.is_("op", "*", "/"):
            op = self.advance()
            node = Binary("arithmetic", op.text, node, self.unary(), op.start)
        return node

    def unary(self) -> Node:
        if self.is_("op", "-"):
            start = self.advance().start
            return Negate(self.nested(self.unary, start), start)
        return self.primary()

    def primary(self) -> Node:
        token = self.token
        if token.kind in ("number", "string"):
            self.advance()
            return Literal(token.value, token.start, token.end)  # type: ignore[arg-type]
        if token.kind == "keyword" and token.value in ("true", "false", "null"):
            self.advance()
            value = None if token.value == "null" else token.value == "true"
            return Literal(value, token.start, token.end)
        if token.kind == "name":
            self.advance()
            return Name(token.text, token.start, token.end)
        if self.is_("op", "("):
            self.advance()
            node = self.nested(self.or_, token.start)
            if not self.is_("op", ")"):
                if self.is_("end"):
                    raise self.error(f"the '(' at column {token.start + 1} is never closed")
                raise self.unexpected(f"')' to close the '(' at column {token.start + 1}")
            self.advance()
            return node
        raise self.unexpected()

    def nested(self, rule: Callable[[], Node], at: int) -> Node:
        """Run a rule one level deeper (for the '(', 'not' or '-' at `at`), refusing pathological nesting
        before Python's own recursion limit does."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.error(f"the condition nests deeper than {MAX_NESTING} levels at column {at + 1}")
        try:
            return rule()
        finally:
            self.depth -= 1
