"""A dry run lists what would fire, and why, and writes nothing."""

from datetime import date

import pytest

from tenure.playbooks import evaluate, run
from tests.playbooks.conftest import NOW, counts, settings

EVERYTHING = {
    "name": "red", "when": 'band == "red"', "cooldown_days": 0,
    "actions": [
        {"type": "task", "title": "{name} is red", "due_in_days": 3},
        {"type": "webhook", "url": "http://127.0.0.1:9/never", "secret_env": "UNSET_IN_A_DRY_RUN"},
        {"type": "email", "to": "{owner}", "subject": "{name} is red"},
        {"type": "digest", "recipient": "cs-leads@example.com"},
    ],
}


def test_a_dry_run_writes_and_sends_nothing(store, signals):
    # The webhook's URL has nothing listening and its secret is unset: a dry run needs neither.
    config = settings(EVERYTHING, smtp_port=9)
    outcomes = run(store, evaluate(config, signals), settings=config, dry_run=True, now=NOW)
    assert [(o.account_id, o.outcome, o.dry_run) for o in outcomes] == [("acc_1", "fired", True), ("acc_3", "fired", True)]
    assert counts(store) == {"tasks": 0, "playbook_runs": 0, "deliveries": 0}


def test_a_dry_run_says_why_and_what_each_action_would_do(store, signals):
    config = settings(EVERYTHING, smtp_port=9)
    first = run(store, evaluate(config, signals), settings=config, dry_run=True, now=NOW)[0]
    assert first.why == {"band": "red"}
    assert first.actions == [
        {"type": "task", "title": "Acme is red", "body": "", "owner": "ana@example.com", "priority": "normal",
         "due_on": date(2026, 11, 26)},
        {"type": "webhook", "url": "http://127.0.0.1:9/never"},
        {"type": "email", "to": "ana@example.com", "subject": "Acme is red", "body": ""},
        {"type": "digest", "recipient": "cs-leads@example.com"},
    ]


def test_a_dry_run_reports_deduplication(store, signals):
    task_only = {**EVERYTHING, "actions": EVERYTHING["actions"][:1]}
    config = settings(task_only)
    run(store, evaluate(config, signals), settings=config, now=NOW)
    before = counts(store)
    outcomes = run(store, evaluate(config, signals), settings=config, dry_run=True, now=NOW)
    assert [o.outcome for o in outcomes] == ["deduplicated", "deduplicated"]
    assert counts(store) == before


def test_a_dry_run_needs_no_mail_server_and_a_real_run_names_it(store, signals):
    from tenure.errors import ConfigError

    mailing = {**EVERYTHING, "actions": [EVERYTHING["actions"][2], EVERYTHING["actions"][3]]}  # email, digest
    config = settings(mailing)  # no [playbooks.smtp]
    outcomes = run(store, evaluate(config, signals), settings=config, dry_run=True, now=NOW)
    assert [(o.account_id, o.outcome) for o in outcomes] == [("acc_1", "fired"), ("acc_3", "fired")]
    with pytest.raises(ConfigError) as raised:
        run(store, evaluate(config, signals), settings=config, now=NOW)
    assert [p.message for p in raised.value.problems] == ["playbooks red send email, so [playbooks.smtp] must name the mail server"]
    assert counts(store) == {"tasks": 0, "playbook_runs": 0, "deliveries": 0}


def test_a_digest_only_playbook_runs_without_a_mail_server(store, signals):
    # A digest action only queues an item; `tenure playbooks digest` sends, and needs the server then.
    config = settings({**EVERYTHING, "actions": [EVERYTHING["actions"][3]]})
    outcomes = run(store, evaluate(config, signals), settings=config, now=NOW)
    assert [(o.account_id, o.outcome) for o in outcomes] == [("acc_1", "fired"), ("acc_3", "fired")]
