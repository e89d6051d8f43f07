"""The service layer: what a user can ask of tenure, one module per area, under every adapter.

    arguments   days, months and "today" parsed once, with errors naming the parameter
    loading     load files, their rejects, what the workspace holds, refresh the derived tables
    metrics     the monthly metric families, the movement ledger, exact daily usage
    accounts    the usage profile of every account, one account's 360, signals and risk flags
    health      scores, why an account scores so, a changed scorecard's diff, the history
    journey     stages, milestones, moments and the stage history
    queries     product-usage lifecycle and retention, and the units behind a cell
    lifetime    sBG cohorts and Kaplan-Meier survival
    backtest    the scorecard against what happened next, and churn risk today
    playbooks   the conditions over today's signals, their actions, the digest, the deliveries
    tasks       tasks and notes on accounts (app state)

Each function takes what it needs as keyword arguments (the warehouse, a settings section, the day)
and checks its inputs once, raising UsageError in the core's words ({parameter}); figures come back
as Ibis expressions, so an adapter may run them or print their SQL. The CLI, the Python API
(`tenure.Workspace`) and the server call these functions and differ only in parsing and rendering.
Nothing here reads the clock or knows an adapter: "today" is an argument. Importing the package is
cheap: each function imports the engine code it calls when it runs.
"""

from tenure.services import (
    accounts, arguments, backtest, health, journey, lifetime, loading, metrics, playbooks, queries, tasks,
)

__all__ = [
    "accounts", "arguments", "backtest", "health", "journey", "lifetime", "loading", "metrics", "playbooks",
    "queries", "tasks",
]
