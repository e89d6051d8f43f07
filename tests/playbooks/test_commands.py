"""`tenure playbooks ...` through the real entry point, on a new workspace."""

import pytest

from tests.cli.runner import tenure

pytestmark = pytest.mark.slow


def test_list_run_digest_and_deliveries_on_a_new_workspace(tmp_path):
    ws = tmp_path / "ws"
    assert tenure("init", ws).code == 0
    listed = tenure("-w", ws, "playbooks", "list", "--json")
    assert [(p["name"], p["enabled"]) for p in listed.json()] == [("renewal-at-risk", False), ("gone-quiet", False)]
    # Enabled, the example runs against the real signals and risk flags (there are no accounts yet).
    config = ws / "tenure.toml"
    config.write_text(config.read_text().replace("enabled = false", "enabled = true", 1))
    assert tenure("-w", ws, "refresh").code == 0  # the signals read the daily rollup
    dry = tenure("-w", ws, "playbooks", "run", "--dry-run", "--json")
    assert (dry.code, dry.json()) == (0, [])
    assert tenure("-w", ws, "playbooks", "deliveries", "--json").json() == []
    assert tenure("-w", ws, "playbooks", "digest", "--dry-run", "--json").json() == []


def test_a_playbook_problem_is_one_line_per_problem_with_its_line(tmp_path):
    ws = tmp_path / "ws"
    tenure("init", ws)
    config = ws / "tenure.toml"
    config.write_text(config.read_text().replace('when = "risk_gone_quiet"', 'when = "risk_gone_qiuet or nps"'))
    found = tenure("-w", ws, "playbooks", "list")
    assert found.code == 4
    assert "unknown signal 'risk_gone_qiuet'" not in found.stderr  # risk_ names are taken by prefix...
    assert "'or' at column 17 needs true/false on both sides, but nps is a number" in found.stderr  # ...types are not
