"""The monthly metric families, as data: each is one function (warehouse, first, last, settings=[, by=]) -> Ibis table.

The Workspace, the CLI (`tenure metrics NAME`) and the benchmark all read this table, so a new family
is one entry here and one module beside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import ibis.expr.types as ir

from tenure.metrics.acquisition import acquisition
from tenure.metrics.activation import activation
from tenure.metrics.adoption import adoption
from tenure.metrics.contact_retention import contact_retention
from tenure.metrics.engagement import engagement
from tenure.metrics.renewals import renewals
from tenure.metrics.revenue import revenue
from tenure.metrics.support import support
from tenure.metrics.surveys import surveys
from tenure.metrics.usage import usage


@dataclass(frozen=True)
class Family:
    name: str
    build: Callable[..., ir.Table]  # (warehouse, first_month, last_month, settings=) plus by= when `breakdown`
    summary: str  # one line, the CLI help
    breakdown: bool = True  # accepts by= (metrics/breakdown.py)
    # The figures of the terminal table, when all of them would not fit (month and the --by column come
    # first anyway); --json and --csv always carry every column.
    table_columns: tuple[str, ...] | None = None


REVENUE_TABLE = (
    "mrr", "customers", "arpa", "new_mrr", "expansion_mrr", "contraction_mrr", "churned_mrr", "reactivation_mrr",
    "net_new_mrr", "customer_churn_rate", "net_mrr_churn_rate", "quick_ratio", "nrr_12m", "grr_12m", "ltv",
)
CONTACT_RETENTION_TABLE = (
    "accounts", *[f"customer_rate_{k}m" for k in (1, 2, 3, 6)], *[f"active_rate_{k}m" for k in (1, 2, 3, 6)],
)


FAMILIES: dict[str, Family] = {
    f.name: f
    for f in (
        Family("revenue", revenue, "MRR, ARR, movements, churn rates, NRR/GRR, quick ratio, ARPA and LTV by month.", breakdown=False,
               table_columns=REVENUE_TABLE),
        Family("renewals", renewals, "Renewals by due month: due, renewed, logo and dollar renewal rates.", breakdown=False),
        Family("support", support, "Tickets, first response and resolution hours, one-touch resolution, escalation, reopens, ticket CSAT."),
        Family("surveys", surveys, "NPS (promoters, passives, detractors), CSAT and CES by month."),
        Family("acquisition", acquisition, "Spend, new customers, CAC, CAC payback and LTV:CAC by month (--by channel splits spend too)."),
        Family("engagement", engagement, "Email and in-app messages sent, open and click rates by month."),
        Family("usage", usage, "Active users and accounts: average DAU, WAU, MAU and stickiness by month (needs `tenure refresh`)."),
        Family("adoption", adoption, "Feature adoption rate, time to adopt, duration and 30-day retention by month and feature (needs `tenure refresh`)."),
        Family("activation", activation, "Accounts created, activation rate and time to value (median, p75) by creation month."),
        Family("contact_retention", contact_retention, "Accounts by ticket month: shares still customers and still active 1, 2, 3 and 6 months after (needs `tenure refresh`).",
               table_columns=CONTACT_RETENTION_TABLE),
    )
}
