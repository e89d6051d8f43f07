"""Lifecycle stages: each default rule, and the first rule that holds wins. The rules run over literal
rows of signals, as the engine would compute them for one account each."""

from __future__ import annotations

import ibis
import pytest

from tenure.config import Settings
from tenure.config.journey import JourneySettings, Stage
from tenure.errors import ConfigError
from tenure.journey import stage_column

# An account in the middle of its life: paying, activated, a year old, steady, no renewal soon.
STEADY = {
    "account_id": "a", "mrr": 100.0, "ever_paid": True, "on_trial": False, "in_renewal_window": False,
    "activated": True, "account_age_days": 365, "mrr_trend": 0.0, "seat_utilisation": 0.5,
}
SCHEMA = {
    "account_id": "string", "mrr": "float64", "ever_paid": "boolean", "on_trial": "boolean",
    "in_renewal_window": "boolean", "activated": "boolean", "account_age_days": "int64", "mrr_trend": "float64",
    "seat_utilisation": "float64",
}


def stage_of(settings: Settings = None, **changes) -> str:
    rows = ibis.memtable([{**STEADY, **changes}], schema=SCHEMA)
    journey = (settings or Settings()).journey
    return rows.select(stage=stage_column(rows, journey=journey)).to_pyarrow().column("stage")[0].as_py()


def test_a_steady_paying_account_is_in_adoption_the_default():
    assert stage_of() == "adoption"


def test_no_mrr_after_having_paid_is_churned():
    assert stage_of(mrr=0.0) == "churned"


def test_no_mrr_without_ever_paying_is_not_churned():
    assert stage_of(mrr=0.0, ever_paid=False) == "adoption"


def test_a_live_trial_is_trial():
    assert stage_of(on_trial=True, ever_paid=False, mrr=0.0) == "trial"


def test_the_renewal_window_is_renewal():
    assert stage_of(in_renewal_window=True) == "renewal"


@pytest.mark.parametrize(("age", "stage"), [(179, "onboarding"), (180, "adoption")])
def test_not_activated_is_onboarding_until_day_180(age, stage):
    assert stage_of(activated=False, account_age_days=age) == stage


@pytest.mark.parametrize(("age", "stage"), [(59, "onboarding"), (60, "adoption")])
def test_onboarding_lasts_until_day_60(age, stage):
    assert stage_of(account_age_days=age) == stage


@pytest.mark.parametrize(("trend", "stage"), [(0.1, "adoption"), (0.11, "expansion")])
def test_mrr_growing_by_more_than_10_percent_is_expansion(trend, stage):
    assert stage_of(mrr_trend=trend) == stage


@pytest.mark.parametrize(("utilisation", "stage"), [(0.89, "adoption"), (0.9, "expansion")])
def test_seats_90_percent_used_is_expansion(utilisation, stage):
    assert stage_of(seat_utilisation=utilisation) == stage


def test_an_unknown_signal_is_unknown_and_never_matches():
    # No seats licensed (null utilisation) and no MRR history (null trend): expansion cannot be shown.
    assert stage_of(seat_utilisation=None, mrr_trend=None) == "adoption"


def test_the_first_rule_that_holds_wins():
    # Churned beats trial, trial beats renewal, renewal beats onboarding, onboarding beats expansion.
    assert stage_of(mrr=0.0, on_trial=True) == "churned"
    assert stage_of(on_trial=True, in_renewal_window=True) == "trial"
    assert stage_of(in_renewal_window=True, account_age_days=10) == "renewal"
    assert stage_of(account_age_days=10, mrr_trend=0.5) == "onboarding"


def test_stages_are_definitions_in_configuration_order():
    settings = Settings(journey=JourneySettings(stages=[
        Stage(name="big", when="mrr >= 100"), Stage(name="growing", when="mrr_trend > 0"), Stage(name="rest"),
    ]))
    assert stage_of(settings, mrr=150.0, mrr_trend=0.5) == "big"
    assert stage_of(settings, mrr=50.0, mrr_trend=0.5) == "growing"
    assert stage_of(settings, mrr=50.0) == "rest"


def test_a_rule_over_a_signal_the_table_lacks_names_its_stage():
    settings = Settings(journey=JourneySettings(stages=[Stage(name="quiet", when="days_since_active > 30"),
                                                        Stage(name="rest")]))
    with pytest.raises(ConfigError, match="quiet"):
        stage_of(settings)
