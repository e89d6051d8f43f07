"""The benchmark times every metric family against a floor of its own."""

import pytest

from tenure.bench import FLOORS
from tenure.contract.tables import TABLES
from tenure.metrics.families import FAMILIES


def test_every_metric_family_has_a_floor():
    assert set(FAMILIES) <= set(FLOORS)


def test_every_floor_reads_real_columns():
    for name, (table, columns) in FLOORS.items():
        assert set(columns) <= set(TABLES[table].stored_columns), name


@pytest.mark.slow
def test_a_tiny_benchmark_runs_end_to_end_and_reuses_its_data(tmp_path):
    from tenure.bench import bench_data, run_bench

    first = run_bench(events=20_000, accounts=40, months=6, data_root=tmp_path, repeat=1)
    names = [m.name for m in first.measurements]
    per_account = ["usage daily, per account (exact)", "health + stage history, first build",
                   "refresh one day (signals, scores, stages, playbooks)", "backtest, 12 monthly snapshots"]
    assert names[:10] == [f"load {t}" for t in ("accounts", "users", "subscriptions", "fx_rates", "spend",
                                                "milestones", "tickets", "surveys", "messages", "events")]
    assert names[10] == "refresh"
    assert names[11:] == [*(f"metrics {name}" for name in FLOORS), "metrics, all families", *per_account]
    assert first.generated_seconds is not None and first.events_loaded > 0
    assert all(m.floor_seconds > 0 for m in first.measurements if m.name == "refresh" or m.name.startswith("metrics "))
    assert all(m.met is not None for m in first.measurements if m.name in per_account[:1] + per_account[2:])
    folder, files, generated = bench_data(tmp_path, accounts=40, events=20_000, months=6, progress=None)
    assert generated is None  # the data was reused, not generated again
    assert str(folder) == first.data_dir
    assert files["events"] and all(path.exists() for paths in files.values() for path in paths)
