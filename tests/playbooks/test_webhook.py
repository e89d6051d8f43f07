"""The webhook action: signed JSON POSTed to a real local server, retried on 5xx, every attempt logged."""

from datetime import timedelta

import pytest

from tenure.errors import ConfigError
from tenure.playbooks import deliveries, evaluate, run
from tests.playbooks.conftest import NOW, counts, rows, settings
from tenure.state.models import Delivery


def hook(url: str, **fields) -> dict:
    return {"name": "hook", "when": 'account_id == "acc_1"', "cooldown_days": 0,
            "actions": [{"type": "webhook", "url": url, "secret_env": "TEST_WEBHOOK_SECRET", **fields}]}


def test_the_webhook_is_received_with_a_valid_signature(store, signals, receiver, secret):
    config = settings(hook(receiver.url))
    [outcome] = run(store, evaluate(config, signals), settings=config, now=NOW)
    [received] = receiver.received
    assert received.signature_ok
    assert received.json() == {"playbook": "hook", "account_id": "acc_1", "run_id": 1,
                               "fired_at": "2026-11-23T09:00:00+00:00", "signals": {}}
    assert received.headers["Content-Type"] == "application/json"
    assert received.headers["X-Tenure-Timestamp"].isdigit()
    assert outcome.actions[0] | {} == {"type": "webhook", "url": receiver.url, "status": "delivered", "attempts": 1}


def test_the_payload_carries_the_signals_the_playbook_read(store, signals, receiver, secret):
    rule = hook(receiver.url)
    rule["when"] = 'band == "red" and mrr > 1000'
    config = settings(rule)
    run(store, evaluate(config, signals), settings=config, now=NOW)
    assert receiver.received[0].json()["signals"] == {"band": "red", "mrr": 1200}


def test_a_500_then_a_200_is_two_deliveries_logged(store, signals, receiver, secret):
    receiver.statuses = [500]
    config = settings(hook(receiver.url))
    run(store, evaluate(config, signals), settings=config, now=NOW)
    assert len(receiver.received) == 2 and all(r.signature_ok for r in receiver.received)
    logged = [(d["attempt"], d["status"], d["http_status"]) for d in rows(store, Delivery)]
    assert logged == [(1, "failed", 500), (2, "delivered", 200)]
    assert receiver.received[0].body == receiver.received[1].body  # the same signed body, sent again


def test_it_gives_up_after_max_attempts(store, signals, receiver, secret):
    receiver.statuses = [503, 503, 503]
    config = settings(hook(receiver.url, max_attempts=3))
    [outcome] = run(store, evaluate(config, signals), settings=config, now=NOW)
    assert [d["status"] for d in rows(store, Delivery)] == ["failed", "failed", "failed"]
    assert outcome.actions[0]["status"] == "failed" and outcome.actions[0]["attempts"] == 3


def test_a_4xx_is_not_retried(store, signals, receiver, secret):
    receiver.statuses = [400]
    config = settings(hook(receiver.url))
    run(store, evaluate(config, signals), settings=config, now=NOW)
    assert [(d["attempt"], d["status"], d["error"]) for d in rows(store, Delivery)] == [(1, "failed", "HTTP 400 Bad Request")]


def test_backoff_doubles_between_attempts(store, signals, receiver, secret):
    receiver.statuses = [500, 502, 504]
    waits = []
    config = settings(hook(receiver.url), retry_base_seconds=1.5)
    run(store, evaluate(config, signals), settings=config, now=NOW, sleep=waits.append)
    assert waits == [1.5, 3.0, 6.0]


def test_an_unreachable_server_is_retried_and_logged(store, signals, secret):
    config = settings(hook("http://127.0.0.1:9/nothing-listens", max_attempts=2))
    run(store, evaluate(config, signals), settings=config, now=NOW)
    found = deliveries(store)
    assert [(d["attempt"], d["status"], d["http_status"]) for d in found] == [(2, "failed", None), (1, "failed", None)]
    assert found[0]["error"].startswith("cannot reach http://127.0.0.1:9/nothing-listens")
    assert (found[0]["playbook"], found[0]["account_id"], found[0]["channel"]) == ("hook", "acc_1", "webhook")


def test_a_missing_secret_stops_the_run_before_anything_is_written(store, signals, receiver, monkeypatch):
    monkeypatch.delenv("TEST_WEBHOOK_SECRET", raising=False)
    config = settings(hook(receiver.url))
    with pytest.raises(ConfigError, match=r"\$TEST_WEBHOOK_SECRET is not set; hook needs it"):
        run(store, evaluate(config, signals), settings=config, now=NOW + timedelta(days=1))
    assert counts(store) == {"tasks": 0, "playbook_runs": 0, "deliveries": 0}
    assert receiver.received == []
