"""The digest: items queued by playbooks, sent once a day as one email per recipient."""

from datetime import timedelta

from tenure.playbooks import digest, evaluate, run
from tenure.state.models import Delivery
from tests.playbooks.conftest import NOW, counts, rows, settings

RED = {"name": "red", "description": "Accounts in the red band.", "when": 'band == "red"', "cooldown_days": 0,
       "actions": [{"type": "digest", "recipient": "lead@example.com"}]}
RICH = {"name": "big", "when": "mrr > 50", "cooldown_days": 0, "actions": [{"type": "digest", "recipient": "{owner}"}]}


def _queue(store, signals, port, *rules):
    config = settings(*rules, smtp_port=port)
    run(store, evaluate(config, signals), settings=config, now=NOW)
    return config


def test_running_queues_digest_items_without_sending(store, signals, smtp_server):
    _queue(store, signals, smtp_server.port, RED)
    assert smtp_server.mails == []
    assert [(d["channel"], d["target"], d["status"]) for d in rows(store, Delivery)] == [
        ("digest", "lead@example.com", "pending"), ("digest", "lead@example.com", "pending")]


def test_one_email_per_recipient_lists_its_items(store, signals, smtp_server):
    config = _queue(store, signals, smtp_server.port, RED, RICH)
    later = NOW + timedelta(hours=8)
    sent = digest(store, config, now=later, names={"acc_1": "Acme"})
    assert sorted(mail.recipients[0] for mail in smtp_server.mails) == ["ana@example.com", "bo@example.com",
                                                                         "lead@example.com"]
    lead = next(m.message for m in smtp_server.mails if m.recipients == ["lead@example.com"])
    assert lead["Subject"] == "tenure: today's playbook digest"
    assert lead.get_content() == (
        "2 playbook items since the last digest.\n"
        "\n"
        "red: Accounts in the red band.\n"
        "  - Acme (acc_1), 2026-11-23 09:00 UTC\n"
        "  - acc_3, 2026-11-23 09:00 UTC\n"
    )
    assert [e.status for e in sent] == ["delivered"] * 3
    assert {d["status"] for d in rows(store, Delivery)} == {"delivered"}


def test_a_sent_item_is_not_sent_again(store, signals, smtp_server):
    config = _queue(store, signals, smtp_server.port, RED)
    digest(store, config, now=NOW + timedelta(hours=1))
    assert digest(store, config, now=NOW + timedelta(days=1)) == []
    assert len(smtp_server.mails) == 1


def test_a_dry_run_composes_the_digest_and_sends_nothing(store, signals, smtp_server):
    config = _queue(store, signals, smtp_server.port, RED)
    before = rows(store, Delivery)
    [email] = digest(store, config, dry_run=True, now=NOW + timedelta(hours=1))
    assert (email.recipient, email.status, len(email.items)) == ("lead@example.com", "pending", 2)
    assert smtp_server.mails == [] and rows(store, Delivery) == before


def test_a_failed_digest_is_queued_again_for_the_next_one(store, signals, smtp_server):
    config = _queue(store, signals, smtp_server.port, {**RED, "when": 'account_id == "acc_1"'})
    smtp_server.refuse = 3  # every attempt of this digest (max_attempts 3) is told to try later
    [email] = digest(store, config, now=NOW + timedelta(hours=1))
    assert (email.status, email.error) == ("failed", "SMTP 451 try again later")
    assert [(d["attempt"], d["status"]) for d in rows(store, Delivery)] == [(1, "failed"), (2, "pending")]
    digest(store, config, now=NOW + timedelta(days=1))
    assert len(smtp_server.mails) == 1
    assert counts(store)["deliveries"] == 2 and rows(store, Delivery)[1]["status"] == "delivered"
