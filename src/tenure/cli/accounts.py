"""`tenure accounts` (the usage profile, one row per account) and `tenure account ID` (one customer's 360)."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import pyarrow as pa
import typer
from rich.table import Table

from tenure.cli.context import opened
from tenure.cli.health import render_why
from tenure.cli.options import AccountId, AsOf, Csv, Desc, Json, Sql
from tenure.cli.output import compact_money, console, emit_json, human, print_sql, rich_table, show

# The terminal table shows what fits on a screen; --json and --csv carry every column.
TABLE_COLUMNS = (
    "account_id", "name", "mrr", "tier", "active_users_30d", "active_days_30d", "login_trend", "breadth", "open_tickets",
)


def accounts(
    sort: Annotated[Optional[str], typer.Option("--sort", help="Order by this column (ascending; --desc to reverse).")] = None,
    desc: Desc = False,
    tier: Annotated[Optional[str], typer.Option("--tier", help="Only accounts of this tier: power, core, casual, dormant.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=0, max=10**9, help="At most this many rows (0 = all).")] = 0,
    as_of: AsOf = None,
    json_: Json = False,
    csv_: Csv = False,
    sql: Sql = False,
) -> None:
    """Per-account usage profile: active users and days (30 days vs the 30 before), logins, tier, breadth,
    engagement, NPS/CSAT, open tickets, MRR (docs/metrics/accounts.md)."""
    show(lambda ws: ws.accounts_expr(as_of, sort=sort, descending=desc, tier=tier, limit=limit or None),
         json_=json_, csv_=csv_, sql=sql, title="Accounts", columns=TABLE_COLUMNS)


def account(account_id: AccountId, as_of: AsOf = None, json_: Json = False, sql: Sql = False) -> None:
    """One account as of a day: revenue and its movements, usage, engagement, tickets, surveys, milestones,
    its open tasks and notes, and why its health scores what it does."""
    with opened(read_only=True) as ws:
        if sql:
            print_sql(ws, ws.account_expr(account_id, as_of))
            print_sql(ws, {f"health {name}": expr for name, expr in ws.health_why_expr(account_id, as_of).items()})
            return
        view = ws.account(account_id, as_of)
        view["health"] = ws.health_why(account_id, as_of)  # the health section (docs/health.md), last
        currency = ws.settings.workspace.currency
    if json_:
        emit_json(view)
        return
    _render(view, currency)
    console.print()
    render_why(view["health"])


def _render(view: dict, currency: str) -> None:
    a = view["account"]
    title = f"[bold]{a['name'] or a['account_id']}[/] ({a['account_id']})"
    facts = [a["segment"], f"owner {a['owner']}" if a["owner"] else None, f"since {a['created_at']:%Y-%m-%d}"]
    console.print(f"{title}  {'  ·  '.join(f for f in facts if f)}  ·  as of {view['as_of']}")

    console.print(f"\n[bold]Revenue[/]  MRR {compact_money(a['mrr'])} {currency}")
    if view["movements"]:
        console.print(_rows(view["movements"][-8:], ("month", "kind", "amount", "after_mrr")))

    trend = "–" if a["login_trend"] is None else f"{a['login_trend']:+.0%}"
    breadth = "–" if a["breadth"] is None else f"{a['breadth']:.0%} ({a['features_used_30d']} features)"
    last = f"{a['last_active_day']} ({a['days_since_active']} days ago)" if a["last_active_day"] else "never"
    console.print(f"\n[bold]Usage[/]  tier [bold]{a['tier']}[/]")
    console.print(_pairs([
        ("active users, 30 days (30 before)", f"{a['active_users_30d']} ({a['active_users_prev_30d']})"),
        ("active days, 30 days (30 before)", f"{a['active_days_30d']} ({a['active_days_prev_30d']})"),
        ("logins, 30 days (30 before)", f"{a['logins_30d']} ({a['logins_prev_30d']}), trend {trend}"),
        ("logins per active user a week", human("", a["logins_per_user_week"])),
        ("feature breadth", breadth),
        ("kb views / content views / password resets", f"{a['kb_views_30d']} / {a['content_views_30d']} / {a['password_resets_30d']}"),
        ("last active", last),
    ]))
    console.print(_rows(view["usage_by_month"], ("month", "active_days", "active_users", "logins")))

    console.print("\n[bold]Engagement and voice[/]")
    console.print(_pairs([
        ("messages, 30 days", f"{a['messages_30d']}: opened {_pct(a['open_rate_30d'])}, clicked {_pct(a['click_rate_30d'])}"),
        ("NPS", f"{human('', a['nps'])} ({a['nps_responses']} responses)"),
        ("CSAT", f"{_pct(a['csat'])} ({a['csat_responses']} responses)"),
    ]))
    if view["surveys"]:
        console.print(_rows(view["surveys"], ("responded_at", "kind", "score", "comment")))

    console.print(f"\n[bold]Tickets[/]  {a['open_tickets']} open, {a['tickets_30d']} created in 30 days")
    if view["tickets"]:
        shown = [{**t, "state": "open" if t["open"] else "solved"} for t in view["tickets"]]
        console.print(_rows(shown, ("ticket_id", "created_at", "priority", "state", "subject")))

    console.print("\n[bold]Milestones[/]")
    console.print(_rows(view["milestones"], ("achieved_at", "milestone", "note")) if view["milestones"] else "none yet")

    # The work on the account, from the app state: what is open, and what people wrote down.
    console.print(f"\n[bold]Open tasks[/]  {len(view['tasks'])}")
    if view["tasks"]:
        console.print(_rows(view["tasks"], ("id", "title", "owner", "priority", "due_on", "playbook")))
    console.print(f"\n[bold]Notes[/]  {len(view['notes'])}")
    if view["notes"]:
        console.print(_rows(view["notes"], ("created_at", "author", "body")))


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _pairs(pairs: list[tuple[str, str]]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim")
    grid.add_column()
    for label, value in pairs:
        grid.add_row(label, value)
    return grid


def _rows(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> Table:
    return rich_table(pa.Table.from_pylist([{c: r[c] for c in columns} for r in rows]), columns=columns)
