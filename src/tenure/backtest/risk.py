"""Churn risk today: the churn model fitted on every fully observed snapshot, applied to today's
signals (docs/backtest.md#churn-risk-today).

Per customer today (MRR > 0 at the end of the as-of day):

    probability              calibrated probability of churning within the horizon (models/churn.py)
    drivers                  the three signals adding the most to it, with their values
    arr                      12 x MRR today (the signals' `mrr`)
    expected_arr_at_risk     probability x arr

and per group (segment, owner or any text signal): accounts, arr, expected churns (the sum of the
probabilities), expected_arr_at_risk, and its share of the group's ARR. The model's training rows
come to Python as a matrix; the per-group sums are a query over the predictions joined to the signals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import ibis
import pyarrow as pa

from tenure.backtest.snapshots import Scorer, Signals, materialise, snapshot_days
from tenure.errors import DataError, UsageError
from tenure.metrics.numbers import MONEY, ratio
from tenure.config.settings import WorkspaceSettings
from tenure.warehouse import Warehouse


@dataclass
class ChurnRisk:
    as_of: date
    horizon_days: int
    trained_on: dict
    accounts: pa.Table
    groups: pa.Table
    by: str


def churn_risk(
    warehouse: Warehouse, *, today: date, signals: Signals, score: Scorer, workspace: WorkspaceSettings,
    horizon_days: int = 90, count: int = 12, every: str = "month", by: str = "segment",
) -> ChurnRisk:
    from tenure.models.churn import MIN_EACH, ChurnModel

    # Checked first: the snapshots below take seconds to build, and a wrong --by should not wait for them.
    offered = signals(warehouse, today)
    if by not in offered.columns or not offered[by].type().is_string():
        raise UsageError(f"{{by}} {by}: choose a text signal such as segment or owner")
    days = snapshot_days(today, horizon_days, count, every)
    history = materialise(warehouse, days, horizon_days, today=today, signals=signals, score=score, workspace=workspace)
    train = history.order_by(["day", "account_id"]).to_pyarrow()
    churned = train.column("churned").to_pylist()
    if min(sum(churned), len(churned) - sum(churned)) < MIN_EACH:
        raise DataError(f"the snapshots hold {sum(churned)} churns in {len(churned)} rows: the model needs at "
                        f"least {MIN_EACH} churns and {MIN_EACH} stayers; add --snapshots or a longer --horizon")
    model = ChurnModel().fit(train, churned)

    now = signals(warehouse, today)
    now = now.filter(now.mrr > 0).order_by("account_id")
    current = now.to_pyarrow()
    probability = model.predict(current)
    drivers = model.drivers(current, top=3)
    predictions = ibis.memtable(pa.table({
        "account_id": current.column("account_id"), "probability": probability,
    }))
    # The join and the sums run in the engine, against the same signals the model just read.
    rows = now.join(predictions, "account_id")
    arr = (rows.mrr * 12).cast(MONEY)
    rows = rows.select(
        "account_id", "name", by_value=rows[by], arr=arr, probability=rows.probability,
        expected_arr_at_risk=(arr.cast("float64") * rows.probability),
    )
    groups = rows.group_by("by_value").aggregate(
        accounts=rows.count(), arr=rows.arr.sum(), expected_churns=rows.probability.sum(),
        expected_arr_at_risk=rows.expected_arr_at_risk.sum(),
    )
    groups = groups.mutate(share_of_arr=ratio(groups.expected_arr_at_risk, groups.arr))
    groups = groups.rename({by: "by_value"}).order_by([ibis.desc("expected_arr_at_risk"), by])
    accounts = warehouse.ibis.to_pyarrow(rows.rename({by: "by_value"}))
    accounts = _with_drivers(accounts, current.column("account_id").to_pylist(), drivers)
    return ChurnRisk(
        as_of=today, horizon_days=horizon_days, by=by,
        trained_on={"snapshot_days": days, "rows": train.num_rows, "churned": sum(churned)},
        accounts=accounts, groups=warehouse.ibis.to_pyarrow(groups),
    )


def _with_drivers(accounts: pa.Table, order: list[str], drivers: list[list[dict]]) -> pa.Table:
    """Attach each account's drivers, then sort by expected ARR at risk (largest first)."""
    found = dict(zip(order, drivers))
    rows = accounts.to_pylist()
    for row in rows:
        row["drivers"] = found[row["account_id"]]
    rows.sort(key=lambda r: (-r["expected_arr_at_risk"], r["account_id"]))
    return pa.Table.from_pylist(rows)
