"""[playbooks] in tenure.toml: checked when read, every problem at once with its line."""

from pathlib import Path

import pytest

from tenure.config import Settings, read_settings, render_template
from tenure.config.playbooks import PRIORITIES
from tenure.errors import ConfigError
from tenure.state.models import PRIORITIES as STATE_PRIORITIES

GOOD = '''
[playbooks.smtp]
host = "mail.example.com"

[[playbooks.rules]]
name = "renewal"
when = 'band == "red" and days_to_renewal <= 90 and risk_engagement_falling'

[[playbooks.rules.actions]]
type = "task"
title = "{name} renews in {days_to_renewal} days"
due_in_days = 7
priority = "high"

[[playbooks.rules.actions]]
type = "webhook"
url = "https://hooks.example.com/tenure"
secret_env = "TENURE_WEBHOOK_SECRET"

[[playbooks.rules.actions]]
type = "digest"
recipient = "{owner}"
'''


def _read(tmp_path: Path, text: str) -> Settings:
    path = tmp_path / "tenure.toml"
    path.write_text(text)
    return read_settings(path)


def _problems(tmp_path: Path, text: str) -> list[tuple[int | None, str]]:
    with pytest.raises(ConfigError) as caught:
        _read(tmp_path, text)
    return [(p.line, p.message) for p in caught.value.problems]


def test_a_playbook_reads_with_its_actions(tmp_path):
    [playbook] = _read(tmp_path, GOOD).playbooks.rules
    assert (playbook.name, playbook.enabled, playbook.cooldown_days) == ("renewal", True, 30)
    assert [a.type for a in playbook.actions] == ["task", "webhook", "digest"]


def test_every_problem_is_reported_with_its_line(tmp_path):
    broken = (GOOD.replace('band == "red"', 'bnad == "red"')          # line 7
                  .replace("{days_to_renewal} days", "{days_to_renewal:%d} days")  # line 11
                  .replace('secret_env = "TENURE_WEBHOOK_SECRET"', 'secret = "abc"'))  # line 18
    found = _problems(tmp_path, broken)
    assert [line for line, _ in found] == [7, 11, 18]
    assert "unknown signal 'bnad' at column 1; did you mean 'band'?" in found[0][1]
    assert "the format '%d' of days_to_renewal at column 18 is not a format for numbers" in found[1][1]
    assert "'playbooks.rules.0.actions.1.secret' is not a setting" in found[2][1]


def test_a_field_of_another_action_type_is_a_problem(tmp_path):
    found = _problems(tmp_path, GOOD.replace('recipient = "{owner}"', 'recipient = "{owner}"\nurl = "https://x.example"'))
    # A problem of the action as a whole points at its [[playbooks.rules.actions]] header.
    assert found == [(20, "playbooks.rules.0.actions.2: url is not a field of a digest action (its fields: recipient)"
                          " (got url = 'https://x.example')")]


def test_a_mailing_playbook_without_a_mail_server_is_still_valid_settings(tmp_path):
    # Every command reads the settings, and a listing or a dry run sends nothing: sending checks the server.
    path = tmp_path / "tenure.toml"
    path.write_text(GOOD.replace('[playbooks.smtp]\nhost = "mail.example.com"\n', ""))
    assert read_settings(path).playbooks.smtp is None


def test_a_recipient_must_be_an_address_or_a_template(tmp_path):
    found = _problems(tmp_path, GOOD.replace('recipient = "{owner}"', 'recipient = "ana"'))
    assert "recipient 'ana' is neither an email address nor a template" in found[0][1]


def test_playbook_names_are_unique(tmp_path):
    text = GOOD + '\n[[playbooks.rules]]\nname = "renewal"\nwhen = "mrr > 0"\nactions = [{ type = "digest", recipient = "a@b.c" }]\n'
    assert "playbook names must be unique; repeated: renewal" in _problems(tmp_path, text)[0][1]


def test_the_template_ships_the_examples_disabled():
    defaults = Settings().playbooks.rules
    assert [(p.name, p.enabled) for p in defaults] == [("renewal-at-risk", False), ("gone-quiet", False)]
    assert 'name = "renewal-at-risk"' in render_template()


def test_the_priorities_are_the_state_vocabulary():
    assert PRIORITIES == STATE_PRIORITIES
