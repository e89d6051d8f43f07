"""Voice of the customer (docs/metrics/surveys.md): monthly survey rows and per-account rolling windows.

    by response month (responded_at), for kind = nps (scores 0..10):
      responses   NPS responses;  promoters (9-10), passives (7-8), detractors (0-6)
      nps         = 100 x (promoters - detractors) / responses      (passives count in the denominator)
    for kind = csat (1..5):  csat_responses;  csat = responses scoring 4 or 5 / csat_responses
    for kind = ces (1..7, 7 = easiest):  ces_responses;  ces = mean score

nps, csat and ces are float64 and null in a month without responses of their kind.

Per account (`account_voice`): nps over the responses of the last `[surveys] nps_window_days` days and
csat over the last `csat_window_days` days, both ending with the `as_of` day (included) and counted
on days of the workspace time zone.
"""

from __future__ import annotations

from datetime import date, timedelta

import ibis.expr.types as ir

from tenure.metrics import breakdown as bd
from tenure.metrics.calendar import month_index_of
from tenure.metrics.numbers import ratio
from tenure.config.settings import Settings, SurveysSettings
from tenure.warehouse import Warehouse
from tenure.warehouse.localday import within

COLUMNS = (
    "responses", "promoters", "passives", "detractors", "nps", "csat_responses", "csat", "ces_responses", "ces",
)
ACCOUNT_COLUMNS = ("account_id", "nps_responses", "nps", "csat_responses", "csat")
_COUNTS = ("responses", "promoters", "passives", "detractors", "csat_responses", "csat_satisfied", "ces_responses")


def surveys(warehouse: Warehouse, first: int, last: int, *, settings: Settings, by: str | None = None) -> ir.Table:
    """One row per month index from first to last (per group with `by`), ordered."""
    breakdown = bd.resolve(warehouse, by, reserved=COLUMNS)
    answers = warehouse.table("surveys")
    answers = answers.mutate(kind=answers.kind.lower(), month_index=month_index_of(answers.responded_at))
    answers = bd.attach(warehouse, answers.filter(answers.month_index.between(first, last)), breakdown,
                        workspace=settings.workspace)
    kind, score = answers.kind, answers.score
    monthly = answers.group_by(bd.keys(breakdown)).aggregate(
        responses=answers.count(where=kind == "nps"),
        promoters=answers.count(where=(kind == "nps") & (score >= 9)),
        passives=answers.count(where=(kind == "nps") & score.between(7, 8)),
        detractors=answers.count(where=(kind == "nps") & (score <= 6)),
        csat_responses=answers.count(where=kind == "csat"),
        csat_satisfied=answers.count(where=(kind == "csat") & (score >= 4)),
        ces_responses=answers.count(where=kind == "ces"),
        ces=score.cast("float64").mean(where=kind == "ces"),
    )
    rows = bd.join_onto(bd.grid(first, last, breakdown, monthly), breakdown, monthly)
    rows = rows.mutate(**{c: rows[c].fill_null(0).cast("int64") for c in _COUNTS})
    rows = rows.mutate(
        nps=ratio(100 * (rows.promoters - rows.detractors), rows.responses),
        csat=ratio(rows.csat_satisfied, rows.csat_responses),
    )
    return bd.present(rows, breakdown, COLUMNS)


def account_voice(warehouse: Warehouse, as_of: date, *, surveys: SurveysSettings) -> ir.Table:
    """Per account with a response in either window: nps and csat over their windows ([surveys]) ending `as_of`."""
    settings = surveys
    answers = warehouse.table("surveys")
    answers = answers.mutate(kind=answers.kind.lower())
    zone = warehouse.timezone

    def recent(days: int) -> ir.BooleanValue:
        return within(answers.responded_at, as_of - timedelta(days=days - 1), as_of, zone)

    answers = answers.mutate(
        in_nps=(answers.kind == "nps") & recent(settings.nps_window_days),
        in_csat=(answers.kind == "csat") & recent(settings.csat_window_days),
    )
    kept = answers.filter(answers.in_nps | answers.in_csat)
    in_nps, in_csat, score = kept.in_nps, kept.in_csat, kept.score
    per_account = kept.group_by("account_id").aggregate(
        nps_responses=kept.count(where=in_nps),
        nps_net=kept.count(where=in_nps & (score >= 9)) - kept.count(where=in_nps & (score <= 6)),
        csat_responses=kept.count(where=in_csat),
        csat_satisfied=kept.count(where=in_csat & (score >= 4)),
    )
    return per_account.mutate(
        nps=ratio(100 * per_account.nps_net, per_account.nps_responses),
        csat=ratio(per_account.csat_satisfied, per_account.csat_responses),
    ).order_by("account_id").select(*ACCOUNT_COLUMNS)
