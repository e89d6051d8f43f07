"""How well a risk figure ranked the customers who then churned (docs/backtest.md#figures).

Every figure is over snapshot rows (one per customer and snapshot day), computed by the engine:

    auc               area under the ROC curve of the risk (100 - score for the scorecard, the
                      probability for the model) against `churned`: the chance that a churner,
                      picked at random, ranked riskier than a stayer picked at random (0.5 = a coin)
    by band           rows, churn rate, contraction rate, renewal rate (renewed / renewal_due), ARR at
                      the snapshots, ARR lost, its share of all ARR lost, and lift = band churn rate /
                      overall churn rate (the red band's lift is the headline)
    calibration       rows split into deciles of the figure (1 = lowest); per decile its mean and the
                      observed churn rate. For a probability the two should match; for a score the
                      churn rate should fall as the score rises
    lead time         per churn: the last snapshot before it; if the account was red then, the days
                      from the first snapshot of that unbroken red run ("turning red") to the churn.
                      Reported: churns, flagged (red at the last snapshot), their median lead time

The AUC itself is scikit-learn's (only the two columns come to Python); the rest are queries.
"""

from __future__ import annotations

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir
import numpy as np

from tenure.metrics.numbers import MONEY, ratio

BANDS = ("red", "yellow", "green")


def auc(churned: np.ndarray, risk: np.ndarray) -> float | None:
    """ROC AUC of `risk` for `churned`; None when only one outcome occurs (AUC is undefined then)."""
    from sklearn.metrics import roc_auc_score

    churned = np.asarray(churned, dtype=bool)
    if churned.all() or not churned.any():
        return None
    return float(roc_auc_score(churned, np.asarray(risk, dtype=float)))


def scorecard_auc(snapshots: ir.Table) -> float | None:
    """The scorecard's AUC: a lower score is a higher risk, so the risk is 100 - score."""
    pairs = snapshots.select("churned", "score").to_pyarrow()
    score = pairs.column("score").to_numpy(zero_copy_only=False).astype(float)
    return auc(pairs.column("churned").to_numpy(zero_copy_only=False), 100 - score)


def by_band(snapshots: ir.Table) -> ir.Table:
    """One row per band (red, yellow, green first, then any other), with the figures of the docstring."""
    s = snapshots
    totals = s.aggregate(all_rows=s.count(), all_churned=s.count(where=s.churned), all_lost=s.arr_lost.sum())
    bands = s.group_by("band").aggregate(
        rows=s.count(),
        churned=s.count(where=s.churned),
        contracted=s.count(where=s.contracted),
        renewal_due=s.count(where=s.renewal_due),
        renewed=s.count(where=s.renewed.fill_null(False)),
        arr=s.arr.sum(),
        arr_lost=s.arr_lost.sum(),
    )
    t = bands.cross_join(totals)
    churn_rate = ratio(t.churned, t.rows)
    order = ibis.cases(*[(t.band == b, k) for k, b in enumerate(BANDS)], else_=len(BANDS))
    return t.select(
        "band",
        "rows",
        "churned",
        churn_rate=churn_rate,
        contraction_rate=ratio(t.contracted, t.rows),
        renewal_rate=ratio(t.renewed, t.renewal_due),
        arr=t.arr.cast(MONEY),
        arr_lost=t.arr_lost.cast(MONEY),
        arr_lost_share=ratio(t.arr_lost, t.all_lost),
        lift=ratio(churn_rate, ratio(t.all_churned, t.all_rows)),
        _order=order,
    ).order_by(["_order", "band"]).drop("_order")


def overall(snapshots: ir.Table) -> ir.Table:
    """One row: snapshot days, rows, churned, churn_rate, arr, arr_lost."""
    s = snapshots
    t = s.aggregate(
        snapshots=s.day.nunique(), rows=s.count(), churned=s.count(where=s.churned),
        arr=s.arr.sum(), arr_lost=s.arr_lost.sum(),
    )
    return t.mutate(churn_rate=ratio(t.churned, t.rows), arr=t.arr.cast(MONEY), arr_lost=t.arr_lost.cast(MONEY))


def calibration(table: ir.Table, column: str, deciles: int = 10) -> ir.Table:
    """decile (1 = lowest `column`), rows, mean_<column>, churn_rate; ordered by decile."""
    value = table[column].cast(dt.float64)
    # Ties broken by account and day, so the deciles do not depend on the order rows come in.
    ranked = table.mutate(
        decile=ibis.ntile(deciles).over(order_by=[value, table.account_id, table.day]) + 1, _value=value
    )
    grouped = ranked.group_by("decile").aggregate(
        rows=ranked.count(), mean=ranked._value.mean(), churned=ranked.count(where=ranked.churned)
    )
    return grouped.select(
        "decile", "rows", **{f"mean_{column}": grouped["mean"]}, churn_rate=ratio(grouped.churned, grouped.rows)
    ).order_by("decile")


def lead_time(snapshots: ir.Table, red: str = "red") -> ir.Table:
    """One row: churns, flagged (red at the last snapshot before the churn), flagged_share, median_lead_days."""
    s = snapshots
    # Snapshot days numbered globally, so a red run is broken when the account misses a snapshot.
    seq = s.select("day").distinct()
    seq = seq.mutate(seq=ibis.row_number().over(order_by="day"))
    s = s.join(seq, "day")
    history = ibis.window(group_by="account_id", order_by="day")
    is_red = s.band == red
    continues = is_red & (s.band.lag().over(history) == red) & (s.seq.lag().over(history) == s.seq - 1)
    s = s.mutate(is_red=is_red, run_start=ibis.cases((is_red & ~continues.fill_null(False), s.day)))
    so_far = ibis.window(group_by="account_id", order_by="day", rows=(None, 0))
    # The start of the current run is the latest run start so far (days only grow along the history).
    s = s.mutate(run_start=ibis.cases((s.is_red, s.run_start.max().over(so_far))))

    churns = s.filter(s.churned)
    last = ibis.row_number().over(group_by=["account_id", "churned_at"], order_by=ibis.desc("day")) == 0
    churns = churns.filter(last)
    lead = churns.churned_at.delta(churns.run_start, unit="day").cast(dt.float64)
    churns = churns.mutate(lead=lead)
    t = churns.aggregate(
        churns=churns.count(),
        flagged=churns.count(where=churns.is_red),
        median_lead_days=churns.lead.median(where=churns.is_red),
    )
    return t.mutate(flagged_share=ratio(t.flagged, t.churns))
