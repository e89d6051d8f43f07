"""What the health commands show: the scored list, one account's why, and a changed scorecard's diff.

    listing(signals, health)                  score rows with name, segment and ARR (mrr x 12)
    why(signals, health, account_id, trend)   contributions, categories, what would move it to green
    diff(signals, current, proposed)          band moves between two [health] settings, ARR affected

Each takes `missing`, the signals whose source was never loaded (health.sources.missing_signals).
"""
from __future__ import annotations

from collections.abc import Collection

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from tenure.config.health import HealthSettings
from tenure.health.scorecard import measures, score, to_green

NO_BAND = "none"  # an account no scorecard applies to


def listing(signals: ir.Table, health: HealthSettings, *, missing: Collection[str] = ()) -> ir.Table:
    """Scored accounts with their name, segment and ARR (mrr x 12), ordered by account_id."""
    scored = score(signals, health, missing=missing)
    facts = signals.select("account_id", "name", "segment", arr=(signals.mrr * 12).cast(dt.float64))
    rows = scored.join(facts, "account_id")
    return rows.select("account_id", "name", "segment", "arr", *[c for c in scored.columns if c != "account_id"])


def why(signals: ir.Table, health: HealthSettings, account_id: str, *,
        missing: Collection[str] = ()) -> dict[str, ir.Table]:
    """One account's score row, its measures (largest gap to 100 first) and its category scores."""
    one = signals.filter(signals.account_id == account_id)
    scored = score(one, health, missing=missing)
    long = to_green(measures(one, health, missing=missing), scored, health)
    categories = long.group_by(["category", "category_weight"]).aggregate(
        points=long.points.sum(), share=long.share.sum(),
        measure_weight=long.weight.sum(where=long.measure_score.notnull()),
        weighted=(long.measure_score * long.weight).sum(),
    )
    categories = categories.mutate(
        score=ibis.cases((categories.share > 0, (categories.weighted / categories.measure_weight).round(1)))
    ).order_by(ibis.desc("category_weight"))
    order = [ibis.desc(long.gap.fill_null(-1.0)), "category", "signal"]
    return {
        "score": scored,
        "measures": long.order_by(order).drop("account_id", "score"),
        "categories": categories.select("category", "category_weight", "score", "share", "points"),
    }


def diff(signals: ir.Table, current: HealthSettings, proposed: HealthSettings, *,
         missing: Collection[str] = ()) -> dict[str, ir.Table]:
    """Each account's band under both settings ('none' when unscored), the matrix of moves with the
    accounts and ARR in each cell (no 'none -> none' cell: accounts scored by neither), and the
    accounts that changed band."""
    before, after = score(signals, current, missing=missing), score(signals, proposed, missing=missing)
    base = signals.select("account_id", "name", arr=(signals.mrr * 12).cast(dt.float64))
    rows = base.left_join(before.select("account_id", band_before="band", score_before="score"), "account_id")
    rows = rows.select(base, rows.band_before, rows.score_before)
    rows = rows.left_join(after.select("account_id", band_after="band", score_after="score"), "account_id")
    rows = rows.select(*base.columns, "band_before", "score_before", "band_after", "score_after")
    rows = rows.mutate(band_before=rows.band_before.fill_null(NO_BAND), band_after=rows.band_after.fill_null(NO_BAND))
    # Accounts neither scorecard scores (churned, prospects) are not part of the comparison: no 'none ->
    # none' cell. Other unchanged cells stay: how many stay red is half of what a change does.
    scored = rows.filter((rows.band_before != NO_BAND) | (rows.band_after != NO_BAND))
    matrix = scored.group_by(["band_before", "band_after"]).aggregate(accounts=scored.count(), arr=scored.arr.sum())
    moved = rows.filter(rows.band_before != rows.band_after).order_by([ibis.desc("arr"), "account_id"])
    totals = moved.aggregate(accounts_moved=moved.count(), arr_moved=moved.arr.sum().fill_null(0.0))
    return {"matrix": matrix.order_by(["band_before", "band_after"]), "moved": moved, "totals": totals}
