"""The email action, received by a real local SMTP server."""

from tenure.playbooks import evaluate, run
from tenure.state.models import Delivery
from tests.playbooks.conftest import NOW, rows, settings

LOW_NPS = {"name": "low-nps", "when": "nps < 0", "cooldown_days": 0,
           "actions": [{"type": "email", "to": "{owner}", "subject": "{name}: NPS {nps}",
                        "body": "{name} scored NPS {nps} and pays {mrr:,.2f} a month."}]}


def test_the_email_arrives_with_its_subject_and_body(store, signals, smtp_server):
    config = settings(LOW_NPS, smtp_port=smtp_server.port)
    [outcome] = run(store, evaluate(config, signals), settings=config, now=NOW)
    [mail] = smtp_server.mails
    assert (mail.sender, mail.recipients) == ("tenure@example.com", ["ana@example.com"])
    assert (mail.message["From"], mail.message["To"], mail.message["Subject"]) == (
        "tenure@example.com", "ana@example.com", "Acme: NPS -20")
    assert mail.message.get_content() == "Acme scored NPS -20 and pays 1,200.00 a month.\n"
    assert outcome.actions[0]["status"] == "delivered"
    assert [(d["channel"], d["target"], d["status"]) for d in rows(store, Delivery)] == [
        ("email", "ana@example.com", "delivered")]


def test_a_server_busy_for_a_while_is_tried_again(store, signals, smtp_server):
    smtp_server.refuse = 1  # 451 to the first message
    config = settings(LOW_NPS, smtp_port=smtp_server.port)
    run(store, evaluate(config, signals), settings=config, now=NOW)
    assert len(smtp_server.mails) == 1
    assert [(d["attempt"], d["status"], d["error"]) for d in rows(store, Delivery)] == [
        (1, "failed", "SMTP 451 try again later"), (2, "delivered", None)]


def test_an_account_without_an_owner_is_logged_as_undeliverable(store, signals, smtp_server):
    rule = {**LOW_NPS, "when": 'account_id == "acc_3"'}
    config = settings(rule, smtp_port=smtp_server.port)
    run(store, evaluate(config, signals), settings=config, now=NOW)
    assert smtp_server.mails == []
    assert [(d["status"], d["error"]) for d in rows(store, Delivery)] == [
        ("failed", "no recipient: the account has no owner")]
