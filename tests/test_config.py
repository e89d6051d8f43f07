"""tenure.toml: defaults, documentation of every setting, and every problem reported with its line."""

from pathlib import Path

import pytest

from tenure.config import Settings, read_settings, render_template
from tenure.errors import ConfigError


def test_template_reads_back_as_the_defaults(tmp_path: Path):
    path = tmp_path / "tenure.toml"
    path.write_text(render_template())
    assert read_settings(path) == Settings()


def test_every_setting_is_documented():
    for section in Settings.model_fields.values():
        assert section.description
        for name, field in section.annotation.model_fields.items():
            assert field.description, f"setting {name} has no description"


def test_all_problems_are_reported_at_once_with_their_lines(tmp_path: Path):
    path = tmp_path / "tenure.toml"
    path.write_text(
        "[workspace]\n"
        'currency = "XYZ"\n'
        "gross_margin = 1.5\n"
        'timezone = "Mars/Olympus"\n'
        "[warehouse]\n"
        'memory_limit = "lots"\n'
        "colour = 1\n"
    )
    with pytest.raises(ConfigError) as caught:
        read_settings(path)
    lines = sorted(p.line for p in caught.value.problems)
    assert lines == [2, 3, 4, 6, 7]
    assert all(p.file == str(path) for p in caught.value.problems)
    assert "'warehouse.colour' is not a setting" in str(caught.value)


def test_a_toml_syntax_error_names_its_line(tmp_path: Path):
    path = tmp_path / "tenure.toml"
    path.write_text("[workspace]\ncurrency = \n")
    with pytest.raises(ConfigError) as caught:
        read_settings(path)
    assert caught.value.problems[0].line == 2


def test_every_setting_is_in_the_settings_page():
    page = (Path(__file__).parents[1] / "docs" / "settings.md").read_text()
    for section_name, section in Settings.model_fields.items():
        assert f"`[{section_name}]`" in page
        for name in section.annotation.model_fields:
            assert f"| `{name}` |" in page, f"{section_name}.{name} is not documented in docs/settings.md"


def test_a_value_milestone_alone_replaces_the_default_value_event(tmp_path: Path):
    path = tmp_path / "tenure.toml"
    path.write_text(render_template().replace('event = "report_shared"', 'milestone = "go_live"'))
    value = read_settings(path).events.value
    assert (value.event, value.milestone) == (None, "go_live")


def test_a_value_event_and_milestone_together_are_a_problem(tmp_path: Path):
    path = tmp_path / "tenure.toml"
    path.write_text(render_template().replace('event = "report_shared"', 'event = "report_shared"\nmilestone = "go_live"'))
    with pytest.raises(ConfigError) as caught:
        read_settings(path)
    assert "set exactly one of event or milestone" in str(caught.value)


def test_a_check_of_a_whole_section_names_its_values_not_the_section(tmp_path: Path):
    # [health] holds the scorecards too: the problem is two numbers, and the message must not dump the rest.
    path = tmp_path / "tenure.toml"
    path.write_text("[health]\nred_below = 80.0\ngreen_from = 70.0\n")
    with pytest.raises(ConfigError) as caught:
        read_settings(path)
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (1, "health: red_below (80.0) must not be above green_from (70.0)")
    ]


def test_a_check_of_a_table_shows_the_values_it_names(tmp_path: Path):
    path = tmp_path / "tenure.toml"
    path.write_text('[[journey.milestones]]\nname = "both"\nevents = ["login"]\nmilestone = "go_live"\nexpected_days = 7\n')
    with pytest.raises(ConfigError) as caught:
        read_settings(path)
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (1, "journey.milestones.0: milestone 'both': set exactly one of events (functional) or milestone (customer) "
            "(got events = ['login'], milestone = 'go_live')")
    ]
