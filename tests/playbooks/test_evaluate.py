"""evaluate: the engine filters the accounts, and only the columns a playbook reads come back."""

import ibis
import pytest

from tenure.errors import ConfigError
from tenure.playbooks import evaluate, matches_expr
from tests.playbooks.conftest import settings

RED = {"name": "red-renewal", "when": 'band == "red" and days_to_renewal <= 60',
       "actions": [{"type": "task", "title": "{name} is red"}]}


def test_only_the_accounts_whose_condition_holds_fire(signals):
    fires = evaluate(settings(RED), signals)
    assert [(f.playbook.name, f.account_id) for f in fires] == [("red-renewal", "acc_1"), ("red-renewal", "acc_3")]


def test_a_fire_carries_the_values_it_read_and_why(signals):
    fire = evaluate(settings(RED), signals)[0]
    # account_id, the condition's signals, the title's name and the task's default owner; not mrr or nps.
    assert fire.values == {"account_id": "acc_1", "band": "red", "days_to_renewal": 30, "name": "Acme",
                           "owner": "ana@example.com"}
    assert fire.why == {"band": "red", "days_to_renewal": 30}


def test_the_query_filters_in_the_engine_and_selects_only_the_read_columns(signals):
    expr = matches_expr(settings(RED).rules[0], signals)
    sql = str(ibis.to_sql(expr, dialect="duckdb"))
    assert "WHERE" in sql.upper()
    assert expr.columns == ("account_id", "band", "days_to_renewal", "name", "owner")


def test_a_disabled_playbook_does_not_fire(signals):
    assert evaluate(settings({**RED, "enabled": False}), signals) == []


def test_a_condition_that_is_unknown_for_a_null_signal_does_not_fire(signals):
    low_nps = {"name": "low-nps", "when": "not (nps >= 0)", "actions": [{"type": "task", "title": "t"}]}
    assert [f.account_id for f in evaluate(settings(low_nps), signals)] == ["acc_1"]  # acc_2 has no NPS


def test_a_signal_the_table_lacks_is_a_config_error_naming_the_playbook(signals):
    staged = {"name": "onboarding", "when": 'stage == "onboarding"', "actions": [{"type": "task", "title": "t"}]}
    with pytest.raises(ConfigError) as caught:
        evaluate(settings(staged), signals)
    assert "'onboarding' when" in str(caught.value) and "unknown signal 'stage'" in str(caught.value)



