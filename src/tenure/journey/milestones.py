"""Success milestones per account and their status as of a day (docs/journey.md#milestones).

    milestone_status(warehouse, as_of)   one row per account x [[journey.milestones]] entry:
        reached_at      functional: the instant of the min_count-th of its events (counting only events
                        before created_at + within_days); customer: the first `milestones` row with its
                        name; both only on or before as_of, else null
        expected_by     the creation day + expected_days
        status          reached; on_track (not reached, as_of <= expected_by); behind (past expected_by,
                        age <= stuck_factor x expected_days); stuck (older than that)
    account_milestones(status)           per account: applicable, reached, reached_30d, progress and
                                         the journey status (stuck if any is stuck, else behind if any
                                         is behind, else on_track)

Functional milestones read `events` filtered to their event names: the daily rollup keeps features,
not single event names, and one filtered scan serves every milestone at once.
"""

from __future__ import annotations

from datetime import date, timedelta

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from tenure.config.journey import JourneySettings
from tenure.config.settings import EventsSettings
from tenure.metrics.numbers import ratio
from tenure.warehouse import Warehouse, dated, firsts, refresh
from tenure.warehouse.inline import inline_table
from tenure.warehouse.localday import on_or_before

STATUSES = ("reached", "on_track", "behind", "stuck")
JOURNEY_STATUSES = ("on_track", "behind", "stuck")
RECENT_DAYS = 30
COLUMNS = (
    "account_id", "milestone", "kind", "position", "created_on", "expected_days", "expected_by", "reached_at",
    "days_to_reach", "status",
)
_SPEC = ibis.schema({"milestone": "string", "kind": "string", "position": "int64", "expected_days": "int64"})
_REACHED = ibis.schema({"account_id": "string", "milestone": "string", "reached_at": "timestamp"})


def milestone_status(warehouse: Warehouse, as_of: date, *, events: EventsSettings, journey: JourneySettings) -> ir.Table:
    """One row per account created on or before as_of and configured milestone (module docstring); `events`
    is for the staleness check of `_event_firsts`, which also keeps the activation and value events."""
    zone = warehouse.timezone
    accounts = warehouse.table("accounts")
    accounts = accounts.filter(on_or_before(accounts.created_at, as_of, zone)).select("account_id", "created_at")
    spec = inline_table(
        [{"milestone": m.name, "kind": "functional" if m.functional else "customer", "position": i,
          "expected_days": m.expected_days} for i, m in enumerate(journey.milestones)],
        schema=_SPEC,
    )
    grid = accounts.cross_join(spec)
    reached = _reached(warehouse, accounts, as_of, events, journey)
    rows = grid.left_join(reached, ["account_id", "milestone"]).select(grid, reached.reached_at)
    created_on = rows.created_at.date()
    age = dated.as_value(as_of).delta(created_on, unit="day")
    rows = rows.mutate(
        created_on=created_on,
        expected_by=created_on + rows.expected_days.as_interval("D"),
        days_to_reach=rows.reached_at.date().delta(created_on, unit="day").cast(dt.int64),
        status=ibis.cases(
            (rows.reached_at.notnull(), "reached"),
            (age <= rows.expected_days, "on_track"),
            # Compared in days as floats, so a factor like 1.5 applies exactly.
            (age.cast(dt.float64) <= rows.expected_days * journey.stuck_factor, "behind"),
            else_="stuck",
        ),
    )
    return rows.select(*COLUMNS).order_by(["account_id", "position"])


def account_milestones(status: ir.Table, as_of: date) -> ir.Table:
    """Per account: milestones_applicable, milestones_reached_total, milestones_reached_30d,
    milestone_progress, journey_status, first_milestone_at, last_milestone_at."""
    reached = status.status == "reached"
    recent = status.reached_at.date() >= as_of - timedelta(days=RECENT_DAYS - 1)
    per = status.group_by("account_id").aggregate(
        milestones_applicable=status.count(),
        milestones_reached_total=status.count(where=reached),
        milestones_reached_30d=status.count(where=reached & recent),
        stuck=status.count(where=status.status == "stuck"),
        behind=status.count(where=status.status == "behind"),
        first_milestone_at=status.reached_at.min(),
        last_milestone_at=status.reached_at.max(),
    )
    return per.mutate(
        milestone_progress=ratio(per.milestones_reached_total, per.milestones_applicable),
        journey_status=ibis.cases((per.stuck > 0, "stuck"), (per.behind > 0, "behind"), else_="on_track"),
    ).drop("stuck", "behind")


def _reached(warehouse: Warehouse, accounts: ir.Table, as_of: date, events: EventsSettings,
             journey: JourneySettings) -> ir.Table:
    """account_id, milestone, reached_at for every milestone reached on or before as_of."""
    zone = warehouse.timezone
    milestones = journey.milestones
    parts = []
    functional = [m for m in milestones if m.functional]
    if functional:
        pairs = inline_table(
            [{"milestone": m.name, "event": e, "min_count": m.min_count or 1, "within_days": m.within_days}
             for m in functional for e in sorted(set(m.events))],
            schema={"milestone": "string", "event": "string", "min_count": "int64", "within_days": "int64"},
        )
        # Each account's first occurrences of each event (warehouse/firsts.py keeps as many as the largest
        # min_count): the n-th of a milestone's events is among the first n of each of them.
        refresh.require(warehouse, firsts.TABLE, firsts.definition(events, journey))
        events = warehouse.table(firsts.TABLE)
        events = events.filter(events.event.isin(sorted({e for m in functional for e in m.events})),
                               on_or_before(events.at, as_of, zone))
        hits = events.join(pairs, "event").join(accounts, "account_id")
        hits = hits.filter(hits.within_days.isnull()
                           | (hits.at < hits.created_at + hits.within_days.as_interval("D")))
        # The n-th event (0-based row_number = min_count - 1) is the moment the count was reached.
        nth = ibis.row_number().over(group_by=["account_id", "milestone"], order_by=["at"])
        hits = hits.mutate(rank=nth)
        hits = hits.filter(hits.rank == hits.min_count - 1)
        parts.append(hits.select("account_id", "milestone", reached_at=hits.at))
    customer = [m for m in milestones if not m.functional]
    if customer:
        names = inline_table([{"milestone": m.name, "source": m.milestone} for m in customer],
                             schema={"milestone": "string", "source": "string"})
        rows = warehouse.table("milestones")
        rows = rows.filter(on_or_before(rows.achieved_at, as_of, zone))
        rows = rows.join(names, rows.milestone == names.source).select("account_id", milestone=names.milestone,
                                                                       achieved_at=rows.achieved_at)
        parts.append(rows.group_by(["account_id", "milestone"]).aggregate(
            reached_at=rows.achieved_at.min()))
    if not parts:
        return inline_table([], schema=_REACHED)
    return ibis.union(*parts) if len(parts) > 1 else parts[0]
