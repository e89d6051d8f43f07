"""`generate`: build the company in dependency order and write one file per table (events in chunks).

Order of the story: accounts and their hidden health -> billing (which decides churns, expansions,
win-backs) -> the timeline those imply -> users -> usage, tickets, surveys, messages, milestones.
Every stage draws from its own child of the seed, so changing one stage never reshuffles another.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa

from tenure.demo import billing as billing_mod
from tenure.demo import company, engagement, people as people_mod, support, usage as usage_mod
from tenure.demo.clock import NEVER, Window
from tenure.demo.timeline import Timeline
from tenure.demo.write import EventWriter, decimals, ids, instants, pick, write_csv

# The load order: accounts first, so every other table's account_id resolves.
TABLE_ORDER = ("accounts", "users", "subscriptions", "fx_rates", "spend", "milestones", "tickets", "surveys",
               "messages", "events")
EVENT_FORMATS = ("parquet", "csv")

Report = Callable[[str, int, int], None]


def generate(
    out_dir: Path,
    *,
    accounts: int = 500,
    months: int = 24,
    seed: int = 7,
    end: datetime.date | None = None,
    events_format: str = "parquet",
    target_events: int | None = None,
    progress: Report | None = None,
) -> dict[str, list[Path]]:
    """Write the demo company under out_dir and return {table: [files]} in load order."""
    if accounts < 1:
        raise ValueError(f"accounts must be at least 1, not {accounts}")
    if months < 1:
        raise ValueError(f"months must be at least 1, not {months}")
    if events_format not in EVENT_FORMATS:
        raise ValueError(f"events_format must be one of {', '.join(EVENT_FORMATS)}, not {events_format!r}")
    report = progress or (lambda stage, done, total: None)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    window = Window.ending(end or datetime.date.today(), months)
    streams = np.random.SeedSequence(seed).spawn(10)
    rng = [np.random.default_rng(s) for s in streams]
    steps = len(TABLE_ORDER) - 1
    report("generate the company", 0, steps)

    base = company.make_accounts(accounts, window, rng[0])
    billing = billing_mod.simulate(base, window, rng[1])
    timeline = Timeline(billing)
    people = people_mod.make_people(base, billing, window, rng[2])
    account_ids = base.columns["account_id"]

    def with_accounts(columns: dict, account: np.ndarray) -> pa.Table:
        return pa.table({**columns, "account_id": account_ids.take(pa.array(account, pa.int64()))})

    files: dict[str, list[Path]] = {}

    def csv(name: str, table: pa.Table) -> None:
        files[name] = [write_csv(table, out / f"{name}.csv")]
        report("generate the company", len(files), steps)

    csv("accounts", company.accounts_table(base, window))
    csv("users", people_mod.users_table(people, account_ids))
    csv("subscriptions", subscriptions_table(billing, base, window, account_ids))
    csv("fx_rates", company.fx_table(window, base.since, rng[3]))
    csv("spend", company.spend_table(base, window, rng[4]))
    columns, account = engagement.milestones(base, billing, window, rng[5])
    csv("milestones", with_accounts(columns, account))
    found = support.tickets(base, people, timeline, window, rng[6])
    csv("tickets", with_accounts(found["columns"], found["account"]))
    columns, account = support.surveys(base, people, timeline, window, found["facts"], rng[7])
    csv("surveys", with_accounts(columns, account))
    columns, account = engagement.messages(base, people, timeline, billing, window, rng[8])
    csv("messages", with_accounts(columns, account))

    usage = usage_mod.make_usage(base, people, timeline, window, rng[9])
    scale, plan = usage_mod.plan_files(usage, target_events)
    files["events"] = []
    suffix = "parquet" if events_format == "parquet" else "csv"
    writer: EventWriter | None = None
    for file_no, batch in usage_mod.event_tables(usage, account_ids, scale, plan, seed):
        if writer is None or file_no == len(files["events"]):
            if writer is not None:
                writer.close()
            files["events"].append(out / f"events-{file_no:05d}.{suffix}")
            writer = EventWriter(files["events"][-1], events_format, batch.schema)
            report("generate events", file_no, len(plan))
        writer.write(batch)
    if writer is not None:
        writer.close()
    report("generate events", len(plan), len(plan))
    return {name: files[name] for name in TABLE_ORDER}


def subscriptions_table(billing, base, window: Window, account_ids: pa.Array) -> pa.Table:
    rows = billing.rows
    # One id per (account, subscription number), numbered in account order.
    _, number = np.unique(rows["account"] * 64 + rows["sub_no"], return_inverse=True)
    open_ = rows["end"] >= NEVER
    clock = base.clock[rows["account"]]
    return pa.table({
        "subscription_id": ids("sub_", number + 1, 7),
        "account_id": account_ids.take(pa.array(rows["account"])),
        "plan": pick(billing_mod.PLANS, rows["plan"]),
        "start_date": instants(window.micros(rows["start"], clock)),
        "end_date": instants(window.micros(np.where(open_, 0, rows["end"]), clock), open_),
        "amount": decimals(rows["cents"]),
        "currency": pick(company.CURRENCIES, base.currency[rows["account"]]),
        "interval_months": pa.array(rows["interval"]),
        "quantity": pa.array(rows["seats"]),
        "is_trial": pa.array(rows["trial"]),
    })
