"""Score accounts with scorecards, in the engine (docs/health.md).

    measures(signals, health)       long: one row per account and measure of its scorecard, with the
                                    measure's score (0..100, null when its input is missing), its
                                    share of the total and the points it adds
    score(signals, health)          one row per account: scorecard, score, band, confidence,
                                    low_confidence, stale
    to_green(measures, health)      per measure: the points it could add and the value that alone
                                    would make the account green

`signals` is any table with one row per account (`account_id`) and a column per signal, such as
tenure.signals.account_signals; both functions are pure functions of it and the settings.

A missing measure's weight is spread over the present measures of its category, a missing category's
over the present categories, so the score is the weighted mean of what is known; `confidence` is the
share of the scorecard's nominal weight that was present. `missing` names signals whose source was
never loaded (health.sources.missing_signals): their measures are missing for every account, though the
signals read 0 (no tickets is not the same as no ticket data).
"""

from __future__ import annotations

from collections.abc import Collection

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from tenure.config.health import HealthSettings, Measure, Scorecard
from tenure.conditions import parse_condition
from tenure.conditions.compile import to_ibis

BANDS = ("red", "yellow", "green")
MEASURE_COLUMNS = (
    "account_id", "scorecard", "category", "category_weight", "signal", "kind", "red", "green", "weight", "value",
    "measure_score", "share", "points",
)
SCORE_COLUMNS = ("account_id", "scorecard", "score", "band", "confidence", "low_confidence", "stale")
_F64 = dt.float64


def measure_score(measure: Measure, value: ir.Value) -> ir.FloatingValue:
    """The measure's 0..100 score for a signal value; null when the value is null (or an unmapped text)."""
    null = ibis.null(_F64)
    if measure.kind == "linear":
        x = value.cast(_F64)
        # (x - red) / (green - red) is 0 at red and 1 at green, whichever way round they are.
        fraction = (x - measure.red) / (measure.green - measure.red)
        # Clamped with cases, not least/greatest: those skip nulls, and a missing input must stay missing.
        return ibis.cases((x.isnull(), null), (fraction <= 0, 0.0), (fraction >= 1, 100.0), else_=fraction * 100.0).cast(_F64)
    if measure.kind == "bands":
        x = value.cast(_F64)
        cases = [(x < band.below, float(band.score)) for band in measure.bands[:-1]]
        # A null value matches no band; without this guard it would fall to the last band's score.
        return ibis.cases((x.isnull(), null), *cases, else_=float(measure.bands[-1].score)).cast(_F64)
    if value.type().is_boolean():
        pairs = [(value == (key == "true"), float(score)) for key, score in measure.values.items()]
    else:
        pairs = [(value == key, float(score)) for key, score in measure.values.items()]
    return ibis.cases(*pairs, else_=null).cast(_F64)


def chosen_scorecard(signals: ir.Table, scorecards: list[Scorecard]) -> ir.StringValue:
    """The name of the scorecard scoring each row: the first whose applies_to holds, else the default
    (the one without applies_to, wherever it is listed), else null (the account is not scored)."""
    conditional = [(to_ibis(parse_condition(s.applies_to), signals), s.name) for s in scorecards if s.applies_to]
    default = next((s.name for s in scorecards if s.applies_to is None), None)
    fallback = ibis.literal(default, type=dt.string) if default else ibis.null(dt.string)
    if not conditional:
        return fallback
    return ibis.cases(*conditional, else_=fallback)


def measures(signals: ir.Table, health: HealthSettings, *, missing: Collection[str] = ()) -> ir.Table:
    """One row per account and measure of the scorecard that scores it (columns MEASURE_COLUMNS).

    share is the measure's part of the total after redistribution (0 when it is missing); points =
    measure_score x share, so an account's points add up to its score. A measure of a `missing` signal
    is missing, its value null."""
    rows = signals.mutate(_scorecard=chosen_scorecard(signals, health.scorecards))
    # Every measure of every scorecard as one struct in an array, unnested: one pass over the signals.
    entries = []
    for card in health.scorecards:
        for category in card.categories:
            for m in category.measures:
                unknown = m.signal in missing
                column = rows[m.signal]
                entries.append(ibis.struct({
                    "scorecard": ibis.literal(card.name, type=dt.string),
                    "category": ibis.literal(category.name, type=dt.string),
                    "category_weight": ibis.literal(float(category.weight), type=_F64),
                    "signal": ibis.literal(m.signal, type=dt.string),
                    "kind": ibis.literal(m.kind, type=dt.string),
                    "red": ibis.literal(m.red, type=_F64),
                    "green": ibis.literal(m.green, type=_F64),
                    "weight": ibis.literal(float(m.weight), type=_F64),
                    "value": ibis.null(dt.string) if unknown else _shown(column),
                    "measure_score": ibis.null(_F64) if unknown else measure_score(m, column),
                }))
    long = rows.select("account_id", "_scorecard", _m=ibis.array(entries)).unnest("_m")
    long = long.filter(long._m.scorecard == long._scorecard)
    long = long.select("account_id", **{name: long._m[name] for name in long._m.type().names})

    present = long.measure_score.notnull()
    # Present weight within the category, then present category weight within the scorecard.
    in_category = long.weight.sum(where=present).over(group_by=["account_id", "category"])
    long = long.mutate(_in_category=in_category, _category_present=in_category.notnull() & (in_category > 0))
    category_rows = long.filter(long._category_present).select("account_id", "category", "category_weight").distinct()
    present_categories = category_rows.group_by("account_id").aggregate(_categories=category_rows.category_weight.sum())
    long = long.left_join(present_categories, "account_id").select(long, present_categories._categories)
    share = ibis.cases(
        (present, long.weight / long._in_category * long.category_weight / long._categories), else_=0.0
    )
    long = long.mutate(share=share)
    return long.mutate(points=long.measure_score * long.share).select(*MEASURE_COLUMNS)


def score(
    signals: ir.Table, health: HealthSettings, *, stale: Collection[str] = (), missing: Collection[str] = ()
) -> ir.Table:
    """One row per scored account (columns SCORE_COLUMNS). `stale` names the signals whose source is
    stale (health.sources): an account whose scorecard reads one is low-confidence. `missing` names the
    signals whose source was never loaded: their measures drop out (measures)."""
    long = measures(signals, health, missing=missing)
    # Nominal shares: the weight a measure would carry if nothing were missing.
    nominal = {
        (card.name, category.name, m.signal): (category.weight / sum(c.weight for c in card.categories))
        * (m.weight / sum(x.weight for x in category.measures))
        for card in health.scorecards for category in card.categories for m in category.measures
    }
    nominal_share = ibis.cases(
        *[((long.scorecard == s) & (long.category == c) & (long.signal == g), w) for (s, c, g), w in nominal.items()],
        else_=0.0,
    )
    # isin([]) is not valid SQL; a signal compared with a null never reads a stale source.
    reads_stale = long.signal.isin(list(stale)) if stale else long.signal.isnull()
    totals = long.group_by(["account_id", "scorecard"]).aggregate(
        _points=long.points.sum(),
        _present=long.share.sum(),
        confidence=nominal_share.sum(where=long.measure_score.notnull()),
        stale=reads_stale.any(),
    )
    # Rounded to one decimal before banding, so the band always agrees with the score shown.
    total = ibis.cases((totals._present > 0, totals._points.round(1)), else_=ibis.null(_F64))
    totals = totals.mutate(score=total, confidence=totals.confidence.fill_null(0.0).round(4))
    return totals.mutate(
        band=band_of(totals.score, health),
        low_confidence=(totals.confidence < health.min_confidence) | totals.stale,
    ).order_by("account_id").select(*SCORE_COLUMNS)


def band_of(score: ir.FloatingValue, health: HealthSettings) -> ir.StringValue:
    """red below red_below, green from green_from, yellow in between; null without a score."""
    return ibis.cases(
        (score.isnull(), ibis.null(dt.string)),
        (score < health.red_below, "red"),
        (score >= health.green_from, "green"),
        else_="yellow",
    )


def to_green(long: ir.Table, scores: ir.Table, health: HealthSettings) -> ir.Table:
    """Per measure of each account: `gap`, the points it would add at 100, and for a linear measure the
    `green_value` that alone would lift the score to green_from (null when it cannot, or is green)."""
    joined = long.join(scores.select("account_id", "score"), "account_id")
    needed = ibis.cases((joined.score < health.green_from, health.green_from - joined.score), else_=0.0)
    gap = ibis.cases((joined.share > 0, (100.0 - joined.measure_score) * joined.share), else_=ibis.null(_F64))
    target = joined.measure_score + needed / joined.share
    # The inverse of the linear mapping: the value whose measure score is the target.
    value = joined.red + target / 100.0 * (joined.green - joined.red)
    reachable = (joined.kind == "linear") & (joined.share > 0) & (needed > 0) & (target <= 100.0)
    return joined.mutate(
        gap=gap, points_needed=needed, green_value=ibis.cases((reachable, value), else_=ibis.null(_F64))
    )


def _shown(column: ir.Value) -> ir.StringValue:
    """The signal's value as text, for showing why: numbers rounded to 4 decimals."""
    if column.type().is_numeric():
        return column.cast(_F64).round(4).cast(dt.string)
    return column.cast(dt.string)
