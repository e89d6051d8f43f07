"""`tenure playbooks list|run|matches|digest|deliveries`: playbooks on the command line (docs/playbooks.md)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from tenure.cli.context import opened
from tenure.cli.options import AsOf, Csv, DryRun, Json, Sql
from tenure.cli.output import console, emit_json, human, show

app = typer.Typer(no_args_is_help=True, help="Playbooks: when a condition holds, act (docs/playbooks.md).")

DELIVERY_COLUMNS = ("id", "attempted_at", "playbook", "account_id", "channel", "target", "attempt", "status",
                    "http_status", "error")

# The warehouse is only read (signals); the writes go to the state database, so it is opened read-only.


@app.command("list")
def list_(json_: Json = False) -> None:
    """The playbooks in tenure.toml: condition, cool-down and actions."""
    with opened(read_only=True) as ws:
        found = [p.model_dump() for p in ws.settings.playbooks.rules]
    if json_:
        emit_json(found)
        return
    if not found:
        console.print("No playbooks: add [[playbooks.rules]] to tenure.toml (docs/playbooks.md).")
        return
    view = Table(title="Playbooks", header_style="bold")
    for column in ("name", "enabled", "when", "cooldown_days", "actions"):
        view.add_column(column)
    for p in found:
        actions = ", ".join(a["type"] for a in p["actions"])
        view.add_row(Text(p["name"]), "yes" if p["enabled"] else "no", Text(p["when"]), str(p["cooldown_days"]), actions)
    console.print(view)


@app.command("run")
def run(
    dry_run: DryRun = False,
    as_of: AsOf = None,
    json_: Json = False,
) -> None:
    """Evaluate every enabled playbook and act on the accounts it fires for (tasks, webhooks, email, digest)."""
    with opened(read_only=True) as ws:
        outcomes = [o.to_dict() for o in ws.run_playbooks(as_of=as_of, dry_run=dry_run)]
        defined = [p.name for p in ws.settings.playbooks.rules]
        none_enabled = not any(p.enabled for p in ws.settings.playbooks.rules)
    if json_:
        emit_json(outcomes)
        return
    if none_enabled:
        console.print(f"No playbook is enabled ({len(defined)} defined: {', '.join(defined) or 'none'}), so nothing "
                      "was evaluated; set enabled = true on one in tenure.toml (docs/playbooks.md).", highlight=False)
        return
    counts = {name: sum(o["outcome"] == name for o in outcomes) for name in ("fired", "deduplicated", "cooling_down", "failed")}
    verb = "would fire" if dry_run else "fired"
    console.print(f"{counts['fired']} {verb}, {counts['deduplicated']} deduplicated (open task),"
                  f" {counts['cooling_down']} cooling down"
                  + (f", {counts['failed']} failed (nothing written for them)." if counts["failed"] else "."), highlight=False)
    if not outcomes:
        return
    view = Table(header_style="bold")
    for column in ("playbook", "account_id", "outcome", "why", "actions"):
        view.add_column(column)
    for o in outcomes:
        why = ", ".join(f"{k}={human(k, v)}" for k, v in o["why"].items())
        view.add_row(Text(o["playbook"]), Text(o["account_id"]), o["outcome"] if not o["detail"] else f"{o['outcome']}: {o['detail']}",
                     Text(why), Text("; ".join(_action(a) for a in o["actions"])))
    console.print(view)


@app.command("matches")
def matches(
    name: Annotated[str, typer.Argument(metavar="PLAYBOOK", help="The playbook's name.")],
    as_of: AsOf = None,
    json_: Json = False,
    csv_: Csv = False,
    sql: Sql = False,
) -> None:
    """The accounts one playbook's condition holds for, with the values it reads; nothing is acted on."""
    show(lambda ws: ws.playbook_matches_expr(name, as_of), json_=json_, csv_=csv_, sql=sql, title=f"{name} matches")


@app.command("digest")
def digest(dry_run: DryRun = False, json_: Json = False) -> None:
    """Send the queued digest items: one email per recipient. Run it once a day."""
    with opened(read_only=True) as ws:
        emails = [e.to_dict() for e in ws.playbook_digest(dry_run=dry_run)]
    if json_:
        emit_json(emails)
        return
    if not emails:
        console.print("No digest items queued.")
    for e in emails:
        state = "would send" if dry_run else e["status"]
        console.print(f"[bold]{escape(e['recipient'])}[/]: {len(e['items'])} items, {state}"
                      + (f" ({escape(e['error'])})" if e["error"] else ""), highlight=False)
        if dry_run:
            console.print(Text(e["body"]))


@app.command("deliveries")
def deliveries(
    playbook: Annotated[Optional[str], typer.Option("--playbook", help="Only this playbook's deliveries.")] = None,
    status: Annotated[Optional[str], typer.Option("--status", help="pending, delivered or failed.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10**9, help="At most this many, newest first.")] = 100,
    json_: Json = False,
) -> None:
    """Every webhook, email and digest delivery attempt, newest first."""
    with opened(read_only=True) as ws:
        found = ws.playbook_deliveries(playbook=playbook, status=status, limit=limit)
    if json_:
        emit_json(found)
        return
    if not found:
        console.print("No deliveries.")
        return
    view = Table(title="Deliveries", header_style="bold")
    for column in DELIVERY_COLUMNS:
        view.add_column(column, justify="right" if column in ("id", "attempt", "http_status") else "left")
    for row in found:
        view.add_row(*(Text("" if row[c] is None else str(row[c]) if c in ("id", "http_status") else human(c, row[c]))
                       for c in DELIVERY_COLUMNS))
    console.print(view)


def _action(action: dict) -> str:
    kind = action["type"]
    if kind == "task":
        text = f"task '{action['title']}' for {action['owner'] or 'nobody'}"
        text += f" due {action['due_on']}" if action["due_on"] else ""
    elif kind == "webhook":
        text = f"webhook {action['url']}"
    elif kind == "email":
        text = f"email {action['to'] or 'nobody'}: {action['subject']}"
    else:
        text = f"digest for {action['recipient'] or 'nobody'}"
    return text + (f" [{action['status']}]" if action.get("status") else "")
