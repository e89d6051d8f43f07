"""Email and in-app engagement (docs/metrics/engagement.md), from `messages`.

    by sent month (sent_at):
      messages     messages sent
      opened       messages opened; a message clicked without a recorded open counts as opened
                   (a click needs an open; blocked tracking pixels lose opens, not clicks)
      clicked      messages clicked
      open_rate    = opened / messages;   click_rate = clicked / messages

Rates are float64, null in a month without messages. Per account (`account_engagement`): the same
counts and rates over the messages sent in the last `days` days (default 30) ending with the
`as_of` day, included, on days of the workspace time zone; opens and clicks count only when they
happened by the end of that day.
Knowledge-base and content engagement per account (from events) is in metrics/profile.py.
"""

from __future__ import annotations

from datetime import date, timedelta

import ibis
import ibis.expr.types as ir

from tenure.metrics import breakdown as bd
from tenure.metrics.calendar import month_index_of
from tenure.metrics.numbers import ratio
from tenure.config.settings import Settings
from tenure.warehouse import Warehouse
from tenure.warehouse.localday import on_or_before, within

COLUMNS = ("messages", "opened", "clicked", "open_rate", "click_rate")
ACCOUNT_COLUMNS = ("account_id", *COLUMNS)
ACCOUNT_WINDOW_DAYS = 30


def engagement(warehouse: Warehouse, first: int, last: int, *, settings: Settings, by: str | None = None) -> ir.Table:
    """One row per month index from first to last (per group with `by`), ordered."""
    breakdown = bd.resolve(warehouse, by, reserved=COLUMNS)
    sent = _messages(warehouse)
    sent = sent.mutate(month_index=month_index_of(sent.sent_at))
    sent = bd.attach(warehouse, sent.filter(sent.month_index.between(first, last)), breakdown, workspace=settings.workspace)
    monthly = _counts(sent.group_by(bd.keys(breakdown)), sent)
    rows = bd.join_onto(bd.grid(first, last, breakdown, monthly), breakdown, monthly)
    rows = rows.mutate(**{c: rows[c].fill_null(0).cast("int64") for c in ("messages", "opened", "clicked")})
    return bd.present(_rates(rows), breakdown, COLUMNS)


def account_engagement(warehouse: Warehouse, as_of: date, *, days: int = ACCOUNT_WINDOW_DAYS) -> ir.Table:
    """Per account with a message sent in the window: counts and rates over the window ending `as_of`."""
    zone = warehouse.timezone
    sent = _messages(warehouse)
    sent = sent.filter(within(sent.sent_at, as_of - timedelta(days=days - 1), as_of, zone))
    # As known at the end of as_of: an open or click recorded later had not happened yet (a health
    # backtest evaluates past days, and must not see the future).
    opened = ibis.cases((on_or_before(sent.opened_at, as_of, zone), sent.opened_at))
    clicked = ibis.cases((on_or_before(sent.clicked_at, as_of, zone), sent.clicked_at))
    sent = sent.mutate(clicked_at=clicked, was_opened=opened.notnull() | clicked.notnull())
    per_account = _counts(sent.group_by("account_id"), sent)
    return _rates(per_account).order_by("account_id").select(*ACCOUNT_COLUMNS)


def _messages(warehouse: Warehouse) -> ir.Table:
    messages = warehouse.table("messages")
    return messages.mutate(was_opened=messages.opened_at.notnull() | messages.clicked_at.notnull())


def _counts(grouped, sent: ir.Table) -> ir.Table:
    return grouped.aggregate(
        messages=sent.count(),
        opened=sent.count(where=sent.was_opened),
        clicked=sent.count(where=sent.clicked_at.notnull()),
    )


def _rates(rows: ir.Table) -> ir.Table:
    return rows.mutate(open_rate=ratio(rows.opened, rows.messages), click_rate=ratio(rows.clicked, rows.messages))
