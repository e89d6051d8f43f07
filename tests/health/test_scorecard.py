"""Scoring in the engine (tenure.health.scorecard) over literal signal tables; every expected value is
worked out by hand in the comment beside it."""

from __future__ import annotations

import ibis
import pytest
from pydantic import ValidationError

from tenure.config.health import HealthSettings
from tenure.health import measures, score, to_green


def card(*categories: dict, name: str = "s", applies_to: str | None = None) -> dict:
    return {"name": name, "applies_to": applies_to, "categories": list(categories)}


def health(*cards: dict, **options: object) -> HealthSettings:
    return HealthSettings(scorecards=list(cards), **options)


def one_measure(**measure: object) -> HealthSettings:
    return health(card({"name": "usage", "measures": [{"signal": "active_days_30d", **measure}]}))


def scores(table: dict, settings: HealthSettings) -> dict[str, dict]:
    return {row["account_id"]: row for row in score(ibis.memtable(table), settings).to_pyarrow().to_pylist()}


def measure_scores(values: list, **measure: object) -> list:
    table = {"account_id": [f"a{i}" for i in range(len(values))], "active_days_30d": values}
    rows = measures(ibis.memtable(table), one_measure(**measure)).order_by("account_id").to_pyarrow()
    return rows.column("measure_score").to_pylist()


def test_linear_is_0_at_red_100_at_green_and_straight_between():
    # red 5, green 15: 10 is halfway (50), 7.5 a quarter (25).
    assert measure_scores([5, 7.5, 10, 15], red=5, green=15) == [0.0, 25.0, 50.0, 100.0]


def test_linear_clamps_beyond_red_and_green():
    assert measure_scores([0, 30], red=5, green=15) == [0.0, 100.0]


def test_linear_with_red_above_green_means_lower_is_better():
    # red 30, green 10: 10 or less is 100, 30 or more 0, 25 is a quarter of the way from red (25).
    assert measure_scores([5, 10, 25, 30, 40], red=30, green=10) == [100.0, 100.0, 25.0, 0.0, 0.0]


def test_bands_bound_is_excluded_and_the_last_band_takes_the_rest():
    bands = [{"below": 1, "score": 100}, {"below": 3, "score": 60}, {"score": 0}]
    assert measure_scores([0, 0.99, 1, 2.99, 3, 100], bands=bands) == [100.0, 100.0, 60.0, 60.0, 0.0, 0.0]


def test_a_null_input_is_a_missing_measure_in_every_mapping():
    assert measure_scores([None], red=5, green=15) == [None]
    assert measure_scores([None], bands=[{"below": 1, "score": 100}, {"score": 0}]) == [None]


def test_text_values_map_and_an_unmapped_value_is_missing():
    settings = health(card({"name": "usage", "measures": [{"signal": "tier", "values": {"power": 100, "core": 70}}]}))
    table = {"account_id": ["a", "b", "c"], "tier": ["core", "power", "dormant"]}
    got = {k: v["score"] for k, v in scores(table, settings).items()}
    assert got == {"a": 70.0, "b": 100.0, "c": None}


def test_weights_within_a_category_and_between_categories():
    # usage = (2 x 100 + 1 x 40) / 3 = 80; voice = 20; total = (3 x 80 + 1 x 20) / 4 = 65.
    settings = health(card(
        {"name": "usage", "weight": 3, "measures": [
            {"signal": "active_days_30d", "weight": 2, "red": 0, "green": 10},
            {"signal": "breadth", "red": 0, "green": 1},
        ]},
        {"name": "voice", "weight": 1, "measures": [{"signal": "nps", "red": -100, "green": 100}]},
    ))
    row = scores({"account_id": ["a"], "active_days_30d": [10], "breadth": [0.4], "nps": [-60.0]}, settings)["a"]
    assert (row["score"], row["band"], row["confidence"]) == (65.0, "yellow", 1.0)


TWO_CATEGORIES = health(card(
    {"name": "usage", "weight": 3, "measures": [
        {"signal": "active_days_30d", "red": 0, "green": 10}, {"signal": "breadth", "red": 0, "green": 1},
    ]},
    {"name": "voice", "weight": 1, "measures": [{"signal": "nps", "red": -100, "green": 100}]},
))


def test_a_missing_measure_spreads_its_weight_over_its_category():
    # breadth missing: usage = active_days alone = 50; total = (3 x 50 + 1 x 100) / 4 = 62.5;
    # present nominal weight = 3/4 x 1/2 + 1/4 = 0.625.
    row = scores({"account_id": ["a"], "active_days_30d": [5], "breadth": [None], "nps": [100.0]}, TWO_CATEGORIES)["a"]
    assert (row["score"], row["confidence"]) == (62.5, 0.625)


def test_a_missing_category_spreads_its_weight_over_the_others():
    # voice missing: the total is usage alone = (50 + 100) / 2 = 75; confidence 3/4.
    row = scores({"account_id": ["a"], "active_days_30d": [5], "breadth": [1.0], "nps": [None]}, TWO_CATEGORIES)["a"]
    assert (row["score"], row["band"], row["confidence"], row["low_confidence"]) == (75.0, "green", 0.75, False)


def test_points_add_up_to_the_score():
    # shares after redistribution: active_days 3/4 x 1/2, breadth 3/4 x 1/2, nps 1/4 -> 18.75 + 37.5 + 25.
    table = ibis.memtable({"account_id": ["a"], "active_days_30d": [5], "breadth": [1.0], "nps": [100.0]})
    rows = measures(table, TWO_CATEGORIES).order_by("signal").to_pyarrow()
    assert rows.column("points").to_pylist() == [18.75, 37.5, 25.0]


def test_too_little_present_weight_is_low_confidence():
    # only nps present: confidence 0.25 < 0.6.
    row = scores({"account_id": ["a"], "active_days_30d": [None], "breadth": [None], "nps": [100.0]}, TWO_CATEGORIES)["a"]
    assert (row["score"], row["confidence"], row["low_confidence"]) == (100.0, 0.25, True)


def test_no_input_at_all_is_no_score_and_low_confidence():
    row = scores({"account_id": ["a"], "active_days_30d": [None], "breadth": [None], "nps": [None]}, TWO_CATEGORIES)["a"]
    assert (row["score"], row["band"], row["confidence"], row["low_confidence"]) == (None, None, 0.0, True)


def test_a_stale_source_makes_the_score_low_confidence():
    table = ibis.memtable({"account_id": ["a"], "active_days_30d": [5], "breadth": [1.0], "nps": [100.0]})
    row = score(table, TWO_CATEGORIES, stale={"nps"}).to_pyarrow().to_pylist()[0]
    assert (row["stale"], row["low_confidence"]) == (True, True)


@pytest.mark.parametrize(
    ("days", "band"), [(39.9, "red"), (40, "yellow"), (69.9, "yellow"), (70, "green")]
)
def test_band_edges_40_is_yellow_and_70_is_green(days, band):
    # red 0, green 100 on a 0..100 signal: the score is the value itself.
    settings = one_measure(red=0, green=100)
    assert scores({"account_id": ["a"], "active_days_30d": [days]}, settings)["a"]["band"] == band


def test_the_first_matching_scorecard_wins_and_the_default_takes_the_rest():
    usage = {"name": "usage", "measures": [{"signal": "active_days_30d", "red": 0, "green": 10}]}
    settings = health(
        card(usage, name="fallback"),  # the default, even listed first
        card(usage, name="enterprise", applies_to='segment == "enterprise"'),
        card(usage, name="large", applies_to="mrr >= 1000"),
    )
    table = {"account_id": ["a", "b", "c"], "segment": ["enterprise", "smb", "smb"], "mrr": [5000, 2000, 10],
             "active_days_30d": [1, 1, 1]}
    got = {k: v["scorecard"] for k, v in scores(table, settings).items()}
    assert got == {"a": "enterprise", "b": "large", "c": "fallback"}


def test_an_account_no_scorecard_applies_to_is_not_scored():
    settings = health(card({"name": "usage", "measures": [{"signal": "active_days_30d", "red": 0, "green": 10}]},
                           applies_to="mrr > 0"))
    assert list(scores({"account_id": ["a", "b"], "mrr": [0, 1], "active_days_30d": [1, 1]}, settings)) == ["b"]


def test_to_green_gives_each_measures_gap_and_the_value_that_alone_makes_it_green():
    # a: active_days 5 (50) and breadth 0.2 (20), equal shares: score 35, 35 points short of 70.
    # active_days alone needs 50 + 35 / 0.5 = 120 > 100: impossible; breadth needs 20 + 70 = 90 -> 0.9.
    settings = health(card({"name": "usage", "measures": [
        {"signal": "active_days_30d", "red": 0, "green": 10}, {"signal": "breadth", "red": 0, "green": 1}]}))
    table = ibis.memtable({"account_id": ["a"], "active_days_30d": [5], "breadth": [0.2]})
    rows = to_green(measures(table, settings), score(table, settings), settings).order_by("signal").to_pyarrow()
    assert rows.column("gap").to_pylist() == [25.0, 40.0]
    assert rows.column("points_needed").to_pylist() == [35.0, 35.0]
    assert rows.column("green_value").to_pylist() == [None, 0.9]


def test_config_reports_an_unknown_signal_and_a_bad_condition_together():
    with pytest.raises(ValidationError) as caught:
        health(card({"name": "usage", "measures": [{"signal": "active_dayz_30d", "red": 0, "green": 1}]},
                    applies_to='segmnt == "x"'))
    messages = [e["msg"] for e in caught.value.errors()]
    assert any("unknown signal 'active_dayz_30d'; did you mean 'active_days_30d'?" in m for m in messages)
    assert any("unknown signal 'segmnt' at column 1" in m for m in messages)


def test_config_refuses_red_below_above_green_from():
    with pytest.raises(ValidationError, match=r"red_below \(80.0\) must not be above green_from \(70.0\)"):
        HealthSettings(red_below=80)
