"""[journey] in tenure.toml: the defaults, and every problem reported at once with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenure.config import Settings, read_settings, render_template
from tenure.config.journey import DEFAULT_STAGES
from tenure.errors import ConfigError


def _problems(tmp_path: Path, journey_text: str) -> list:
    path = tmp_path / "tenure.toml"
    path.write_text(journey_text)
    with pytest.raises(ConfigError) as caught:
        read_settings(path)
    return caught.value.problems


def test_the_template_reads_back_as_the_default_journey(tmp_path: Path):
    path = tmp_path / "tenure.toml"
    path.write_text(render_template())
    assert read_settings(path).journey == Settings().journey


def test_the_default_stages_end_with_adoption_which_takes_every_account_left():
    assert [s.name for s in Settings().journey.stages] == [n for n, _ in DEFAULT_STAGES]
    assert Settings().journey.stages[-1].when is None


def test_condition_problems_are_reported_with_the_line_of_their_when(tmp_path: Path):
    problems = _problems(tmp_path, (
        "[[journey.stages]]\n"            # 1
        'name = "at_risk"\n'              # 2
        'when = "mrr == \\"x\\""\n'       # 3: a number compared with text
        "[[journey.stages]]\n"            # 4
        'name = "new"\n'                  # 5
        'when = "acount_age_days < 30"\n' # 6: a typo
        "[[journey.stages]]\n"            # 7
        'name = "other"\n'                # 8
    ))
    assert [p.line for p in problems] == [3, 6]
    assert "compares a number (mrr) with text" in problems[0].message
    assert "did you mean 'account_age_days'" in problems[1].message


def test_only_the_last_stage_may_go_without_a_condition(tmp_path: Path):
    problems = _problems(tmp_path, (
        "[[journey.stages]]\n"
        'name = "everyone"\n'
        "[[journey.stages]]\n"
        'name = "trial"\n'
        'when = "on_trial"\n'
    ))
    assert len(problems) == 1
    assert "exactly one stage, the last, has no `when`" in problems[0].message
    assert problems[0].line == 1


def test_repeated_stage_names_are_a_problem(tmp_path: Path):
    problems = _problems(tmp_path, (
        '[[journey.stages]]\nname = "a"\nwhen = "on_trial"\n'
        '[[journey.stages]]\nname = "a"\n'
    ))
    assert "stage names must be unique; repeated: a" in problems[0].message


def test_milestone_problems_are_all_reported_with_their_lines(tmp_path: Path):
    problems = _problems(tmp_path, (
        "[[journey.milestones]]\n"          # 1
        'name = "both"\n'                   # 2
        'events = ["login"]\n'              # 3
        'milestone = "go_live"\n'           # 4
        "expected_days = 7\n"               # 5
        "[[journey.milestones]]\n"          # 6
        'name = "blank"\n'                  # 7
        'events = [""]\n'                   # 8
        "expected_days = 7\n"               # 9
        "[[journey.milestones]]\n"          # 10
        'name = "customer_with_count"\n'    # 11
        'milestone = "go_live"\n'           # 12
        "min_count = 2\n"                   # 13
        "expected_days = 7\n"               # 14
    ))
    assert [p.line for p in problems] == [1, 8, 10]
    assert "set exactly one of events (functional) or milestone (customer)" in problems[0].message
    assert "none of them empty" in problems[1].message
    assert "min_count and within_days are for functional milestones" in problems[2].message


def test_repeated_milestone_names_are_a_problem(tmp_path: Path):
    problems = _problems(tmp_path, (
        '[[journey.milestones]]\nname = "m"\nmilestone = "go_live"\nexpected_days = 7\n'
        '[[journey.milestones]]\nname = "m"\nevents = ["login"]\nexpected_days = 7\n'
    ))
    assert "milestone names must be unique; repeated: m" in problems[0].message


def test_a_moment_reason_names_a_known_moment_and_a_valid_condition(tmp_path: Path):
    problems = _problems(tmp_path, (
        "[[journey.moments]]\n"             # 1
        'moment = "upsell"\n'               # 2
        'reason = "r"\n'                    # 3
        'when = "seat_utilisation"\n'       # 4: a number, not true/false
    ))
    assert [p.line for p in problems] == [2, 4]
    assert "'upsell' is not a moment" in problems[0].message
    assert "the condition is a number, not true/false" in problems[1].message
