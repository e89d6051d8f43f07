"""`tenure health backtest` and `tenure churn` through the real entry point, on a tiny demo company."""

from pathlib import Path

import pytest

from tests.cli.runner import tenure

pytestmark = pytest.mark.slow
AS_OF = ("--as-of", "2026-06-30")
SHORT = ("--snapshots", "3", "--horizon", "30d", *AS_OF)


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cli-backtest") / "ws"
    run = tenure("demo", folder, "--accounts", "120", "--months", "12", "--seed", "5", "--end", "2026-06-30", "--json")
    assert run.code == 0, run.stderr
    return folder


def test_backtest_json_has_the_snapshot_days_and_writes_the_chart(ws: Path, tmp_path: Path):
    run = tenure("-w", ws, "health", "backtest", *SHORT, "--chart", tmp_path / "bt.svg", "--json")
    assert run.code == 0, run.stderr
    # The last snapshot is 30 days before 30 June; the others a month apart.
    assert run.json()["snapshot_days"] == ["2026-03-31", "2026-04-30", "2026-05-31"]
    assert (tmp_path / "bt.svg").read_text().lstrip().startswith("<?xml")


def test_a_chart_with_another_extension_is_a_usage_error(ws: Path, tmp_path: Path):
    run = tenure("-w", ws, "health", "backtest", *SHORT, "--chart", tmp_path / "bt.txt")
    assert (run.code, "must end in .png or .svg" in run.stderr) == (2, True)


def test_a_horizon_that_is_not_days_or_weeks_is_a_usage_error(ws: Path):
    run = tenure("-w", ws, "health", "backtest", "--horizon", "3m", *AS_OF)
    assert (run.code, "--horizon 3m" in run.stderr) == (2, True)


def test_churn_json_lists_the_top_accounts_with_drivers_and_the_groups(ws: Path):
    run = tenure("-w", ws, "churn", "--snapshots", "6", "--horizon", "90d", *AS_OF, "--by", "owner", "--top", "2", "--json")
    assert run.code == 0, run.stderr
    data = run.json()
    assert (len(data["accounts"]), data["by"], "owner" in data["groups"][0]) == (2, "owner", True)
    first = data["accounts"][0]
    assert first["expected_arr_at_risk"] == pytest.approx(first["probability"] * first["arr"])
