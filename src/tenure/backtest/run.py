"""The backtest: the scorecard judged on past snapshots, and a churn model judged next to it
(docs/backtest.md).

    snapshots   `count` days `every` month or week, the last `horizon` days before today
    scorecard   AUC, figures by band, red lift, calibration by score decile, lead time (evaluate.py),
                and Kaplan-Meier survival over the horizon by band (time to churn after a snapshot:
                the days to `churned_at`, censored at the horizon)
    comparison  a time-based split: the last third of the snapshot days (at least one) are the test;
                the model trains on the snapshots whose window had closed by the first test day
                (d + horizon <= it), so no training label comes from the test period. Both AUCs are
                on the same test rows.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, timedelta

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from tenure.backtest import evaluate
from tenure.backtest.snapshots import Scorer, Signals, materialise, snapshot_days
from tenure.config.settings import WorkspaceSettings
from tenure.warehouse import Warehouse

SURVIVAL_DAYS = (30, 60, 90)


@dataclass
class Backtest:
    as_of: date
    horizon_days: int
    days: list[date]
    overall: dict
    auc: float | None
    by_band: pa.Table
    calibration: pa.Table
    lead_time: dict
    survival: pa.Table
    survival_curve: pa.Table | None = None
    comparison: dict | None = None
    model_calibration: pa.Table | None = None
    seconds: float = 0.0
    snapshots: ir.Table | None = field(default=None, repr=False)

    def to_dict(self) -> dict:
        """JSON-ready: days as ISO text, tables as lists of rows, money as floats."""
        return _plain({
            "as_of": self.as_of, "horizon_days": self.horizon_days, "snapshot_days": self.days,
            "overall": self.overall, "auc": self.auc, "by_band": self.by_band.to_pylist(),
            "red_lift": self.red_lift, "calibration": self.calibration.to_pylist(), "lead_time": self.lead_time,
            "survival": self.survival.to_pylist(),
            "survival_curve": None if self.survival_curve is None else self.survival_curve.to_pylist(),
            "comparison": self.comparison,
            "model_calibration": None if self.model_calibration is None else self.model_calibration.to_pylist(),
            "seconds": round(self.seconds, 2),
        })

    @property
    def red_lift(self) -> float | None:
        red = [row for row in self.by_band.to_pylist() if row["band"] == evaluate.BANDS[0]]
        return red[0]["lift"] if red else None


def run_backtest(
    warehouse: Warehouse, *, today: date, signals: Signals, score: Scorer, workspace: WorkspaceSettings,
    horizon_days: int = 90, count: int = 12, every: str = "month", model: bool = True,
) -> Backtest:
    started = time.perf_counter()
    days = snapshot_days(today, horizon_days, count, every)
    snaps = materialise(warehouse, days, horizon_days, today=today, signals=signals, score=score, workspace=workspace)
    curves = survival_curves(snaps, horizon_days)
    result = Backtest(
        as_of=today, horizon_days=horizon_days, days=days,
        overall=evaluate.overall(snaps).to_pyarrow().to_pylist()[0],
        auc=evaluate.scorecard_auc(snaps),
        by_band=evaluate.by_band(snaps).to_pyarrow(),
        calibration=evaluate.calibration(snaps, "score").to_pyarrow(),
        lead_time=evaluate.lead_time(snaps).to_pyarrow().to_pylist()[0],
        survival=survival_by_band(curves, horizon_days),
        survival_curve=curves,
        snapshots=snaps,
    )
    if model:
        result.comparison, result.model_calibration = compare(warehouse, snaps, days, horizon_days)
    result.seconds = time.perf_counter() - started
    return result


def split_days(days: list[date], horizon_days: int) -> tuple[list[date], list[date]]:
    """(train days, test days): the last third are the test; training windows close by the first test day."""
    test = days[len(days) - max(1, len(days) // 3):]
    train = [d for d in days if d + timedelta(days=horizon_days) <= test[0]]
    return train, test


def compare(warehouse: Warehouse, snaps: ir.Table, days: list[date], horizon_days: int) -> tuple[dict, pa.Table | None]:
    """The model against the scorecard on the same test snapshots (module docstring)."""
    from tenure.models.churn import MIN_EACH, ChurnModel

    train_days, test_days = split_days(days, horizon_days)
    summary = {"train_days": train_days, "test_days": test_days, "scorecard_auc": None, "model_auc": None}
    ordered = snaps.order_by(["day", "account_id"])
    train = ordered.filter(ordered.day.isin(train_days)).to_pyarrow() if train_days else None
    test = ordered.filter(ordered.day.isin(test_days)).to_pyarrow()
    summary |= {"train_rows": 0 if train is None else train.num_rows, "test_rows": test.num_rows}
    test_churned = test.column("churned").to_numpy(zero_copy_only=False)
    score = test.column("score").to_numpy(zero_copy_only=False).astype(float)
    summary["scorecard_auc"] = evaluate.auc(test_churned, 100 - score)
    if train is None or not _both_outcomes(train, MIN_EACH):
        summary["note"] = f"fewer than {MIN_EACH} churns (or stayers) before the test snapshots to train the model on"
        return summary, None
    fitted = ChurnModel().fit(train, train.column("churned").to_pylist())
    probability = fitted.predict(test)
    summary["model_auc"] = evaluate.auc(test_churned, probability)
    # Back to the engine for the deciles, like every other figure.
    scored = ibis.memtable(pa.table({
        "day": test.column("day"), "account_id": test.column("account_id"),
        "churned": test.column("churned"), "probability": probability,
    }))
    return summary, warehouse.ibis.to_pyarrow(evaluate.calibration(scored, "probability"))


def _both_outcomes(table: pa.Table, least: int) -> bool:
    churned = table.column("churned").to_pylist()
    return min(sum(churned), len(churned) - sum(churned)) >= least


def survival_curves(snaps: ir.Table, horizon_days: int) -> pa.Table:
    """The whole Kaplan-Meier curve per band over the horizon (lifelines), bands red, yellow, green:
    band, days (0 and every time a snapshot churned or was censored at the horizon), survival, at_risk."""
    from tenure.models.survival import kaplan_meier

    durations = snaps.select(
        "band",
        days=ibis.ifelse(snaps.churned, snaps.churned_at.delta(snaps.day, unit="day"), horizon_days).cast("float64"),
        observed=snaps.churned,
    ).to_pyarrow()
    if durations.num_rows == 0:
        return pa.table({"band": pa.array([], pa.string()), "days": pa.array([], pa.float64()),
                         "survival": pa.array([], pa.float64()), "at_risk": pa.array([], pa.int64())})
    curves = kaplan_meier(
        durations.column("days").to_numpy(), durations.column("observed").to_numpy(zero_copy_only=False),
        durations.column("band").to_pylist(),
    ).to_pylist()
    rows = [{"band": c["group"], "days": c["timeline"], "survival": c["survival"], "at_risk": c["at_risk"]}
            for c in curves]
    return pa.Table.from_pylist(sorted(rows, key=lambda r: (_band_order(r["band"]), r["days"])))


def survival_by_band(curves: pa.Table, horizon_days: int) -> pa.Table:
    """survival_curves read at 30, 60 and 90 days (those within the horizon): band, days, survival, at_risk
    (those still at risk at that time)."""
    found = curves.to_pylist()
    rows = []
    for band in dict.fromkeys(c["band"] for c in found):
        curve = [c for c in found if c["band"] == band]
        for t in [t for t in SURVIVAL_DAYS if t <= horizon_days] or [horizon_days]:
            upto = [c for c in curve if c["days"] <= t]
            rows.append({"band": band, "days": t, "survival": upto[-1]["survival"],
                         "at_risk": next((c["at_risk"] for c in curve if c["days"] >= t), 0)})
    if not rows:
        return pa.table({"band": [], "days": [], "survival": [], "at_risk": []})
    return pa.Table.from_pylist(rows)


def _band_order(band: str) -> tuple[int, str]:
    return (evaluate.BANDS.index(band) if band in evaluate.BANDS else len(evaluate.BANDS), band)


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if type(value).__name__ == "Decimal":
        return float(value)
    return value
