"""Breakdowns (`--by X`): split a metric family's monthly rows by an attribute of the account behind each fact.

    X = a column of accounts (segment, industry, region, owner, acquisition_channel, ...)
      | a custom attribute: a key of accounts.attributes (a JSON object, e.g. {"employees": "120"})
      | plan: the account's plan at the end of the fact's month, i.e. the plan of its highest-MRR
        subscription row active at the end of that month (ties: the plan name that sorts first)

A fact whose account has no value for X, or no accounts row at all, falls in the group "(none)"
(by account_id, every fact falls in its own account's group).
Values are compared as text. The rows are one per month and group, for every group that has a fact
in the months asked for; a group's empty months are present with zeros like any empty month.

Every family uses the same four steps: `resolve` the name once, `attach` the group to its facts
(each fact carries `account_id` and the `month_index` it counts in), aggregate by `keys`, and join
the aggregates onto `grid` before `present`-ing the rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from tenure.config.settings import WorkspaceSettings
from tenure.contract.tables import ACCOUNTS
from tenure.errors import UsageError, did_you_mean
from tenure.metrics.calendar import label_expr, month_index_of, month_spine_of
from tenure.warehouse import Warehouse

NONE = "(none)"
GROUP = "by_value"  # the internal name of the group column; facts may have a column named like X
PLAN = "plan"
ACCOUNT_COLUMNS = tuple(c.name for c in ACCOUNTS.columns)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@ibis.udf.scalar.builtin(name="json_extract_string")
def json_text(document: str, path: str) -> str:
    """DuckDB: the value at a JSON path as text (numbers too, unlike ibis's typed JSON access)."""


@ibis.udf.scalar.builtin(name="json_keys")
def _json_keys(document: str) -> dt.Array(dt.string):
    """DuckDB: the keys of a JSON object."""


@dataclass(frozen=True)
class Breakdown:
    name: str  # the `by` the user asked for, and the name of the output column
    source: str  # "column", "attribute" or "plan"
    column: str  # the accounts column or attribute key holding the value

    @property
    def by_account(self) -> bool:
        """Each group is one account: its facts name it, so no lookup is needed."""
        return self.source == "column" and self.column == "account_id"


def resolve(warehouse: Warehouse, by: str | None, *, reserved: Iterable[str]) -> Breakdown | None:
    """The breakdown named `by`, or None; UsageError when no account has such a column or attribute."""
    if by is None:
        return None
    if not _NAME.match(by):
        raise UsageError(f"{{by}} '{by}': a breakdown is a column or attribute name (letters, digits, _)")
    if by == "month" or by in reserved:
        raise UsageError(f"{{by}} {by}: that is the name of a figure of this family, not an account attribute")
    if by == PLAN:
        return Breakdown(by, "plan", PLAN)
    if by in ACCOUNT_COLUMNS:
        return Breakdown(by, "column", by)
    known = attribute_names(warehouse)
    if by in known:
        return Breakdown(by, "attribute", by)
    attributes = ", ".join(known) if known else "none loaded"
    hint = did_you_mean(by, [*ACCOUNT_COLUMNS, PLAN, *known])
    raise UsageError(
        f"{{by}} {by}: no accounts column or custom attribute has that name; columns: "
        f"{', '.join(c for c in ACCOUNT_COLUMNS if c != 'account_id')}, plan; attributes: {attributes}{hint}"
    )


def attribute_names(warehouse: Warehouse) -> list[str]:
    """The custom attribute keys present on any account, sorted."""
    accounts = warehouse.table("accounts")
    keys = accounts.filter(accounts.attributes.notnull()).select(key=_json_keys(accounts.attributes).unnest())
    return sorted(keys.key.to_pyarrow().unique().to_pylist())


def attach(warehouse: Warehouse, facts: ir.Table, breakdown: Breakdown | None, *,
           workspace: WorkspaceSettings) -> ir.Table:
    """The facts with the group column (GROUP); unchanged without a breakdown. `workspace` gives the
    reporting currency the plan breakdown compares subscription rows in."""
    if breakdown is None:
        return facts
    if breakdown.source == "plan":
        plans = _plans_at_month_end(warehouse, facts.select("account_id", "month_index").distinct(), workspace)
        joined = facts.left_join(plans, ["account_id", "month_index"])
        return joined.select(facts, plans.plan.fill_null(NONE).name(GROUP))
    if breakdown.by_account:
        # No lookup, and an account missing from accounts is still itself.
        return facts.mutate(**{GROUP: facts.account_id.cast("string")})
    accounts = warehouse.table("accounts")
    if breakdown.source == "column":
        value = accounts[breakdown.column].cast("string")
    else:
        # The key was checked against the names in use, so the JSON path is a plain identifier.
        value = json_text(accounts.attributes, f"$.{breakdown.column}")
    groups = accounts.select(group_account=accounts.account_id, group_value=value)
    joined = facts.left_join(groups, facts.account_id == groups.group_account)
    return joined.select(facts, joined.group_value.fill_null(NONE).name(GROUP))


def keys(breakdown: Breakdown | None) -> list[str]:
    """The grouping columns of the monthly aggregates."""
    return ["month_index"] if breakdown is None else ["month_index", GROUP]


def grid(first: int, last: int, breakdown: Breakdown | None, *aggregates: ir.Table) -> ir.Table:
    """Months first..last (times the groups found in the aggregates, with a breakdown)."""
    one_row = aggregates[0].aggregate(rows=aggregates[0].count())
    spine = month_spine_of(one_row, first, last)
    if breakdown is None:
        return spine
    groups = ibis.union(*[a.filter(a.month_index.between(first, last)).select(GROUP) for a in aggregates]).distinct()
    return spine.cross_join(groups)


def join_onto(grid_rows: ir.Table, breakdown: Breakdown | None, *aggregates: ir.Table) -> ir.Table:
    """The grid with the columns of every aggregate (null where a month or group has no facts)."""
    on = keys(breakdown)
    rows = grid_rows
    for table in aggregates:
        rows = rows.left_join(table, on).select(rows, *[table[c] for c in table.columns if c not in on])
    return rows


def present(rows: ir.Table, breakdown: Breakdown | None, columns: Iterable[str]) -> ir.Table:
    """month, then the breakdown column, then the figures; ordered by month and group."""
    rows = rows.mutate(month=label_expr(rows.month_index))
    if breakdown is None:
        return rows.order_by("month_index").select("month", *columns)
    ordered = rows.order_by(["month_index", GROUP])
    return ordered.select("month", ordered[GROUP].name(breakdown.name), *columns)


def _plans_at_month_end(warehouse: Warehouse, pairs: ir.Table, workspace: WorkspaceSettings) -> ir.Table:
    """(account_id, month_index, plan) for the pairs whose account has a subscription row active at the
    month's end: start before the next month begins, end (exclusive) at or after it, or none."""
    from tenure.metrics.fx import row_mrr  # row MRR in the reporting currency, so rows compare across currencies

    subs = row_mrr(warehouse, workspace=workspace)
    subs = subs.mutate(first_month=month_index_of(subs.start_date), end_month=month_index_of(subs.end_date))
    active = pairs.join(
        subs,
        [
            pairs.account_id == subs.account_id,
            subs.first_month <= pairs.month_index,
            subs.end_date.isnull() | (subs.end_month > pairs.month_index),
        ],
    ).select(pairs.account_id, pairs.month_index, subs.plan, subs.mrr)
    top = ibis.row_number().over(group_by=["account_id", "month_index"], order_by=[ibis.desc("mrr"), "plan"])
    return active.mutate(top=top).filter(lambda t: t.top == 0).select("account_id", "month_index", "plan")
