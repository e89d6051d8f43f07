"""The churn model on synthetic rows where one signal decides the odds (models/churn.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tenure.models.churn import ChurnModel


@pytest.fixture(scope="module")
def data():
    # Churn odds rise with tickets; logins are noise; segment is text; nps is missing for a third of rows.
    rng = np.random.default_rng(3)
    n = 600
    tickets = rng.poisson(2, n).astype(float)
    frame = pd.DataFrame({
        "account_id": [f"a{i}" for i in range(n)], "score": rng.uniform(0, 100, n),
        "tickets_90d": tickets, "logins_30d": rng.poisson(20, n).astype(float),
        "nps": np.where(rng.random(n) < 1 / 3, np.nan, rng.uniform(-100, 100, n)),
        "segment": rng.choice(["smb", "mid", "enterprise"], n),
    })
    churned = rng.random(n) < 1 / (1 + np.exp(-(-3 + 1.0 * tickets)))
    return frame, churned


def test_ids_and_the_scorecard_are_never_features(data):
    model = ChurnModel().fit(*data)
    assert (model.numeric_, model.categorical_) == (["tickets_90d", "logins_30d", "nps"], ["segment"])


def test_contributions_add_up_to_the_log_odds(data):
    frame, churned = data
    model = ChurnModel().fit(frame, churned)
    # The oracle is scikit-learn's own decision function of the fitted pipeline.
    log_odds = model.pipeline_.decision_function(model._x(frame))
    base = model.intercept_ + float(model.center_ @ model.coef_)
    assert np.allclose(model.contributions(frame).sum(axis=1) + base, log_odds)


def test_the_deciding_signal_is_the_top_driver_of_a_risky_account(data):
    frame, churned = data
    model = ChurnModel().fit(frame, churned)
    risky = frame.assign(tickets_90d=12.0).head(1)
    assert model.drivers(risky)[0][0]["signal"] == "tickets_90d"
    assert model.drivers(risky)[0][0]["value"] == 12.0


def test_probabilities_are_calibrated_to_the_base_rate(data):
    frame, churned = data
    probability = ChurnModel().fit(frame, churned).predict(frame)
    assert probability.mean() == pytest.approx(churned.mean(), abs=0.03)


def test_fitting_twice_gives_the_same_probabilities(data):
    assert np.array_equal(ChurnModel().fit(*data).predict(data[0]), ChurnModel().fit(*data).predict(data[0]))


def test_text_signals_are_named_by_value_and_a_value_unseen_in_training_has_no_column(data):
    frame, churned = data
    model = ChurnModel().fit(frame, churned)
    one_hot = [j for j, name in enumerate(model.features_) if name.startswith("segment_")]
    assert sorted(model.features_[j] for j in one_hot) == ["segment_enterprise", "segment_mid", "segment_smb"]
    encoded = np.asarray(model.pipeline_[:-1].transform(model._x(frame.head(1).assign(segment="government"))))
    assert (encoded[0, one_hot] == 0).all()


def test_a_driver_names_its_signal_with_a_text_value_as_its_category_and_a_missing_flag_as_missing():
    # Churn is decided by segment (enterprise churns) and by nps being unknown: both must read as the
    # signal they come from, not as the encoder's column names.
    rng = np.random.default_rng(5)
    n = 600
    segment = rng.choice(["smb", "enterprise"], n)
    nps = np.where(rng.random(n) < 0.3, np.nan, rng.uniform(-100, 100, n))
    odds = -3 + 3.0 * (segment == "enterprise") + 3.0 * np.isnan(nps)
    frame = pd.DataFrame({"account_id": [f"a{i}" for i in range(n)], "segment": segment, "nps": nps})
    churned = rng.random(n) < 1 / (1 + np.exp(-odds))
    model = ChurnModel().fit(frame, churned)
    risky = pd.DataFrame({"account_id": ["x"], "segment": ["enterprise"], "nps": [np.nan]})
    drivers = {(d["signal"], d["category"], d["missing"], d["value"]) for d in model.drivers(risky)[0]}
    assert drivers >= {("segment", "enterprise", False, None), ("nps", None, True, None)}
