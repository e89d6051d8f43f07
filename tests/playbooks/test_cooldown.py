"""The cool-down: no firing for the same playbook and account within cooldown_days of its last firing."""

from datetime import timedelta

from tenure.playbooks import evaluate, run
from tenure.state.models import PlaybookRun
from tests.playbooks.conftest import NOW, rows, settings

# A digest-only playbook, so deduplication (open tasks) plays no part.
QUIET = {"name": "quiet", "when": "account_id == \"acc_2\"", "cooldown_days": 7,
         "actions": [{"type": "digest", "recipient": "{owner}"}]}


def _run(store, signals, at, rule=QUIET):
    config = settings(rule, smtp_port=2525)
    return run(store, evaluate(config, signals), settings=config, now=at)


def test_within_the_cool_down_it_does_not_fire(store, signals):
    _run(store, signals, NOW)
    [outcome] = _run(store, signals, NOW + timedelta(days=7) - timedelta(seconds=1))
    assert outcome.outcome == "cooling_down"
    assert outcome.detail == "fired 2026-11-23T09:00:00+00:00; again from 2026-11-30T09:00:00+00:00"


def test_exactly_cooldown_days_later_it_fires_again(store, signals):
    _run(store, signals, NOW)
    [outcome] = _run(store, signals, NOW + timedelta(days=7))
    assert outcome.outcome == "fired"
    assert [r["fired_at"] for r in rows(store, PlaybookRun)] == [NOW, NOW + timedelta(days=7)]


def test_the_cool_down_counts_from_the_last_firing(store, signals):
    _run(store, signals, NOW)
    _run(store, signals, NOW + timedelta(days=7))
    [outcome] = _run(store, signals, NOW + timedelta(days=10))
    assert outcome.outcome == "cooling_down"


def test_a_zero_cool_down_fires_every_run(store, signals):
    rule = {**QUIET, "cooldown_days": 0}
    _run(store, signals, NOW, rule)
    [outcome] = _run(store, signals, NOW + timedelta(seconds=1), rule)
    assert outcome.outcome == "fired"


def test_another_playbook_has_its_own_cool_down(store, signals):
    _run(store, signals, NOW)
    [outcome] = _run(store, signals, NOW + timedelta(days=1), {**QUIET, "name": "other"})
    assert outcome.outcome == "fired"
