"""Risk rules (tenure.signals.risks): each built-in rule fires at its threshold and not just short of it,
and the workspace's own rules come from tenure.toml. Rules run on a literal table of signals: the
signals themselves are tested in test_signals.py."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import ibis
import pytest

from tenure.config import read_settings
from tenure.errors import ConfigError
from tenure.signals import BUILTIN, risk_flags, risk_rules
from tests.conftest import put_rows

RULES = {rule.name: rule for rule in BUILTIN}


def fires(rule: str, rows: list[dict], schema: dict[str, str]) -> list[bool]:
    table = ibis.memtable(rows, schema=schema)
    flagged = risk_flags(table, [RULES[rule]]).to_pyarrow()
    return flagged.column(f"risk_{rule}").to_pylist()


def test_engagement_falling_below_70_percent_of_at_least_3_users():
    # 10 -> 6 is a 40% fall; 10 -> 7 is exactly 70% (not below); 2 -> 0 has too few users before.
    rows = [{"active_users_prev_30d": 10, "active_users_30d": 6}, {"active_users_prev_30d": 10, "active_users_30d": 7},
            {"active_users_prev_30d": 2, "active_users_30d": 0}]
    assert fires("engagement_falling", rows, {"active_users_prev_30d": "int64", "active_users_30d": "int64"}) == [
        True, False, False]


def test_gone_quiet_after_14_days_or_never_active_while_paying():
    rows = [{"mrr": 100, "days_since_active": 14, "last_active_day": date(2024, 3, 17)},
            {"mrr": 100, "days_since_active": 13, "last_active_day": date(2024, 3, 18)},
            {"mrr": 100, "days_since_active": None, "last_active_day": None},
            {"mrr": 0, "days_since_active": 40, "last_active_day": date(2024, 2, 20)}]
    schema = {"mrr": "decimal(38, 6)", "days_since_active": "int64", "last_active_day": "date"}
    assert fires("gone_quiet", rows, schema) == [True, False, True, False]


def test_password_reset_burst_at_5_in_a_week():
    rows = [{"password_resets_7d": 5}, {"password_resets_7d": 4}]
    assert fires("password_reset_burst", rows, {"password_resets_7d": "int64"}) == [True, False]


def test_low_kb_many_tickets_needs_3_tickets_and_no_kb_view():
    rows = [{"tickets_30d": 3, "kb_views_30d": 0}, {"tickets_30d": 2, "kb_views_30d": 0},
            {"tickets_30d": 5, "kb_views_30d": 1}]
    assert fires("low_kb_many_tickets", rows, {"tickets_30d": "int64", "kb_views_30d": "int64"}) == [True, False, False]


def test_support_without_success_is_tickets_with_at_most_2_active_days():
    rows = [{"tickets_30d": 2, "active_days_30d": 2}, {"tickets_30d": 2, "active_days_30d": 3},
            {"tickets_30d": 1, "active_days_30d": 0}]
    assert fires("support_without_success", rows, {"tickets_30d": "int64", "active_days_30d": "int64"}) == [
        True, False, False]


def test_detractor_only_for_a_detractor_category():
    rows = [{"nps_category": "detractor"}, {"nps_category": "passive"}, {"nps_category": None}]
    assert fires("detractor", rows, {"nps_category": "string"}) == [True, False, False]


def test_stalled_onboarding_from_day_30_while_not_activated():
    rows = [{"account_age_days": 30, "activated": False}, {"account_age_days": 29, "activated": False},
            {"account_age_days": 90, "activated": True}]
    assert fires("stalled_onboarding", rows, {"account_age_days": "int64", "activated": "boolean"}) == [
        True, False, False]


def test_seats_unused_before_renewal_within_60_days_and_under_half_used():
    rows = [{"days_to_renewal": 60, "seat_utilisation": 0.4}, {"days_to_renewal": 61, "seat_utilisation": 0.4},
            {"days_to_renewal": 10, "seat_utilisation": 0.5}, {"days_to_renewal": None, "seat_utilisation": 0.1}]
    assert fires("seats_unused_before_renewal", rows, {"days_to_renewal": "int64", "seat_utilisation": "float64"}) == [
        True, False, False, False]


def test_mrr_contracting_at_a_fifth_lost():
    rows = [{"mrr_trend": -0.2}, {"mrr_trend": -0.19}, {"mrr_trend": None}]
    assert fires("mrr_contracting", rows, {"mrr_trend": "float64"}) == [True, False, False]


def test_risk_count_counts_the_rules_that_fire():
    table = ibis.memtable({"password_resets_7d": [9, 0], "nps_category": ["detractor", "detractor"]})
    flagged = risk_flags(table, [RULES["password_reset_burst"], RULES["detractor"]]).to_pyarrow()
    assert flagged.column("risk_count").to_pylist() == [2, 1]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tenure.toml"
    path.write_text(text)
    return path


def test_a_configured_rule_replaces_the_built_in_one_of_its_name_and_new_ones_follow(tmp_path: Path):
    settings = read_settings(write(tmp_path, (
        '[risks]\ndisable = ["detractor"]\n\n'
        '[[risks.rules]]\nname = "password_reset_burst"\ncondition = "password_resets_7d >= 8"\n\n'
        '[[risks.rules]]\nname = "no_seats"\ncondition = "seats is null"\ndescription = "No licence."\n'
    )))
    rules = risk_rules(settings)
    names = [rule.name for rule in rules]
    assert "detractor" not in names
    assert names.index("password_reset_burst") == [r.name for r in BUILTIN].index("password_reset_burst")
    assert names[-1] == "no_seats"
    assert {r.name: r.condition for r in rules}["password_reset_burst"] == "password_resets_7d >= 8"


def test_a_bad_rule_condition_is_reported_with_its_line(tmp_path: Path):
    path = write(tmp_path, '[risks]\n\n[[risks.rules]]\nname = "typo"\ncondition = "password_resets_7 >= 5"\n')
    with pytest.raises(ConfigError) as caught:
        read_settings(path)
    (problem,) = caught.value.problems
    assert problem.line == 5
    assert "unknown signal 'password_resets_7' at column 1; did you mean 'password_resets_7d'?" in problem.message


def test_an_unknown_built_in_rule_to_disable_is_reported_with_its_line(tmp_path: Path):
    with pytest.raises(ConfigError) as caught:
        read_settings(write(tmp_path, '[risks]\ndisable = ["detractors"]\n'))
    assert caught.value.problems[0].line == 2


def test_workspace_risks_run_the_configured_rules(workspace):
    # One account with 6 resets on 30 March: the built-in burst (>= 5) fires; the workspace raises it to 8.
    put_rows(workspace, "accounts", [{"account_id": "a", "created_at": "2024-03-01"}])
    put_rows(workspace, "events", [{"event_id": f"e{n}", "account_id": "a", "user_id": "u1",
                                    "event": "password_reset", "timestamp": "2024-03-30 10:00"} for n in range(6)])
    workspace.refresh()
    assert workspace.risks("2024-03-31").column("risk_password_reset_burst").to_pylist() == [True]
    config = workspace.path / "tenure.toml"
    config.write_text(config.read_text() + '\n[[risks.rules]]\nname = "password_reset_burst"\n'
                      'condition = "password_resets_7d >= 8"\n')
    reopened = type(workspace).open(workspace.path)
    try:
        assert reopened.risks("2024-03-31").column("risk_password_reset_burst").to_pylist() == [False]
    finally:
        reopened.close()
