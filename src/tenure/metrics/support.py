"""Monthly support rows (docs/metrics/support.md), from `tickets`.

    by created month (created_at):
      tickets                      tickets created
      first_response_hours_median  median of first_response_at - created_at, in hours
      first_response_hours_p90     90th percentile of the same
      escalation_rate              escalated tickets / tickets created
    by solved month (solved_at), over solved tickets = status solved or closed, with a solved_at:
      solved                       solved tickets
      resolution_hours_median      median of solved_at - created_at, in hours
      fcr_rate                     one-touch tickets / solved tickets with a known agent_replies, where
                                   one-touch = agent_replies <= 1 and reopens = 0
      reopen_rate                  solved tickets with reopens > 0 / solved tickets
    by solved month (created month while unsolved), over tickets with a csat rating:
      rated                        rated tickets
      ticket_csat                  rated tickets with csat >= 4 / rated tickets

Missing values: a null `reopens` counts as 0 (no reopen on record); a null `agent_replies` leaves the
ticket out of fcr_rate altogether (neither evidence of one touch nor against it); a null `escalated`
counts as not escalated. Quantiles interpolate linearly between the closest ranks (Hyndman & Fan
type 7, numpy's default): with n sorted values, q(p) = x[h] interpolated at h = (n - 1) x p, 0-based.
Hours are calendar hours, or business hours when [support.business_hours] is set (business_hours.py).
Rates are float64, null when their denominator is 0; medians are null in a month without durations.
"""

from __future__ import annotations

import ibis.expr.types as ir

from tenure.config.settings import Settings
from tenure.metrics import breakdown as bd
from tenure.metrics.business_hours import with_clock
from tenure.metrics.calendar import month_index_of
from tenure.metrics.numbers import ratio
from tenure.warehouse import Warehouse

SOLVED = ("solved", "closed")
COLUMNS = (
    "tickets", "first_response_hours_median", "first_response_hours_p90", "escalation_rate", "solved",
    "resolution_hours_median", "fcr_rate", "reopen_rate", "rated", "ticket_csat",
)
_COUNTS = ("tickets", "escalated", "solved", "one_touch", "fcr_known", "reopened", "rated", "satisfied")


def support(warehouse: Warehouse, first: int, last: int, *, settings: Settings, by: str | None = None) -> ir.Table:
    """One row per month index from first to last (per group with `by`), ordered."""
    breakdown = bd.resolve(warehouse, by, reserved=COLUMNS)
    tickets = warehouse.table("tickets")
    tickets = with_clock(warehouse, tickets, ["created_at", "first_response_at", "solved_at"], support=settings.support)
    tickets = tickets.mutate(
        first_response_hours=(tickets.first_response_at_clock - tickets.created_at_clock) / 3600,
        resolution_hours=(tickets.solved_at_clock - tickets.created_at_clock) / 3600,
        reopens=tickets.reopens.fill_null(0),
    )

    def facts(table: ir.Table, month: ir.TimestampValue) -> ir.Table:
        table = table.mutate(month_index=month_index_of(month))
        return bd.attach(warehouse, table.filter(table.month_index.between(first, last)), breakdown,
                         workspace=settings.workspace)

    created = facts(tickets, tickets.created_at)
    by_created = created.group_by(bd.keys(breakdown)).aggregate(
        tickets=created.count(),
        escalated=created.count(where=created.escalated.fill_null(False)),
        first_response_hours_median=created.first_response_hours.median(),
        first_response_hours_p90=created.first_response_hours.quantile(0.9),
    )
    done = tickets.filter(tickets.status.lower().isin(SOLVED) & tickets.solved_at.notnull())
    solved = facts(done, done.solved_at)
    by_solved = solved.group_by(bd.keys(breakdown)).aggregate(
        solved=solved.count(),
        resolution_hours_median=solved.resolution_hours.median(),
        one_touch=solved.count(where=(solved.agent_replies <= 1) & (solved.reopens == 0)),
        fcr_known=solved.count(where=solved.agent_replies.notnull()),
        reopened=solved.count(where=solved.reopens > 0),
    )
    # Ratings arrive after solving; a rated ticket not (yet) solved counts in its created month.
    with_rating = tickets.filter(tickets.csat.notnull())
    rated = facts(with_rating, with_rating.solved_at.fill_null(with_rating.created_at))
    by_rated = rated.group_by(bd.keys(breakdown)).aggregate(
        rated=rated.count(), satisfied=rated.count(where=rated.csat >= 4)
    )

    aggregates = (by_created, by_solved, by_rated)
    rows = bd.join_onto(bd.grid(first, last, breakdown, *aggregates), breakdown, *aggregates)
    rows = rows.mutate(**{c: rows[c].fill_null(0).cast("int64") for c in _COUNTS})
    rows = rows.mutate(
        escalation_rate=ratio(rows.escalated, rows.tickets),
        fcr_rate=ratio(rows.one_touch, rows.fcr_known),
        reopen_rate=ratio(rows.reopened, rows.solved),
        ticket_csat=ratio(rows.satisfied, rows.rated),
    )
    return bd.present(rows, breakdown, COLUMNS)
