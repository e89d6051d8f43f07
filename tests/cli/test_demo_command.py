"""`tenure demo` end to end on a small company: generate, load through the loaders, summarise."""

from pathlib import Path

import pytest

from tests.cli.runner import tenure


@pytest.mark.slow
def test_demo_builds_a_workspace_and_prints_twelve_months(tmp_path: Path):
    run = tenure("demo", tmp_path / "demo", "--accounts", "40", "--months", "15", "--end", "2026-06-30", "--json")
    assert run.code == 0, run.stderr
    months = [row["month"] for row in run.json()["revenue"]]
    assert months == [f"2025-{m:02d}" for m in range(7, 13)] + [f"2026-{m:02d}" for m in range(1, 7)]
    status = tenure("-w", tmp_path / "demo", "status", "--json").json()
    assert all(t["rows"] > 0 for t in status["tables"])


@pytest.mark.slow
def test_demo_is_deterministic_for_a_seed(tmp_path: Path):
    first = tenure("demo", tmp_path / "a", "--accounts", "20", "--months", "6", "--end", "2026-06-30", "--seed", "3", "--json")
    second = tenure("demo", tmp_path / "b", "--accounts", "20", "--months", "6", "--end", "2026-06-30", "--seed", "3", "--json")
    assert first.json()["revenue"] == second.json()["revenue"]


@pytest.mark.slow
def test_demo_human_output_says_where_to_go_next(tmp_path: Path):
    run = tenure("demo", tmp_path / "demo", "--accounts", "15", "--months", "4", "--end", "2026-06-30")
    assert run.code == 0, run.stderr
    assert "Where to go next" in run.stdout
    assert "MRR" in run.stdout
