"""One account as of a day, section by section: the customer-360 behind `tenure account ID`.

    profile          the account's row of the usage profile (metrics/profile.py)
    movements        its MRR movements dated on or before as_of (the revenue ledger)
    usage_by_month   the 12 calendar months ending with as_of's month, empty months as zeros:
                     active_days, active_users, logins (the last month counts up to as_of)
    tickets          the RECENT most recently created tickets, with whether each was open at as_of
    surveys          the RECENT most recent survey responses
    milestones       every milestone reached on or before as_of

Like the profile, every section is point-in-time: nothing dated after the as_of day (workspace time
zone) is shown, so a ticket solved later is shown unsolved.
"""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from tenure.config.settings import Settings
from tenure.metrics.calendar import label_expr, month_index_of, month_of, month_spine_of
from tenure.metrics.ledger import movements
from tenure.metrics.profile import account_profile
from tenure.warehouse import Warehouse, refresh, rollup

RECENT = 10  # tickets and survey responses shown
MONTHS = 12


def sections(warehouse: Warehouse, account_id: str, as_of: date, *, settings: Settings) -> dict[str, ir.Table]:
    """The expression of each section, by name, in the order a reader meets them."""
    profile = account_profile(warehouse, as_of, settings=settings)
    return {
        "profile": profile.filter(profile.account_id == account_id),
        "movements": _movements(warehouse, account_id, as_of, settings),
        "usage_by_month": _usage_by_month(warehouse, account_id, as_of, settings),
        "tickets": _tickets(warehouse, account_id, as_of),
        "surveys": _surveys(warehouse, account_id, as_of),
        "milestones": _milestones(warehouse, account_id, as_of),
    }


def _movements(warehouse: Warehouse, account_id: str, as_of: date, settings: Settings) -> ir.Table:
    ledger = movements(warehouse, workspace=settings.workspace, account=account_id)
    ledger = ledger.filter(ledger.at.date() <= as_of)
    return ledger.select("at", "month", "kind", "before_mrr", "after_mrr", "amount")


def _usage_by_month(warehouse: Warehouse, account_id: str, as_of: date, settings: Settings) -> ir.Table:
    refresh.require(warehouse, rollup.TABLE, rollup.definition(settings.events, warehouse.timezone))
    last = month_of(as_of)
    first = last - MONTHS + 1
    activity = warehouse.table(rollup.TABLE)
    activity = activity.filter((activity.account_id == account_id) & (activity.day <= as_of))
    activity = activity.mutate(month_index=month_index_of(activity.day))
    activity = activity.filter(activity.month_index >= first)
    active = activity.active
    monthly = activity.group_by("month_index").aggregate(
        active_days=activity.day.nunique(where=active),
        active_users=activity.user_id.nunique(where=active),
        logins=activity.logins.sum(),
    )
    # A month spine, so a month without activity is a row of zeros rather than missing.
    spine = month_spine_of(activity.aggregate(rows=activity.count()), first, last)
    rows = spine.left_join(monthly, "month_index").select(
        spine.month_index, *[monthly[c].fill_null(0).cast(dt.int64).name(c) for c in ("active_days", "active_users", "logins")]
    )
    return rows.order_by("month_index").select(
        month=label_expr(rows.month_index), active_days=rows.active_days, active_users=rows.active_users, logins=rows.logins
    )


def _tickets(warehouse: Warehouse, account_id: str, as_of: date) -> ir.Table:
    tickets = warehouse.table("tickets")
    tickets = tickets.filter((tickets.account_id == account_id) & (tickets.created_at.date() <= as_of))
    solved = ibis.cases((tickets.solved_at.date() <= as_of, tickets.solved_at))
    # The same rule as the profile's open_tickets (metrics/profile.py).
    still_open = ibis.ifelse(
        tickets.solved_at.notnull(), tickets.solved_at.date() > as_of, ~tickets.status.lower().isin(["solved", "closed"])
    )
    tickets = tickets.mutate(solved_at=solved, open=still_open)
    tickets = tickets.order_by([ibis.desc("created_at"), "ticket_id"]).limit(RECENT)
    return tickets.select("ticket_id", "created_at", "subject", "priority", "open", "solved_at")


def _surveys(warehouse: Warehouse, account_id: str, as_of: date) -> ir.Table:
    answers = warehouse.table("surveys")
    answers = answers.filter((answers.account_id == account_id) & (answers.responded_at.date() <= as_of))
    answers = answers.order_by([ibis.desc("responded_at"), "response_id"]).limit(RECENT)
    return answers.select("responded_at", kind=answers.kind.lower(), score=answers.score, comment=answers.comment)


def _milestones(warehouse: Warehouse, account_id: str, as_of: date) -> ir.Table:
    reached = warehouse.table("milestones")
    reached = reached.filter((reached.account_id == account_id) & (reached.achieved_at.date() <= as_of))
    return reached.order_by(["achieved_at", "milestone"]).select("achieved_at", "milestone", "note")
