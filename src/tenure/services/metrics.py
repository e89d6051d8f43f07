"""Figures by month and by day: the metric families (tenure.metrics.families), the classified MRR
movement ledger, exact daily usage, and the per-account voice and engagement windows."""

from __future__ import annotations

from datetime import date, timedelta

import ibis.expr.types as ir

from tenure.config.settings import EventsSettings, Settings, SurveysSettings, WorkspaceSettings
from tenure.errors import UsageError
from tenure.services.accounts import require_known
from tenure.warehouse import Warehouse


def family(warehouse: Warehouse, *, settings: Settings, name: str, months: tuple[int, int],
           by: str | None = None, today: date | None = None) -> ir.Table:
    """The monthly rows of a metric family for the months (first, last) as indexes, split by `by` (an
    accounts column, a custom attribute or plan) where the family has breakdowns. With `today` (as
    `tenure metrics` asks), a last column `partial` is true for the month holding today and any
    later one: they are not over, so their counts (churn, renewals, tickets) are not final."""
    from tenure.metrics.families import FAMILIES

    if name not in FAMILIES:
        raise UsageError(f"unknown metric family '{name}'; the families are: {', '.join(FAMILIES)}")
    chosen = FAMILIES[name]
    first, last = months
    if chosen.breakdown:
        rows = chosen.build(warehouse, first, last, settings=settings, by=by)
    elif by is not None:
        raise UsageError(f"{{by}}: the {name} family has no breakdowns yet")
    else:
        rows = chosen.build(warehouse, first, last, settings=settings)
    return rows if today is None else with_partial(rows, today)


def with_partial(rows: ir.Table, today: date) -> ir.Table:
    """`partial`, last: the month ('YYYY-MM', which orders as the months do) is not over on today. Last,
    so the keys (month and the --by group) and the figures keep their places."""
    from tenure.metrics.calendar import month_label, month_of

    return rows.mutate(partial=rows.month >= month_label(month_of(today)))


def movements(warehouse: Warehouse, *, workspace: WorkspaceSettings, account_id: str | None = None) -> ir.Table:
    """The classified MRR movement ledger: one row per change of an account's MRR, by account and instant."""
    from tenure.metrics.ledger import movements as ledger

    if account_id is not None:
        require_known(warehouse, account_id=account_id)
    return ledger(warehouse, workspace=workspace, account=account_id)


def daily_usage(warehouse: Warehouse, *, events: EventsSettings, workspace: WorkspaceSettings, first_day: date | None,
                last_day: date, by: str | None = None, ordered: bool = True) -> ir.Table:
    """Exact DAU, WAU and MAU per day from first_day (default: 29 days before last_day) to last_day."""
    from tenure.metrics.usage import daily_usage as daily

    first = last_day - timedelta(days=29) if first_day is None else first_day
    if first > last_day:
        raise UsageError(f"{{first_day}} {first} is after {{last_day}} {last_day}")
    return daily(warehouse, first, last_day, events=events, workspace=workspace, by=by, ordered=ordered)


def account_voice(warehouse: Warehouse, *, surveys: SurveysSettings, as_of: date) -> ir.Table:
    """Per account: NPS and CSAT over the windows of [surveys] ending `as_of`."""
    from tenure.metrics.surveys import account_voice as voice

    return voice(warehouse, as_of, surveys=surveys)


def account_engagement(warehouse: Warehouse, *, as_of: date) -> ir.Table:
    """Per account: messages, open and click rates over the 30 days ending `as_of`."""
    from tenure.metrics.engagement import account_engagement as engagement

    return engagement(warehouse, as_of)
