"""Accounts: the usage profile of every account, one account's 360, and the per-account signals and
risk flags that health, the journey and playbooks read (docs/metrics/accounts.md, docs/signals.md)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Sequence

import ibis
import ibis.expr.types as ir

from tenure.config.settings import Settings
from tenure.errors import UsageError, did_you_mean
from tenure.warehouse import Warehouse

if TYPE_CHECKING:  # SQLAlchemy loads only when the app state is used
    from tenure.state import StateStore


def ordered(rows: ir.Table, sort: str, *, descending: bool = False) -> ir.Table:
    """Rows sorted by a column they have, account_id breaking ties so equal values list in a stable
    order; nulls last either way."""
    if sort not in rows.columns:
        raise UsageError(f"{{sort}}: unknown column '{sort}'; the columns are: {', '.join(rows.columns)}"
                         f"{did_you_mean(sort, rows.columns)}")
    key = ibis.desc(sort, nulls_first=False) if descending else ibis.asc(sort, nulls_first=False)
    return rows.order_by([key, "account_id"])


def listing(warehouse: Warehouse, *, settings: Settings, as_of: date, sort: str | None = None,
            descending: bool = False, tier: str | None = None, limit: int | None = None) -> ir.Table:
    """The usage profile, one row per account as of a day: users, days and logins over the last 30 days
    and the 30 before, tier, breadth, engagement, NPS/CSAT, tickets, MRR."""
    from tenure.metrics.profile import TIERS, account_profile

    if tier is not None and tier not in TIERS:
        raise UsageError(f"{{tier}}: '{tier}' is not a tier; the tiers are: {', '.join(TIERS)}")
    if limit is not None and limit < 0:
        raise UsageError(f"{{limit}}: {limit} is negative")
    rows = account_profile(warehouse, as_of, settings=settings)
    if tier is not None:
        rows = rows.filter(rows.tier == tier)
    if sort is not None:
        rows = ordered(rows, sort, descending=descending)
    return rows.limit(limit) if limit else rows


def require_known(warehouse: Warehouse, *, account_id: str) -> date | None:
    """A UsageError unless the accounts table holds the account (naming the closest id, if one is close);
    else the day it was created. Every service that takes one account checks it here, so an unknown id is
    an error in every adapter instead of an empty answer."""
    accounts = warehouse.table("accounts")
    found = accounts.filter(accounts.account_id == account_id).select(created=accounts.created_at.date())
    created = found.to_pyarrow().column("created").to_pylist()
    if created:
        return created[0]
    # The closest id by edit distance, computed in the engine: a typo (acc_00042 for acc_000042) is named.
    distance = accounts.account_id.levenshtein(account_id)
    near = accounts.filter(distance <= 2).order_by([distance, "account_id"]).limit(1).select("account_id")
    closest = near.to_pyarrow().column("account_id").to_pylist()
    hint = f"; did you mean '{closest[0]}'?" if closest else "; `tenure accounts` lists them"
    raise UsageError(f"unknown account '{account_id}'{hint}")


def require_account(warehouse: Warehouse, *, account_id: str, as_of: date) -> None:
    """A UsageError unless the account exists on `as_of` (it was created that day or before)."""
    created = require_known(warehouse, account_id=account_id)
    if created is not None and created > as_of:
        raise UsageError(f"account '{account_id}' was created on {created}, after {{as_of}} {as_of}")


def sections(warehouse: Warehouse, *, settings: Settings, account_id: str, as_of: date) -> dict[str, ir.Table]:
    """The expression of each section of one account's 360, by name: profile, movements, usage by month,
    tickets, surveys, milestones."""
    from tenure.metrics.account_detail import sections as detail

    require_account(warehouse, account_id=account_id, as_of=as_of)
    return detail(warehouse, account_id, as_of, settings=settings)


def view(warehouse: Warehouse, *, settings: Settings, account_id: str, as_of: date,
         store: StateStore | None = None) -> dict:
    """One account as of a day: its profile row ("account") and each section's rows (lists of dicts); with
    the app state `store`, also its open tasks ("tasks", soonest due first) and its notes ("notes", oldest
    first)."""
    found = {name: expr.to_pyarrow().to_pylist()
             for name, expr in sections(warehouse, settings=settings, account_id=account_id, as_of=as_of).items()}
    shown = {"as_of": as_of, "account": found.pop("profile")[0], **found}
    if store is not None:
        from tenure.services.tasks import notes, tasks

        # None for the warehouse: the account was checked above, by the sections.
        shown["tasks"] = [t.as_dict() for t in tasks(None, store, account_id=account_id, status="open")]
        shown["notes"] = [n.as_dict() for n in notes(None, store, account_id=account_id)]
    return shown


def names(warehouse: Warehouse, account_ids: Sequence[str]) -> dict[str, str]:
    """The names of the given accounts that have one, by account_id."""
    if not account_ids:
        return {}
    accounts = warehouse.table("accounts")
    rows = accounts.filter(accounts.account_id.isin(list(account_ids))).select("account_id", "name").to_pyarrow().to_pylist()
    return {row["account_id"]: row["name"] for row in rows if row["name"]}


def signals(warehouse: Warehouse, *, settings: Settings, as_of: date) -> ir.Table:
    """Every per-account signal as of a day, one row per account (docs/signals.md)."""
    from tenure.signals import account_signals

    return account_signals(warehouse, as_of, settings=settings)


def risks(warehouse: Warehouse, *, settings: Settings, rules: Sequence, as_of: date) -> ir.Table:
    """The signals with risk_<name> per risk rule (tenure.signals.risk_rules) and risk_count."""
    from tenure.signals import risk_flags

    return risk_flags(signals(warehouse, settings=settings, as_of=as_of), rules)
