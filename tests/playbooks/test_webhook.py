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


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_a_failed_attempt_not_followed(store, signals, receiver, secret, status):
    receiver.statuses = [status]
    config = settings(hook(receiver.url))
    [outcome] = run(store, evaluate(config, signals), settings=config, now=NOW)
    assert receiver.gets == [] and len(receiver.received) == 1  # never asked for /moved
    [(attempt, state, http_status, error)] = [(d["attempt"], d["status"], d["http_status"], d["error"])
                                              for d in rows(store, Delivery)]
    assert (attempt, state, http_status) == (1, "failed", status)
    assert error.startswith(f"HTTP {status} ") and error.endswith("(redirects are not followed)")
    assert outcome.actions[0]["status"] == "failed"


@pytest.mark.parametrize("url", [
    "https://hooks.example.com/caf\u00e9",      # non-ASCII path
    "https://hooks.example.com/a b",           # a space
    "https://hooks.example.com/a\r\nX-Injected: 1",  # CR/LF: a header injection
    "https://hooks.example.com:99999/hook",    # no such port
    "https://hooks.example.com/" + "a" * 2000,
])
def test_a_url_the_http_client_cannot_send_is_a_config_problem(url):
    with pytest.raises(ValueError, match="holds a space|invalid port|at most 2000"):
        settings(hook(url))


def test_a_delivery_that_cannot_be_attempted_is_failed_with_its_reason(store, signals, secret):
    # Past the config check (a URL built in code): the HTTP client refuses it before sending anything.
    from tenure.playbooks.deliver import post_webhook

    attempt = post_webhook("http://127.0.0.1:1/a\nb", b"{}", "s", timeout=1)
    assert (attempt.ok, attempt.retry) == (False, False)
    assert attempt.error.startswith("cannot send to 'http://127.0.0.1:1/a\\nb': ")
