"""`account_signals`: one row per account with every signal of the catalogue, as of a day.

Point in time: only facts dated on or before the as-of day (days of the workspace time zone) count, and
accounts created later have no row, so a backtest can evaluate the signals at past days without seeing
the future. The usage profile (tenure.metrics.profile) gives its columns; the rest come from one grouped
scan per source, each computing every signal of that source:

    rollup (last 7 days)  password_resets_7d
    tickets (90 days)     tickets_90d, escalated_tickets_90d, first_response_hours_median_90d (support.py)
    events (few names)    activated, time_to_value_days (lifecycle.py)
    subscriptions         seats, mrr_90d_ago, days_to_renewal (billing.py)
    surveys               last_nps_score, nps_category
    milestones            milestones_reached
    accounts.attributes   attr_<key>, one text column per custom attribute
and from those columns: active_users_trend, account_age_days, seat_utilisation, mrr_trend.
"""

from __future__ import annotations

from datetime import date, timedelta

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from tenure.config.settings import Settings
from tenure.metrics.breakdown import attribute_names, json_text
from tenure.metrics.numbers import MONEY, ratio
from tenure.metrics.per_account import join_figures
from tenure.metrics.profile import account_profile
from tenure.signals.billing import billing
from tenure.vocabulary.catalogue import ATTRIBUTE_PREFIX, CATALOGUE, usable_attribute
from tenure.signals.lifecycle import lifecycle, milestones_reached
from tenure.signals.support import support
from tenure.warehouse import Warehouse, dated, rollup
from tenure.warehouse.localday import on_or_before

COLUMNS = tuple(CATALOGUE)
RESET_WINDOW_DAYS = 7
NPS_CATEGORIES = ("promoter", "passive", "detractor")


def account_signals(warehouse: Warehouse, as_of: date, *, settings: Settings) -> ir.Table:
    """One row per account created on or before as_of, ordered by account_id: the COLUMNS, then one
    `attr_<key>` text column per custom attribute key (sorted). The settings say what the signals count
    ([events], [usage], [surveys], [support], [journey] milestones, the reporting currency)."""
    profile = account_profile(warehouse, as_of, settings=settings)
    attributes = _attributes(warehouse)
    rows = join_figures(
        profile,
        (_password_resets(warehouse, as_of), {"password_resets_7d": 0}),
        (support(warehouse, as_of, support=settings.support), {"tickets_90d": 0, "escalated_tickets_90d": 0}),
        (lifecycle(warehouse, profile.select("account_id", "created_at"), as_of, events=settings.events,
                   journey=settings.journey), {}),
        (billing(warehouse, as_of, workspace=settings.workspace), {"mrr_90d_ago": 0}),
        (_last_nps(warehouse, as_of), {}),
        (milestones_reached(warehouse, as_of), {"milestones_reached": 0}),
        *([(attributes, {})] if attributes is not None else []),
    )
    rows = rows.mutate(
        active_users_trend=ratio(rows.active_users_30d - rows.active_users_prev_30d, rows.active_users_prev_30d),
        activated=rows.activated.fill_null(False),
        time_to_value_days=rows.first_value_day.delta(rows.created_at.date(), unit="day").cast(dt.int64),
        account_age_days=dated.as_value(as_of).delta(rows.created_at.date(), unit="day").cast(dt.int64),
        seats=rows.seats.cast(dt.int64),
        seat_utilisation=ratio(rows.active_users_30d, rows.seats),
        mrr_90d_ago=rows.mrr_90d_ago.cast(MONEY),
        mrr_trend=ratio(rows.mrr - rows.mrr_90d_ago, rows.mrr_90d_ago),
        days_to_renewal=rows.days_to_renewal.cast(dt.int64),
        nps_category=ibis.cases(
            (rows.last_nps_score >= 9, "promoter"), (rows.last_nps_score >= 7, "passive"),
            (rows.last_nps_score.notnull(), "detractor"),
        ),
    )
    added = [] if attributes is None else [c for c in attributes.columns if c != "account_id"]
    return rows.order_by("account_id").select(*COLUMNS, *added)


def _password_resets(warehouse: Warehouse, as_of: date) -> ir.Table:
    """account_id, password_resets_7d: resets on as_of - 6 .. as_of, from the daily rollup."""
    activity = warehouse.table(rollup.TABLE)
    recent = activity.filter(activity.day.between(as_of - timedelta(days=RESET_WINDOW_DAYS - 1), as_of),
                             activity.password_resets > 0)
    return recent.group_by("account_id").aggregate(password_resets_7d=recent.password_resets.sum())


def _last_nps(warehouse: Warehouse, as_of: date) -> ir.Table:
    """account_id, last_nps_score: the score of the latest NPS response on or before as_of (ties: the
    highest response_id)."""
    zone = warehouse.timezone
    answers = warehouse.table("surveys")
    answers = answers.filter(answers.kind.lower() == "nps", on_or_before(answers.responded_at, as_of, zone))
    latest = ibis.row_number().over(
        group_by="account_id", order_by=[ibis.desc("responded_at"), ibis.desc("response_id")]
    )
    answers = answers.mutate(latest=latest)
    return answers.filter(answers.latest == 0).select(
        "account_id", last_nps_score=answers.score.cast(dt.int64)
    )


def _attributes(warehouse: Warehouse) -> ir.Table | None:
    """account_id and attr_<key> per custom attribute key in use (text; null where the account has none)."""
    keys = [key for key in attribute_names(warehouse) if usable_attribute(key)]
    if not keys:
        return None
    accounts = warehouse.table("accounts")
    # A key was read from the data and matched against a plain-name pattern, so quoting it is enough.
    return accounts.select(
        "account_id", **{f"{ATTRIBUTE_PREFIX}{key}": json_text(accounts.attributes, f'$."{key}"') for key in keys}
    )
