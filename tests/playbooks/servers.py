"""Real local servers for the delivery tests: an HTTP endpoint that checks the webhook signature as a
receiver would, and a minimal SMTP server. Both run in a thread on 127.0.0.1 and a free port.

The SMTP server is a few lines of the standard library's socketserver (smtpd left Python in 3.12), so
the test extras need no aiosmtpd: it speaks the commands smtplib sends, HELO/EHLO to QUIT."""

from __future__ import annotations

import email
import email.policy
import hashlib
import hmac
import json
import socketserver
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    signature_ok: bool

    def json(self) -> dict:
        return json.loads(self.body)


class WebhookReceiver:
    """Answers each POST with the next scripted status (200 once the script runs out), and records it
    with whether its X-Tenure-Signature is the HMAC-SHA256 of the body under `secret`."""

    def __init__(self, secret: str, statuses: list[int] | None = None):
        self.secret = secret.encode()
        self.statuses = list(statuses or [])
        self.received: list[Received] = []
        self.gets: list[str] = []  # paths asked for with GET: a client that followed a redirect
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = "sha256=" + hmac.new(receiver.secret, body, hashlib.sha256).hexdigest()
                given = self.headers.get("X-Tenure-Signature", "")
                receiver.received.append(Received(dict(self.headers), body, hmac.compare_digest(expected, given)))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", "/moved")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self) -> None:
                receiver.gets.append(self.path)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:  # keep the test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Mail:
    sender: str
    recipients: list[str]
    message: email.message.EmailMessage


@dataclass
class SmtpServer:
    """Accepts every message; `refuse` answers the next that many MAIL commands with 451 (try later)."""

    refuse: int = 0
    mails: list[Mail] = field(default_factory=list)

    def __post_init__(self) -> None:
        smtp = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")

            def handle(self) -> None:
                sender, recipients = "", []
                self.reply("220 127.0.0.1 test SMTP")
                while line := self.rfile.readline():
                    command = line.decode().strip()
                    verb = command.split(" ", 1)[0].upper()
                    if verb == "EHLO":
                        self.reply("250-127.0.0.1")
                        self.reply("250 8BITMIME")
                    elif verb == "MAIL" and smtp.refuse > 0:
                        smtp.refuse -= 1
                        self.reply("451 try again later")
                    elif verb == "MAIL":
                        sender, recipients = command.split(":", 1)[1].strip().strip("<>"), []
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                        self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 end with <CRLF>.<CRLF>")
                        data = []
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            data.append(chunk[1:] if chunk.startswith(b"..") else chunk)  # undo dot-stuffing
                        # Lines travel as CRLF; stored with \n, as a mailbox would keep them.
                        raw = b"".join(data).replace(b"\r\n", b"\n")
                        message = email.message_from_bytes(raw, policy=email.policy.default)
                        smtp.mails.append(Mail(sender, recipients, message))
                        self.reply("250 OK queued")
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    elif verb in ("HELO", "RSET", "NOOP"):
                        self.reply("250 OK")
                    else:
                        self.reply("502 not implemented")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
