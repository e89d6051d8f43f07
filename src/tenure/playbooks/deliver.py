"""Sending: a signed webhook POST, an email through SMTP, each retried with exponential backoff when the
failure is likely to pass (a 5xx, a timeout, a refused connection, an SMTP 4xx) and never otherwise.

Both are the standard library (urllib, smtplib): one request or message at a time needs nothing more.
An attempt reports its outcome as an `Attempt`; the caller logs each one as a Delivery row.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import smtplib
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Callable, Iterator

from tenure.config.playbooks import SmtpSettings

SIGNATURE_HEADER = "X-Tenure-Signature"
TIMESTAMP_HEADER = "X-Tenure-Timestamp"
# 408 and 429 say "later", like a 5xx; any other 4xx will not change by asking again.
RETRY_STATUSES = frozenset({408, 429})


@dataclass(frozen=True)
class Attempt:
    ok: bool
    retry: bool  # whether another attempt could succeed
    http_status: int | None = None
    error: str | None = None


def body_of(payload: dict) -> bytes:
    """The exact bytes sent and signed: sorted keys and no spaces, so a receiver can re-serialise to compare."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(body: bytes, secret: str) -> str:
    """The X-Tenure-Signature value: HMAC-SHA256 of the body under the secret, as GitHub signs webhooks."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A 3xx is the receiver's answer, not an instruction: followed, the POST would become a GET without its
    body (still signed) and be logged as delivered. Refusing it here makes urllib raise the 3xx as an HTTPError."""

    def redirect_request(self, *args, **kwargs):  # noqa: ARG002
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def post_webhook(url: str, body: bytes, secret: str, *, timeout: float, now: Callable[[], float] = time.time) -> Attempt:
    try:
        return _post(url, body, secret, timeout=timeout, now=now)
    except (ValueError, UnicodeError, http.client.HTTPException) as error:
        # Not attempted at all (a URL or header the HTTP client refuses): asking again changes nothing.
        return Attempt(ok=False, retry=False, error=f"cannot send to {url!r}: {error}")


def _post(url: str, body: bytes, secret: str, *, timeout: float, now: Callable[[], float]) -> Attempt:
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json",
        "User-Agent": "tenure-playbooks",
        SIGNATURE_HEADER: sign(body, secret),
        # When this attempt was sent; the body's fired_at (signed) is when the playbook fired.
        TIMESTAMP_HEADER: str(int(now())),
    })
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return Attempt(ok=True, retry=False, http_status=response.status)
    except urllib.error.HTTPError as error:
        status = error.code
        note = " (redirects are not followed)" if 300 <= status < 400 else ""
        return Attempt(ok=False, retry=status >= 500 or status in RETRY_STATUSES, http_status=status,
                       error=f"HTTP {status} {error.reason}{note}")
    except (urllib.error.URLError, socket.timeout, ConnectionError, OSError) as error:
        reason = getattr(error, "reason", error)
        return Attempt(ok=False, retry=True, error=f"cannot reach {url}: {reason}")


def send_email(smtp: SmtpSettings, password: str | None, *, to: str, subject: str, body: str) -> Attempt:
    message = EmailMessage()
    message["From"] = smtp.sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_seconds) as server:
            if smtp.starttls:
                server.starttls()
            if smtp.username:
                server.login(smtp.username, password or "")
            server.send_message(message)
    except smtplib.SMTPResponseException as error:
        # 4xx is "try again later" in SMTP; 5xx is final (unknown mailbox, refused).
        text = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else str(error.smtp_error)
        return Attempt(ok=False, retry=400 <= error.smtp_code < 500, error=f"SMTP {error.smtp_code} {text}")
    except smtplib.SMTPRecipientsRefused as error:
        return Attempt(ok=False, retry=False, error=f"recipient refused: {error.recipients}")
    except (smtplib.SMTPException, OSError) as error:
        return Attempt(ok=False, retry=True, error=f"cannot send through {smtp.host}:{smtp.port}: {error}")
    return Attempt(ok=True, retry=False)


def with_retries(send: Callable[[], Attempt], *, max_attempts: int, base_seconds: float,
                 sleep: Callable[[float], None] = time.sleep) -> Iterator[Attempt]:
    """Each attempt as it happens, waiting base, 2 x base, 4 x base ... between them; stops at the first
    success, a failure that would not pass, or max_attempts."""
    for number in range(1, max_attempts + 1):
        attempt = send()
        yield attempt
        if attempt.ok or not attempt.retry or number == max_attempts:
            return
        sleep(base_seconds * 2 ** (number - 1))
