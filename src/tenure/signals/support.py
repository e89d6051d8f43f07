"""Support signals over the 90 days ending as_of (docs/signals.md), from `tickets`.

    tickets_90d                       tickets created in as_of - 89 .. as_of
    escalated_tickets_90d             of them, those escalated (a null `escalated` is not escalated)
    first_response_hours_median_90d   median first-response time of those with a first response on or
                                      before as_of, in calendar hours or, when [support.business_hours]
                                      is set, business hours (the support family's clock); null without one

A first response dated after as_of had not happened yet, so the ticket is unanswered at as_of and left
out of the median; `escalated` has no date, so it is read as recorded (a ticket escalated later counts).
"""

from __future__ import annotations

from datetime import date, timedelta

import ibis.expr.types as ir

from tenure.config.settings import SupportSettings
from tenure.metrics.business_hours import with_clock
from tenure.warehouse import Warehouse
from tenure.warehouse.localday import on_or_before, within

WINDOW_DAYS = 90


def support(warehouse: Warehouse, as_of: date, *, support: SupportSettings) -> ir.Table:
    """account_id, tickets_90d, escalated_tickets_90d, first_response_hours_median_90d."""
    zone = warehouse.timezone
    tickets = warehouse.table("tickets")
    tickets = tickets.filter(within(tickets.created_at, as_of - timedelta(days=WINDOW_DAYS - 1), as_of, zone))
    # Only the window's tickets reach the clock, so the business-hours day calendar spans ~90 days.
    tickets = tickets.select("account_id", "created_at", "first_response_at", "escalated")
    tickets = with_clock(warehouse, tickets, ["created_at", "first_response_at"], support=support)
    answered = on_or_before(tickets.first_response_at, as_of, zone)
    hours = (tickets.first_response_at_clock - tickets.created_at_clock) / 3600
    return tickets.group_by("account_id").aggregate(
        tickets_90d=tickets.count(),
        escalated_tickets_90d=tickets.count(where=tickets.escalated.fill_null(False)),
        first_response_hours_median_90d=hours.median(where=answered),
    )
