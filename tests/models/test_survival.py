"""Kaplan-Meier curves (tenure.models.survival) against a five-customer cohort computed by hand.

Durations 1, 2, 2, 3, 4 months; the customer at 3 is still a customer (censored), the rest churned:

    t   at risk   churned   survival
    0      5         0      1
    1      5         1      1 x (1 - 1/5) = 0.8
    2      4         2      0.8 x (1 - 2/4) = 0.4
    3      2         0      0.4             (censored: leaves the risk set, survival unchanged)
    4      1         1      0.4 x (1 - 1/1) = 0

Exponential Greenwood interval: with V(t) = sum over churn times u <= t of d / (n (n - d)) and
se = sqrt(V) / |ln S|, the interval is S^exp(+z se) .. S^exp(-z se). At t = 1, V = 1/20; at t = 2,
V = 1/20 + 2/8 = 0.3. With z = 1.959964 (95%) or 1.644854 (90%) that gives the literals below.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from tenure.errors import UsageError
from tenure.models.survival import kaplan_meier

DURATIONS = [1, 2, 2, 3, 4]
OBSERVED = [1, 1, 1, 0, 1]


def column(table: pa.Table, name: str) -> list:
    return table.column(name).to_pylist()


def test_survival_of_the_hand_computed_cohort():
    table = kaplan_meier(np.array(DURATIONS), np.array(OBSERVED))
    assert column(table, "timeline") == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert column(table, "survival") == pytest.approx([1.0, 0.8, 0.4, 0.4, 0.0])


def test_at_risk_counts_the_customers_still_there_at_each_time():
    assert column(kaplan_meier(DURATIONS, OBSERVED), "at_risk") == [5, 5, 4, 2, 1]


def test_the_95_percent_interval_is_exponential_greenwood():
    table = kaplan_meier(DURATIONS, OBSERVED)
    assert column(table, "ci_lower")[1:3] == pytest.approx([0.203809, 0.051976], abs=1e-6)
    assert column(table, "ci_upper")[1:3] == pytest.approx([0.969180, 0.752816], abs=1e-6)


def test_alpha_sets_the_interval_level():
    table = kaplan_meier(DURATIONS, OBSERVED, alpha=0.10)
    assert column(table, "ci_lower")[1:3] == pytest.approx([0.313520, 0.086353], abs=1e-6)
    assert column(table, "ci_upper")[1:3] == pytest.approx([0.957979, 0.709790], abs=1e-6)


def test_boolean_churn_flags_mean_the_same_as_zero_and_one():
    flags = np.array(OBSERVED, dtype=bool)
    assert kaplan_meier(DURATIONS, flags).equals(kaplan_meier(DURATIONS, OBSERVED))


def test_without_groups_the_group_is_null():
    assert set(column(kaplan_meier(DURATIONS, OBSERVED), "group")) == {None}


def test_groups_give_one_curve_each_in_name_order():
    # Group "b" is the hand-computed cohort; group "a" has one customer censored at 1 and one churned at 5.
    table = kaplan_meier(DURATIONS + [5, 1], OBSERVED + [1, 0], groups=["b"] * 5 + ["a", "a"])
    assert column(table, "group") == ["a"] * 3 + ["b"] * 5
    assert column(table, "timeline")[:3] == [0.0, 1.0, 5.0]
    assert column(table, "survival") == pytest.approx([1.0, 1.0, 0.0, 1.0, 0.8, 0.4, 0.4, 0.0])


def test_the_table_has_the_documented_columns_and_types():
    schema = kaplan_meier(DURATIONS, OBSERVED, groups=[2024] * 5).schema
    assert schema.names == ["group", "timeline", "survival", "ci_lower", "ci_upper", "at_risk"]
    assert [str(t) for t in schema.types] == ["string", "double", "double", "double", "double", "int64"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"durations": [], "observed": []}, "non-empty"),
        ({"durations": [1, -2], "observed": [1, 1]}, "0 or more"),
        ({"durations": [1, float("nan")], "observed": [1, 1]}, "finite"),
        ({"durations": [1, 2], "observed": [1]}, "one per customer"),
        ({"durations": [1, 2], "observed": [1, 2]}, "True/False or 1/0"),
        ({"durations": [1, 2], "observed": [1, 1], "groups": ["a"]}, "one per customer"),
        ({"durations": [1, 2], "observed": [1, 1], "groups": ["a", None]}, "missing"),
        ({"durations": [1, 2], "observed": [1, 1], "alpha": 1.5}, "between 0 and 1"),
    ],
    ids=["empty", "negative", "nan", "short_observed", "flag_2", "short_groups", "null_group", "alpha"],
)
def test_bad_input_is_a_usage_error_with_a_sentence(arguments, message):
    with pytest.raises(UsageError, match=message):
        kaplan_meier(**arguments)
