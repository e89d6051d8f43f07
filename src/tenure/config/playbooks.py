"""The `[playbooks]` section of tenure.toml: when a condition over an account's signals holds, then act.

    [playbooks]                      retry_base_seconds, digest_subject
    [playbooks.smtp]                 host, port, sender, username, password_env, starttls, timeout_seconds
    [[playbooks.rules]]              name, description, enabled, when, cooldown_days
    [[playbooks.rules.actions]]      type = task | webhook | email | digest, and that type's fields

Conditions and templates are parsed and type-checked when tenure.toml is read, against every column of
the table playbooks run over (tenure.vocabulary.scopes.scored: the signals, risk flags, journey stage
and moments, health score and band). The engine checks every condition again against the real table
when it runs (tenure.conditions.compile.to_ibis), so a column promised here but missing from the table
is a ConfigError naming the playbook, never a wrong answer.

One model holds every action type's fields (rather than a union of models) so that a problem in a
field is located at that field's line; `_fits_its_type` says which fields each type takes.
"""

from __future__ import annotations

import re
import urllib.parse

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from tenure.config.checks import MAX_DAYS, in_vocabulary, require_unique
from tenure.vocabulary import scopes
from tenure.vocabulary.check import check_condition_text, check_template_text

ACTION_TYPES = ("task", "webhook", "email", "digest")
# The same vocabulary as tenure.state.models.PRIORITIES (a test keeps them equal); not imported, since
# that would load SQLAlchemy for every command that reads tenure.toml.
PRIORITIES = ("low", "normal", "high", "urgent")
WHERE = "tenure.toml [[playbooks.rules]]"
_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
_ENV = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Which fields each action type takes; `type` is every type's.
FIELDS = {
    "task": ("title", "body", "due_in_days", "priority", "owner"),
    "webhook": ("url", "secret_env", "timeout_seconds", "max_attempts"),
    "email": ("to", "subject", "body"),
    "digest": ("recipient",),
}
REQUIRED = {"task": ("title",), "webhook": ("url", "secret_env"), "email": ("to", "subject"), "digest": ("recipient",)}


def _checked_condition(text: str) -> str:
    in_vocabulary(check_condition_text, text, scopes.scored)
    return text


def _checked_template(text: str | None) -> str | None:
    if text is not None:
        in_vocabulary(check_template_text, text, scopes.scored)
    return text


class _Section(BaseModel):
    # As in settings.py (which imports this module, so it cannot be imported from here): a typo is an error.
    model_config = ConfigDict(extra="forbid", validate_default=True)


MAX_URL = 2000  # what the deliveries log holds as the target


def checked_url(value: str) -> str:
    """An http(s) URL the HTTP client can send as it is: ASCII without spaces or control characters (a
    non-ASCII path is written percent-encoded), a host, a valid port, at most MAX_URL characters."""
    if not re.match(r"^https?://[^\s/]+", value):
        raise ValueError(f"{value!r} is not an http:// or https:// URL")
    if not value.isascii() or re.search(r"[\x00-\x20\x7f]", value):
        raise ValueError(f"{value!r} holds a space, a control character or non-ASCII text; percent-encode them (%20)")
    if len(value) > MAX_URL:
        raise ValueError(f"the URL has {len(value)} characters; at most {MAX_URL}")
    parts = urllib.parse.urlsplit(value)
    try:
        parts.port  # noqa: B018 - raises ValueError for a port outside 0..65535 or not a number
    except ValueError:
        raise ValueError(f"{value!r} has an invalid port") from None
    if not parts.hostname:
        raise ValueError(f"{value!r} names no host")
    return value


class Action(_Section):
    """One thing a playbook does when it fires. Templates ({name}) are filled from the account's signals."""

    type: str = Field(description="task, webhook, email or digest.")
    title: str | None = Field(None, description="task: the title, a template.")
    body: str | None = Field(None, description="task, email: the body, a template (default empty).")
    due_in_days: int | None = Field(None, ge=0, le=MAX_DAYS, description="task: due this many days after it is created (default: no due day).")
    priority: str | None = Field(None, description="task: low, normal, high or urgent (default normal).")
    owner: str | None = Field(None, description="task: who does it, a template (default \"{owner}\", the account's owner).")
    url: str | None = Field(None, description="webhook: the http(s) URL the JSON is POSTed to.")
    secret_env: str | None = Field(None, description="webhook: the environment variable holding the HMAC secret (never the secret itself).")
    timeout_seconds: float | None = Field(None, gt=0, le=3600, description="webhook: seconds to wait for an answer (default 10).")
    max_attempts: int | None = Field(None, ge=1, le=20, description="webhook: attempts before giving up (default 5).")
    to: str | None = Field(None, description="email: the recipient, a template (\"{owner}\") or an address.")
    subject: str | None = Field(None, description="email: the subject, a template.")
    recipient: str | None = Field(None, description="digest: whose daily digest lists it, a template (\"{owner}\") or an address.")

    @field_validator("type")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in ACTION_TYPES:
            raise ValueError(f"'{value}' is not an action type; use {', '.join(ACTION_TYPES)}")
        return value

    @field_validator("title", "body", "owner", "to", "subject", "recipient")
    @classmethod
    def _template(cls, value: str | None) -> str | None:
        return _checked_template(value)

    @field_validator("priority")
    @classmethod
    def _priority(cls, value: str | None) -> str | None:
        if value is not None and value not in PRIORITIES:
            raise ValueError(f"'{value}' is not a priority; use {', '.join(PRIORITIES)}")
        return value

    @field_validator("url")
    @classmethod
    def _http(cls, value: str | None) -> str | None:
        return None if value is None else checked_url(value)

    @field_validator("secret_env")
    @classmethod
    def _env_name(cls, value: str | None) -> str | None:
        # A value that is not a variable name is most likely the secret itself, pasted where it must not be.
        if value is not None and not _ENV.match(value):
            raise ValueError("secret_env names an environment variable (such as TENURE_WEBHOOK_SECRET), not the secret")
        return value

    @model_validator(mode="after")
    def _fits_its_type(self) -> "Action":
        if self.type not in FIELDS:
            return self  # already reported by _known
        foreign = [n for n in type(self).model_fields if n != "type" and getattr(self, n) is not None
                   and n not in FIELDS[self.type]]
        missing = [n for n in REQUIRED[self.type] if getattr(self, n) is None]
        problems = [f"a {self.type} action needs {n}" for n in missing]
        problems += [f"{n} is not a field of a {self.type} action (its fields: {', '.join(FIELDS[self.type])})"
                     for n in foreign]
        for name in ("to", "recipient"):
            value = getattr(self, name)
            if value is not None and "{" not in value and "@" not in value:
                problems.append(f"{name} '{value}' is neither an email address nor a template such as \"{{owner}}\"")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class Playbook(_Section):
    """When `when` holds for an account, do `actions`; at most once per cooldown_days for each account."""

    name: str = Field(description="The playbook's name (lower case, digits, _ and -): unique; tasks carry it.")
    description: str = Field("", description="One sentence: what it is for; the digest shows it.")
    enabled: bool = Field(True, description="false keeps it in the file without running it.")
    when: str = Field(description="A condition over the account's signals (docs/playbooks.md#conditions).")
    cooldown_days: int = Field(
        30, ge=0, le=MAX_DAYS, description="After firing for an account, it does not fire for it again for this many days (0: no cool-down)."
    )
    actions: list[Action] = Field(description="[[playbooks.rules.actions]] tables: what it does, in order.")

    @field_validator("name")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError(f"'{value}' is not a playbook name; use lower-case letters, digits, _ and -, a letter first")
        return value

    @field_validator("when")
    @classmethod
    def _condition(cls, value: str) -> str:
        return _checked_condition(value)

    @field_validator("actions")
    @classmethod
    def _some(cls, value: list[Action]) -> list[Action]:
        if not value:
            raise ValueError("a playbook needs at least one action")
        if sum(a.type == "task" for a in value) > 1:
            # One open task per playbook and account is the deduplication rule, so a second could never exist.
            raise ValueError("a playbook has at most one task action")
        return value


class SmtpSettings(_Section):
    """The mail server that email actions and the daily digest are sent through."""

    host: str = Field("localhost", description="The SMTP server's host name.")
    port: int = Field(587, ge=1, le=65535, description="Its port: 587 for STARTTLS, 25 for plain relay.")
    sender: str = Field("tenure@localhost", description="The From address of every email tenure sends.")
    username: str = Field("", description="Login name; empty to send without logging in.")
    password_env: str = Field("", description="The environment variable holding the password (never the password itself).")
    starttls: bool = Field(True, description="Upgrade the connection with STARTTLS before logging in and sending.")
    timeout_seconds: float = Field(30, gt=0, le=3600, description="Seconds to wait for the server.")
    max_attempts: int = Field(3, ge=1, le=20, description="Attempts per email when the server fails for a while (4xx, unreachable).")

    @field_validator("password_env")
    @classmethod
    def _env_name(cls, value: str) -> str:
        if value and not _ENV.match(value):
            raise ValueError("password_env names an environment variable (such as TENURE_SMTP_PASSWORD), not the password")
        return value

    @model_validator(mode="after")
    def _login_needs_password(self) -> "SmtpSettings":
        if self.username and not self.password_env:
            raise ValueError("username is set, so password_env must name the variable holding the password")
        return self


# Shipped disabled: they show the shape of a playbook in every new tenure.toml, and run once enabled.
EXAMPLES = (
    dict(
        name="renewal-at-risk",
        description="A paying account near its renewal with two or more risks: a task for its owner.",
        enabled=False,
        when="mrr > 0 and days_to_renewal <= 60 and risk_count >= 2",
        cooldown_days=30,
        actions=[dict(
            type="task", title="Renewal at risk: {name} renews in {days_to_renewal} days",
            body="{risk_count} risks; {active_users_30d} active users in 30 days, NPS {nps}, MRR {mrr:,.0f}.",
            due_in_days=7, priority="high",
        )],
    ),
    dict(
        name="gone-quiet",
        description="A paying account with no activity for two weeks: listed in its owner's daily digest.",
        enabled=False,
        when="risk_gone_quiet",
        cooldown_days=14,
        actions=[dict(type="digest", recipient="{owner}")],
    ),
)


class PlaybooksSettings(_Section):
    retry_base_seconds: float = Field(
        2.0, ge=0, le=3600, description="Retries wait this long, then twice as long after each further failure (webhooks, email)."
    )
    digest_subject: str = Field("tenure: today's playbook digest", description="The subject of the daily digest email.")
    smtp: SmtpSettings | None = Field(
        None, description="A [playbooks.smtp] table: the mail server, needed by email and digest actions."
    )
    rules: list[Playbook] = Field(
        default_factory=lambda: [Playbook(**example) for example in EXAMPLES],
        description="[[playbooks.rules]] tables: the playbooks, each a condition and its actions.",
    )

    @field_validator("rules")
    @classmethod
    def _unique(cls, value: list[Playbook]) -> list[Playbook]:
        require_unique((p.name for p in value), "playbook")
        return value

    # No check that mailing playbooks have a [playbooks.smtp] here: the settings are read by every command,
    # and a dry run or a listing needs no mail server. Sending checks it (playbooks/run.py, digest.py).

    def playbook(self, name: str) -> Playbook | None:
        return next((p for p in self.rules if p.name == name), None)
