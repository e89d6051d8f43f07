"""The demo company's tenure.toml (the defaults, with playbooks enabled that act inside tenure alone),
and an example change to the health scorecard to try `tenure health diff` on (proposed.toml).

A new user should see the platform work, not a list of disabled examples: `tenure demo` runs these
playbooks as of the demo's last day, so the owners find open tasks (`tenure tasks`) straight away.
They only create tasks, so they need no mail server, webhook or secret. They stay ordinary
configuration: the demo's tenure.toml lists them, to edit or disable like any playbook.
"""

from __future__ import annotations

from tenure.config import Settings
from tenure.config.playbooks import EXAMPLES, PlaybooksSettings

RENEWAL_AT_RISK = {**next(e for e in EXAMPLES if e["name"] == "renewal-at-risk"), "enabled": True}
PLAYBOOKS = (
    RENEWAL_AT_RISK,
    dict(
        name="turned-red",
        description="A paying account whose health score is in the red band: its owner calls this week.",
        when='mrr > 0 and band == "red"',
        cooldown_days=30,
        actions=[dict(
            type="task", title="{name} is red (health {score:.0f}): call the champion",
            body="{risk_count} risks; {active_users_30d} active users in 30 days; NPS {nps}; MRR {mrr:,.0f}.",
            due_in_days=3, priority="urgent",
        )],
    ),
    dict(
        name="expansion-moment",
        description="A healthy paying account showing signs it needs more: its owner opens the conversation.",
        when='mrr > 0 and expansion_moment and band == "green"',
        cooldown_days=90,
        actions=[dict(
            type="task", title="Expansion: talk to {name} about growing",
            body="{active_users_30d} active users in 30 days on {seats} seats; MRR {mrr:,.0f}.",
            due_in_days=14, priority="normal",
        )],
    ),
)


def demo_settings() -> Settings:
    """The settings `tenure demo` writes to its workspace's tenure.toml."""
    return Settings(playbooks=PlaybooksSettings(rules=list(PLAYBOOKS)))


PROPOSED_FILE = "proposed.toml"
# Written by hand, whole, as a user would write one: a proposal reads on its own.
PROPOSED_HEALTH = """\
# A proposed change to the health scorecard: see what it would do before adopting it, with
#   tenure health diff proposed.toml
# A file holding only [health] is a whole tenure.toml: every other setting keeps its default.
# To write your own, copy the [health] section of tenure.toml here and change it.
#
# Proposed: usage weighs 40 instead of 30, email engagement no longer counts (it measured the
# newsletter, not the customer), and green starts at 75 instead of 70.
[health]
red_below = 40.0
green_from = 75.0

[[health.scorecards]]
name = "customers"
applies_to = "mrr > 0"

[[health.scorecards.categories]]
name = "usage"
weight = 40.0
measures = [
  { signal = "active_days_30d", weight = 2.0, red = 8.0, green = 22.0 },
  { signal = "days_since_active", weight = 1.0, red = 14.0, green = 2.0 },
  { signal = "login_trend", weight = 1.0, red = -0.5, green = 0.1 },
]

[[health.scorecards.categories]]
name = "adoption"
weight = 20.0
measures = [
  { signal = "breadth", weight = 1.0, red = 0.3, green = 0.8 },
  { signal = "seat_utilisation", weight = 1.0, red = 0.3, green = 0.8 },
]

[[health.scorecards.categories]]
name = "support"
weight = 15.0
measures = [
  { signal = "open_tickets", weight = 1.0, bands = [{ below = 1.0, score = 100.0 }, { below = 3.0, score = 60.0 }, { below = 6.0, score = 30.0 }, { score = 0.0 }] },
  { signal = "tickets_30d", weight = 1.0, red = 6.0, green = 1.0 },
]

[[health.scorecards.categories]]
name = "voice"
weight = 15.0
measures = [
  { signal = "nps", weight = 1.0, red = -50.0, green = 50.0 },
  { signal = "csat", weight = 1.0, red = 0.6, green = 0.9 },
]

[[health.scorecards.categories]]
name = "revenue"
weight = 10.0
measures = [
  { signal = "mrr_trend", weight = 1.0, red = -0.2, green = 0.05 },
]
"""
