"""The monthly metric families, as data: each is one function (warehouse, first, last[, by]) -> Ibis table.

The Workspace, the CLI (`tenure metrics NAME`) and the benchmark all read this table, so a new family
is one entry here and one module beside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import ibis.expr.types as ir

from tenure.metrics.acquisition import acquisition
from tenure.metrics.activation import activation
from tenure.metrics.adoption import adoption
from tenure.metrics.engagement import engagement
from tenure.metrics.renewals import renewals
from tenure.metrics.revenue import revenue
from tenure.metrics.support import support
from tenure.metrics.surveys import surveys
from tenure.metrics.usage import usage


@dataclass(frozen=True)
class Family:
    name: str
    build: Callable[..., ir.Table]  # (warehouse, first_month, last_month) plus by= when `breakdown`
    summary: str  # one line, the CLI help
    breakdown: bool = True  # accepts by= (metrics/breakdown.py)


FAMILIES: dict[str, Family] = {
    f.name: f
    for f in (
        Family("revenue", revenue, "MRR, ARR, movements, churn rates, NRR/GRR, quick ratio, ARPA and LTV by month.", breakdown=False),
        Family("renewals", renewals, "Renewals by due month: due, renewed, logo and dollar renewal rates.", breakdown=False),
        Family("support", support, "Tickets, first response and resolution hours, one-touch resolution, escalation, reopens, ticket CSAT."),
        Family("surveys", surveys, "NPS (promoters, passives, detractors), CSAT and CES by month."),
        Family("acquisition", acquisition, "Spend, new customers, CAC, CAC payback and LTV:CAC by month (--by channel splits spend too)."),
        Family("engagement", engagement, "Email and in-app messages sent, open and click rates by month."),
        Family("usage", usage, "Active users and accounts: average DAU, WAU, MAU and stickiness by month (needs `tenure refresh`)."),
        Family("adoption", adoption, "Feature adoption rate, time to adopt, duration and 30-day retention by month and feature (needs `tenure refresh`)."),
        Family("activation", activation, "Accounts created, activation rate and time to value (median, p75) by creation month."),
    )
}
