"""A workspace is a folder: tenure.toml (configuration as code) plus the embedded warehouse file.

Every method that returns figures has an `*_expr` twin returning the Ibis expression, so any figure
can show the SQL that produced it (`Workspace.sql`).
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence
from zoneinfo import ZoneInfo

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from tenure.config import Settings, read_settings, render_template
from tenure.errors import DataError, UsageError, WorkspaceError
from tenure.metrics import calendar
from tenure.warehouse import Warehouse

CONFIG_FILE = "tenure.toml"
ENV_VAR = "TENURE_WORKSPACE"

if TYPE_CHECKING:  # tenure.state imports SQLAlchemy and Alembic: loaded only when state is used
    from tenure.state import StateStore
    from tenure.state.models import Note, Task


class Workspace:
    def __init__(self, path: Path, settings: Settings, warehouse: Warehouse):
        self.path = path
        self.settings = settings
        self.warehouse = warehouse
        self._state: StateStore | None = None

    # -- finding, creating, opening -------------------------------------------------------------

    @staticmethod
    def locate(path: str | os.PathLike | None = None) -> Path:
        """The workspace folder: the explicit path, else $TENURE_WORKSPACE, else the current folder."""
        chosen = Path(path) if path else Path(os.environ[ENV_VAR]) if os.environ.get(ENV_VAR) else Path.cwd()
        if not (chosen / CONFIG_FILE).is_file():
            raise WorkspaceError(
                f"{chosen} is not a tenure workspace (no {CONFIG_FILE}); create one with `tenure init {chosen}`"
            )
        return chosen

    @classmethod
    def init(cls, path: str | os.PathLike, *, force: bool = False) -> "Workspace":
        """Create a workspace: a commented tenure.toml with every default, and an empty warehouse."""
        folder = Path(path)
        config = folder / CONFIG_FILE
        if config.exists() and not force:
            raise WorkspaceError(f"{folder} is already a workspace ({CONFIG_FILE} exists); use --force to replace it")
        folder.mkdir(parents=True, exist_ok=True)
        if force:
            # A forced init starts from nothing: the old warehouse would not match a new configuration.
            for stale in (Settings().warehouse.path, Settings().warehouse.path + ".wal"):
                (folder / stale).unlink(missing_ok=True)
        config.write_text(render_template(), encoding="utf-8")
        return cls.open(folder)

    @classmethod
    def open(cls, path: str | os.PathLike | None = None, *, read_only: bool = False) -> "Workspace":
        folder = cls.locate(path)
        settings = read_settings(folder / CONFIG_FILE)
        warehouse = Warehouse.connect(folder / settings.warehouse.path, settings, read_only=read_only, root=folder)
        return cls(folder, settings, warehouse)

    def close(self) -> None:
        self.warehouse.close()
        if self._state is not None:
            self._state.close()

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- app state: tasks and notes (tenure/state/, docs/settings.md) ------------------------------
    # Each call is one transaction; the rows come back detached, readable after it has committed.

    def state(self) -> StateStore:
        """The app state database ([state] url or $TENURE_STATE_URL), opened and migrated on first use."""
        if self._state is None:
            from tenure.state import StateStore, resolve_url

            self._state = StateStore.open(resolve_url(self.settings.state.url, self.path))
        return self._state

    def tasks(self, *, owner: str | None = None, account: str | None = None, status: str = "open") -> list[Task]:
        """Tasks filtered by owner, account and status (open, done, dismissed or all), soonest due first."""
        from tenure.state.tasks import list_tasks

        with self.state().session() as session:
            return list_tasks(session, owner=owner, account=account, status=status)

    def add_task(
        self,
        account_id: str,
        title: str,
        *,
        body: str = "",
        owner: str | None = None,
        priority: str = "normal",
        due_on: date | str | None = None,
    ) -> Task:
        """A new open task on an account, written by a person (playbooks pass their name to create_task)."""
        from tenure.state.tasks import create_task

        due = None if due_on is None else self._day(due_on, "--due")
        with self.state().session() as session:
            return create_task(
                session, account_id=account_id, title=title, body=body, owner=owner, priority=priority, due_on=due
            )

    def complete_task(self, task_id: int) -> Task:
        from tenure.state.tasks import complete_task

        with self.state().session() as session:
            return complete_task(session, task_id)

    def add_note(self, account_id: str, body: str, *, author: str | None = None) -> Note:
        from tenure.state.notes import add_note

        with self.state().session() as session:
            return add_note(session, account_id=account_id, body=body, author=author)

    def notes(self, account_id: str) -> list[Note]:
        """An account's notes, oldest first."""
        from tenure.state.notes import list_notes

        with self.state().session() as session:
            return list_notes(session, account_id=account_id)

    # -- loading --------------------------------------------------------------------------------

    def load(
        self,
        table: str,
        files: Sequence[str | os.PathLike],
        *,
        format: str | None = None,
        strict: bool = False,
        progress: Callable[[str, int, int], None] | None = None,
    ):
        """Load files into a contract table; see tenure.warehouse.load.load_files."""
        from tenure.warehouse.load import load_files

        return load_files(self.warehouse, table, [Path(f) for f in files], fmt=format, strict=strict, progress=progress)

    def rejects_expr(self, table: str | None = None, *, all_loads: bool = False) -> ir.Table:
        from tenure.warehouse.load import rejects_expr

        return rejects_expr(self.warehouse, table, all_loads=all_loads)

    def rejects(self, table: str | None = None, *, all_loads: bool = False) -> pa.Table:
        """Rows rejected by the latest load of each table (or of every load), with file, row, column, value, reason."""
        return self.rejects_expr(table, all_loads=all_loads).to_pyarrow()

    # -- revenue ----------------------------------------------------------------------------------

    def month_range(self, start: str | None = None, end: str | None = None, *, default_months: int = 12) -> tuple[int, int]:
        """Month indexes for --from/--to; by default the last `default_months` months up to the current one."""
        last = calendar.parse_month(end, option="--to") if end else calendar.current_month(self.settings.workspace.timezone)
        first = calendar.parse_month(start, option="--from") if start else last - default_months + 1
        if first > last:
            raise UsageError(f"--from {calendar.month_label(first)} is after --to {calendar.month_label(last)}")
        return first, last

    def monthly_expr(self, family: str, start: str | None = None, end: str | None = None, *, by: str | None = None) -> ir.Table:
        """The monthly rows of a metric family (tenure.metrics.families) from --from to --to, split by `by`."""
        from tenure.metrics.families import FAMILIES

        if family not in FAMILIES:
            raise UsageError(f"unknown metric family '{family}'; the families are: {', '.join(FAMILIES)}")
        chosen = FAMILIES[family]
        first, last = self.month_range(start, end)
        if chosen.breakdown:
            return chosen.build(self.warehouse, first, last, by=by)
        if by is not None:
            raise UsageError(f"--by: the {family} family has no breakdowns yet")
        return chosen.build(self.warehouse, first, last)

    def monthly(self, family: str, start: str | None = None, end: str | None = None, *, by: str | None = None) -> pa.Table:
        return self.monthly_expr(family, start, end, by=by).to_pyarrow()

    def revenue_expr(self, start: str | None = None, end: str | None = None) -> ir.Table:
        return self.monthly_expr("revenue", start, end)

    def revenue(self, start: str | None = None, end: str | None = None) -> pa.Table:
        """Monthly revenue rows (docs/metrics/revenue.md): MRR, movements, churn rates, NRR/GRR, quick ratio, LTV."""
        return self.monthly("revenue", start, end)

    def renewals_expr(self, start: str | None = None, end: str | None = None) -> ir.Table:
        return self.monthly_expr("renewals", start, end)

    def renewals(self, start: str | None = None, end: str | None = None) -> pa.Table:
        """Monthly renewal rows keyed by the due month: due, renewed, logo and dollar renewal rates."""
        return self.monthly("renewals", start, end)

    def movements_expr(self, account: str | None = None) -> ir.Table:
        from tenure.metrics.ledger import movements

        return movements(self.warehouse, account=account)

    def movements(self, account: str | None = None) -> pa.Table:
        """The classified MRR movement ledger: one row per change of an account's MRR."""
        return self.movements_expr(account).to_pyarrow()

    # -- customer success families (docs/metrics/{support,surveys,acquisition,engagement}.md) -------
    # `by` splits the rows by an accounts column, a custom attribute or `plan` (metrics/breakdown.py).

    def support_expr(self, start: str | None = None, end: str | None = None, *, by: str | None = None) -> ir.Table:
        return self.monthly_expr("support", start, end, by=by)

    def support(self, start: str | None = None, end: str | None = None, *, by: str | None = None) -> pa.Table:
        """Monthly support rows: tickets, first response and resolution hours, fcr, escalation, reopen, csat."""
        return self.monthly("support", start, end, by=by)

    def surveys_expr(self, start: str | None = None, end: str | None = None, *, by: str | None = None) -> ir.Table:
        return self.monthly_expr("surveys", start, end, by=by)

    def surveys(self, start: str | None = None, end: str | None = None, *, by: str | None = None) -> pa.Table:
        """Monthly voice-of-the-customer rows: NPS with its counts, CSAT, CES."""
        return self.monthly("surveys", start, end, by=by)

    def account_voice_expr(self, as_of: date | str | None = None) -> ir.Table:
        from tenure.metrics.surveys import account_voice

        return account_voice(self.warehouse, self._as_of(as_of))

    def account_voice(self, as_of: date | str | None = None) -> pa.Table:
        """Per account: NPS and CSAT over the windows of [surveys] ending `as_of` (default today)."""
        return self.account_voice_expr(as_of).to_pyarrow()

    def acquisition_expr(self, start: str | None = None, end: str | None = None, *, by: str | None = None) -> ir.Table:
        return self.monthly_expr("acquisition", start, end, by=by)

    def acquisition(self, start: str | None = None, end: str | None = None, *, by: str | None = None) -> pa.Table:
        """Monthly acquisition rows: spend, new customers, CAC, CAC payback, LTV:CAC (by="channel" splits spend)."""
        return self.monthly("acquisition", start, end, by=by)

    def engagement_expr(self, start: str | None = None, end: str | None = None, *, by: str | None = None) -> ir.Table:
        return self.monthly_expr("engagement", start, end, by=by)

    def engagement(self, start: str | None = None, end: str | None = None, *, by: str | None = None) -> pa.Table:
        """Monthly email/in-app rows: messages sent, open and click rates."""
        return self.monthly("engagement", start, end, by=by)

    def account_engagement_expr(self, as_of: date | str | None = None) -> ir.Table:
        from tenure.metrics.engagement import account_engagement

        return account_engagement(self.warehouse, self._as_of(as_of))

    def account_engagement(self, as_of: date | str | None = None) -> pa.Table:
        """Per account: messages, open and click rates over the 30 days ending `as_of` (default today)."""
        return self.account_engagement_expr(as_of).to_pyarrow()

    def _as_of(self, as_of: date | str | None) -> date:
        if as_of is None:
            return datetime.now(ZoneInfo(self.settings.workspace.timezone)).date()
        return self._day(as_of, "--as-of")

    # -- refresh and product usage (docs/metrics/usage.md) ----------------------------------------
    # Usage figures read the daily rollup that `refresh` builds, never raw events (warehouse/refresh.py).

    def refresh(self, *, progress: Callable[[str, int, int], None] | None = None, health: bool = False):
        """Rebuild the derived tables (the daily activity rollup) from the loaded events; run after loading.
        With health (as `tenure refresh` does), then score today into the health history and sample today's
        stages into the stage history, replaying the past when the settings they depend on changed
        (docs/health.md, docs/journey.md): off by default, a replay takes seconds a day."""
        from tenure.warehouse.refresh import refresh

        done = refresh(self.warehouse, progress=progress)
        if health:
            # Here, not in warehouse.refresh: the warehouse sits below signals, journey and health.
            from tenure.health.history import refresh_history
            from tenure.journey import refresh_journey
            from tenure.journey.history import HISTORY
            from tenure.warehouse.refresh import Refreshed

            from tenure.health.scored import materialise

            today = self._as_of(None)
            scored = materialise(self.warehouse, today)  # computed once, read by both histories
            done.append(refresh_history(self.warehouse, today, progress=progress, scored=scored))
            if progress:
                progress(f"refresh {HISTORY}", 0, 1)
            stages = refresh_journey(self.warehouse, today, signals=scored)
            done.append(Refreshed(HISTORY, stages.spells, done[0].events_load_id))
            if progress:
                progress(f"refresh {HISTORY}", 1, 1)
        return done

    def usage_expr(self, start: str | None = None, end: str | None = None, *, by: str | None = None) -> ir.Table:
        return self.monthly_expr("usage", start, end, by=by)

    def usage(self, start: str | None = None, end: str | None = None, *, by: str | None = None) -> pa.Table:
        """Monthly usage rows: average DAU, WAU and MAU at month end, stickiness; for users and accounts."""
        return self.monthly("usage", start, end, by=by)

    def daily_usage_expr(
        self, first_day: date | str | None = None, last_day: date | str | None = None, *, by: str | None = None,
        ordered: bool = True,
    ) -> ir.Table:
        """Exact daily usage from first_day (default: 29 days before last_day) to last_day (default today)."""
        from tenure.metrics.usage import daily_usage

        last = self._as_of(None) if last_day is None else self._day(last_day, "--to")
        first = last - timedelta(days=29) if first_day is None else self._day(first_day, "--from")
        if first > last:
            raise UsageError(f"--from {first} is after --to {last}")
        return daily_usage(self.warehouse, first, last, by=by, ordered=ordered)

    def daily_usage(
        self, first_day: date | str | None = None, last_day: date | str | None = None, *, by: str | None = None
    ) -> pa.Table:
        """Per day: exact DAU, WAU, MAU (trailing 1, 7, 30 days ending the day), for users and accounts."""
        return self.daily_usage_expr(first_day, last_day, by=by).to_pyarrow()

    @staticmethod
    def _day(value: date | str, option: str) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise UsageError(f"{option}: '{value}' is not a day; write YYYY-MM-DD") from None

    # -- accounts: the per-account usage profile and the customer-360 (docs/metrics/accounts.md) -----

    def accounts_expr(
        self,
        as_of: date | str | None = None,
        *,
        sort: str | None = None,
        descending: bool = False,
        tier: str | None = None,
        limit: int | None = None,
    ) -> ir.Table:
        from tenure.metrics.profile import COLUMNS, TIERS, account_profile

        if sort is not None and sort not in COLUMNS:
            raise UsageError(f"--sort: unknown column '{sort}'; the columns are: {', '.join(COLUMNS)}")
        if tier is not None and tier not in TIERS:
            raise UsageError(f"--tier: '{tier}' is not a tier; the tiers are: {', '.join(TIERS)}")
        if limit is not None and limit < 0:
            raise UsageError(f"--limit: {limit} is negative")
        rows = account_profile(self.warehouse, self._as_of(as_of))
        if tier is not None:
            rows = rows.filter(rows.tier == tier)
        if sort is not None:
            # account_id breaks ties, so equal values list in a stable order; nulls go last either way.
            key = ibis.desc(sort, nulls_first=False) if descending else ibis.asc(sort, nulls_first=False)
            rows = rows.order_by([key, "account_id"])
        return rows.limit(limit) if limit else rows

    def accounts(
        self,
        as_of: date | str | None = None,
        *,
        sort: str | None = None,
        descending: bool = False,
        tier: str | None = None,
        limit: int | None = None,
    ) -> pa.Table:
        """The usage profile, one row per account as of a day (default today): users, days and logins over
        the last 30 days and the 30 before, tier, breadth, engagement, NPS/CSAT, tickets, MRR."""
        return self.accounts_expr(as_of, sort=sort, descending=descending, tier=tier, limit=limit).to_pyarrow()

    def account_expr(self, account_id: str, as_of: date | str | None = None) -> dict[str, ir.Table]:
        """The expression of each section of `account`, by name."""
        from tenure.metrics.account_detail import sections

        day = self._as_of(as_of)
        accounts = self.warehouse.table("accounts")
        found = accounts.filter(accounts.account_id == account_id).select(created=accounts.created_at.date())
        created = found.to_pyarrow().column("created").to_pylist()
        if not created:
            raise UsageError(f"unknown account '{account_id}'; `tenure accounts` lists them")
        if created[0] > day:
            raise UsageError(f"account '{account_id}' was created on {created[0]}, after --as-of {day}")
        return sections(self.warehouse, account_id, day)

    def account(self, account_id: str, as_of: date | str | None = None) -> dict:
        """One account as of a day: its profile row, MRR movements, monthly usage, recent tickets and
        survey responses, milestones (lists of row dicts; `as_of` the day)."""
        day = self._as_of(as_of)
        found = {name: expr.to_pyarrow().to_pylist() for name, expr in self.account_expr(account_id, day).items()}
        return {"as_of": day, "account": found.pop("profile")[0], **found}

    # -- signals and risks (docs/signals.md) ------------------------------------------------------------
    # One row per account evaluated point-in-time: what health scores, playbooks and the backtest read.

    def signals_expr(self, as_of: date | str | None = None) -> ir.Table:
        from tenure.signals import account_signals

        return account_signals(self.warehouse, self._as_of(as_of))

    def signals(self, as_of: date | str | None = None) -> pa.Table:
        """Every per-account signal as of a day (default today), one row per account (docs/signals.md)."""
        return self.signals_expr(as_of).to_pyarrow()

    def risks_expr(self, as_of: date | str | None = None) -> ir.Table:
        from tenure.signals import risk_flags, risk_rules

        return risk_flags(self.signals_expr(as_of), risk_rules(self.settings))

    def risks(self, as_of: date | str | None = None) -> pa.Table:
        """The signals with risk_<name> per risk rule of the workspace and risk_count, as of a day."""
        return self.risks_expr(as_of).to_pyarrow()

    # -- playbooks (docs/playbooks.md): conditions evaluated in the engine, actions on the app state ----

    def playbook_signals_expr(self, as_of: date | str | None = None) -> ir.Table:
        """The table playbooks run over (tenure.playbooks.playbook_signals): the day's signals, risk
        flags, journey stage and moments, and health score and band."""
        from tenure.playbooks import playbook_signals

        return playbook_signals(self, self._as_of(as_of))

    def playbook_matches_expr(self, name: str, as_of: date | str | None = None) -> ir.Table:
        """The accounts one playbook fires for, with the columns it reads: its query, for --sql."""
        from tenure.playbooks import matches_expr

        playbook = self.settings.playbooks.playbook(name)
        if playbook is None:
            known = ", ".join(p.name for p in self.settings.playbooks.rules) or "none"
            raise UsageError(f"no playbook '{name}'; the playbooks are: {known}")
        return matches_expr(playbook, self.playbook_signals_expr(as_of))

    def run_playbooks(self, *, as_of: date | str | None = None, dry_run: bool = False, now: datetime | None = None):
        """Evaluate every enabled playbook on the signals as of a day (default today) and act on what fires,
        or with dry_run list what would fire and why, writing nothing. A list of tenure.playbooks.Outcome."""
        from tenure.health.scored import materialise
        from tenure.playbooks import evaluate, run

        # Computed once: every playbook's condition is a query over the same table.
        fires = evaluate(self.settings.playbooks, materialise(self.warehouse, self._as_of(as_of)))
        return run(self.state(), fires, settings=self.settings.playbooks, dry_run=dry_run, now=now,
                   timezone=self.settings.workspace.timezone)

    def playbook_digest(self, *, dry_run: bool = False, now: datetime | None = None):
        """Send the queued digest items, one email per recipient (dry_run: compose them only)."""
        from tenure.playbooks import digest, queued

        ids = sorted({item["account_id"] for item in queued(self.state(), now=now)})
        names = {}
        if ids:
            accounts = self.warehouse.table("accounts")
            rows = accounts.filter(accounts.account_id.isin(ids)).select("account_id", "name").to_pyarrow().to_pylist()
            names = {row["account_id"]: row["name"] for row in rows if row["name"]}
        return digest(self.state(), self.settings.playbooks, dry_run=dry_run, now=now, names=names)

    def playbook_deliveries(self, *, playbook: str | None = None, status: str | None = None, limit: int = 100) -> list[dict]:
        """Every webhook, email and digest delivery attempt, newest first."""
        from tenure.playbooks import deliveries

        return deliveries(self.state(), playbook=playbook, status=status, limit=limit)

    # -- lifetime models (docs/metrics/lifetime.md) ----------------------------------------------------
    # The cohort tables and durations are engine expressions; only their small results reach scipy and
    # lifelines. `as_of` (default today) fixes "now": the censoring day and the periods that have elapsed.

    def sbg_cohorts_expr(self, cohort: str = "month", start: str | None = None, end: str | None = None, *,
                         period: str = "month", segment: str | None = None, as_of: date | str | None = None) -> ir.Table:
        from tenure.models.cohorts import sbg_cohorts

        return sbg_cohorts(self.warehouse, **self._cohort_options(cohort, start, end, period, segment, as_of))

    def sbg_cohorts(self, cohort: str = "month", start: str | None = None, end: str | None = None, *,
                    period: str = "month", segment: str | None = None, as_of: date | str | None = None) -> pa.Table:
        """Signup cohorts (month | quarter | year of the first payment, within --from/--to) as survival
        tables: cohort, cohort_start, period, survivors (customers alive at the start of the period)."""
        return self.sbg_cohorts_expr(cohort, start, end, period=period, segment=segment, as_of=as_of).to_pyarrow()

    def fit_sbg_cohorts(self, cohort: str = "month", start: str | None = None, end: str | None = None, *,
                        period: str = "month", segment: str | None = None, as_of: date | str | None = None,
                        periods: int = 12, discount: float | None = None, renewals: int | None = None,
                        margin: float | None = None) -> dict:
        """The sBG fitted on all the cohorts jointly: alpha, beta, log_likelihood, survival, retention, the
        cohorts' observed survival beside the fitted curve and, with discount and renewals, derl and
        residual_value. Without `margin` it is gross_margin x the cohorts' ARPA x months per period."""
        from tenure.models.cohorts import MONTHS, cohort_arpa, fit_cohorts_json, sbg_cohorts

        options = self._cohort_options(cohort, start, end, period, segment, as_of)
        source = "given"
        if margin is None and discount is not None and renewals is not None:
            arpa = cohort_arpa(self.warehouse, **options).to_pyarrow().as_py()
            source = "gross_margin x arpa"
            if arpa is not None:
                margin = self.settings.workspace.gross_margin * float(arpa) * MONTHS[period]
        table = sbg_cohorts(self.warehouse, **options).to_pyarrow()
        result = fit_cohorts_json(table, periods, discount=discount, renewals=renewals, margin=margin)
        if "derl" in result:
            result = {**result, "margin": margin, "margin_source": source}
        return {"cohort": cohort, "period": period, "as_of": self._as_of(as_of).isoformat(), **result}

    def _cohort_options(self, cohort, start, end, period, segment, as_of) -> dict:
        day = self._as_of(as_of)
        first = calendar.parse_month(start, option="--from") if start else None
        last = calendar.parse_month(end, option="--to") if end else None
        if first is not None and last is not None and first > last:
            raise UsageError(f"--from {start} is after --to {end}")
        return {"as_of_month": calendar.month_of(day), "cohort": cohort, "period": period,
                "first": first, "last": last, "segment": segment}

    def survival_durations_expr(self, by: str | None = None, *, unit: str = "month",
                                as_of: date | str | None = None) -> ir.Table:
        from tenure.models.durations import survival_durations

        return survival_durations(self.warehouse, as_of=self._as_of(as_of), unit=unit, by=by)

    def survival_durations(self, by: str | None = None, *, unit: str = "month", as_of: date | str | None = None) -> pa.Table:
        """Per customer: group, start (first paid day), duration (to the first churn or to as_of) and observed."""
        return self.survival_durations_expr(by, unit=unit, as_of=as_of).to_pyarrow()

    def survival(self, by: str | None = None, *, unit: str = "month", as_of: date | str | None = None,
                 alpha: float = 0.05) -> pa.Table:
        """Kaplan-Meier curves per group (segment, cohort-month|quarter|year, any accounts column or
        attribute, plan): group, timeline, survival, ci_lower, ci_upper, at_risk."""
        from tenure.models.survival import kaplan_meier

        durations = self.survival_durations(by, unit=unit, as_of=as_of)
        if durations.num_rows == 0:
            raise DataError("no paying customers to draw a survival curve for; load subscriptions first")
        groups = None if by is None else durations.column("group").to_pylist()
        observed = durations.column("observed").to_numpy(zero_copy_only=False)
        return kaplan_meier(durations.column("duration").to_numpy(), observed, groups, alpha=alpha)

    # -- the customer journey: stages, milestones, moments, stage history (docs/journey.md) -----------

    def journey_expr(self, as_of: date | str | None = None, *, stage: str | None = None,
                     status: str | None = None) -> ir.Table:
        from tenure.journey import JOURNEY_STATUSES, journey

        names = [s.name for s in self.settings.journey.stages]
        if stage is not None and stage not in names:
            raise UsageError(f"--stage: '{stage}' is not a stage; the stages are: {', '.join(names)}")
        if status is not None and status not in JOURNEY_STATUSES:
            raise UsageError(f"--status: '{status}' is not a journey status; use {', '.join(JOURNEY_STATUSES)}")
        rows = journey(self.warehouse, self._as_of(as_of))
        if stage is not None:
            rows = rows.filter(rows.stage == stage)
        return rows.filter(rows.journey_status == status) if status is not None else rows

    def journey(self, as_of: date | str | None = None, *, stage: str | None = None, status: str | None = None) -> pa.Table:
        """Per account as of a day: stage, since, milestone progress, journey status, expansion and
        advocacy moments with their reasons."""
        return self.journey_expr(as_of, stage=stage, status=status).to_pyarrow()

    def journey_stages_expr(self, as_of: date | str | None = None) -> ir.Table:
        from tenure.journey import stage_summary

        return stage_summary(self.warehouse, self._as_of(as_of))

    def journey_stages(self, as_of: date | str | None = None) -> pa.Table:
        """Per configured stage: accounts in it, share, median days of completed and current spells."""
        return self.journey_stages_expr(as_of).to_pyarrow()

    def milestones_expr(self, as_of: date | str | None = None, *, account: str | None = None) -> ir.Table:
        from tenure.journey import milestone_status

        rows = milestone_status(self.warehouse, self._as_of(as_of))
        return rows.filter(rows.account_id == account) if account is not None else rows

    def milestones(self, as_of: date | str | None = None, *, account: str | None = None) -> pa.Table:
        """Per account and configured milestone: expected_by, reached_at, status (reached, on_track, behind, stuck)."""
        return self.milestones_expr(as_of, account=account).to_pyarrow()

    def refresh_journey(self, as_of: date | str | None = None):
        """Rebuild the stage history (_stage_snapshots, _stage_history) up to a day (default today)."""
        from tenure.journey import refresh_journey

        return refresh_journey(self.warehouse, self._as_of(as_of))

    def stage_history(self, account: str | None = None) -> pa.Table:
        """The stage spells of the last journey refresh: account_id, stage, entered_on, left_on, days."""
        from tenure.journey import stage_history

        return stage_history(self.warehouse, account).order_by(["account_id", "entered_on"]).to_pyarrow()

    # -- inspection -------------------------------------------------------------------------------

    def status(self) -> dict:
        """Rows per contract table and the latest load of each: a quick look at what the workspace holds."""
        from tenure.contract.tables import TABLES
        from tenure.warehouse import system

        loads = self.warehouse.table(system.LOADS)
        latest = loads.filter(loads.load_id == loads.load_id.max().over(group_by=loads.table)).to_pyarrow().to_pylist()
        by_table = {row["table"]: row for row in latest}
        tables = []
        for name in TABLES:
            last = by_table.get(name)
            tables.append(
                {
                    "table": name,
                    "rows": int(self.warehouse.table(name).count().to_pyarrow().as_py()),
                    "last_load": last["finished_at"].isoformat(timespec="seconds") if last else None,
                    "rejected_in_last_load": last["rows_rejected"] if last else None,
                }
            )
        return {"path": str(self.path), "tables": tables}

    def sql(self, expr: ir.Expr) -> str:
        """The SQL the engine runs for an expression."""
        return str(ibis.to_sql(expr, dialect=self.warehouse.ibis.name))

    # -- product usage queries (docs/queries.md): validate -> build -> run, plus the actors of a cell --
    # Options are keyword-only and named as on the command line (start/end are --from/--to).

    def lifecycle_query(self, **options):
        from tenure.queries import lifecycle

        return lifecycle.validate(**options, timezone=self.settings.workspace.timezone)

    def lifecycle_expr(self, **options) -> ir.Table:
        from tenure.queries import lifecycle

        return lifecycle.lifecycle(self.warehouse, self.lifecycle_query(**options))

    def lifecycle(self, **options) -> pa.Table:
        """Per period: new, returning, resurrecting and dormant units. Options: unit ("user" | "account"),
        interval ("day" | "week" | "month"), events (names; empty = any), start, end (YYYY-MM-DD)."""
        return self.lifecycle_expr(**options).to_pyarrow()

    def lifecycle_actors_expr(self, period: date | str, status: str, **options) -> ir.Table:
        from tenure.queries import lifecycle

        return lifecycle.actors(self.warehouse, self.lifecycle_query(**options), period, status)

    def lifecycle_actors(self, period: date | str, status: str, **options) -> pa.Table:
        """The unit ids behind one lifecycle cell: the units with `status` in the period holding `period`."""
        return self.lifecycle_actors_expr(period, status, **options).to_pyarrow()

    def retention_query(self, **options):
        from tenure.queries import retention

        return retention.validate(**options, timezone=self.settings.workspace.timezone)

    def retention_expr(self, **options) -> ir.Table:
        from tenure.queries import retention

        return retention.retention(self.warehouse, self.retention_query(**options))

    def retention(self, **options) -> pa.Table:
        """The cohort matrix: cohort, size, values. Options: unit, interval, start_event, return_event
        (None = any event), cohorts ("recurring" | "first_time"), count ("on" | "on_or_after"), start, end."""
        return self.retention_expr(**options).to_pyarrow()

    def retention_actors_expr(self, cohort: date | str, k: int, **options) -> ir.Table:
        from tenure.queries import retention

        return retention.actors(self.warehouse, self.retention_query(**options), cohort, k)

    def retention_actors(self, cohort: date | str, k: int, **options) -> pa.Table:
        """The unit ids behind one retention cell: the cohort's units counted k intervals later."""
        return self.retention_actors_expr(cohort, k, **options).to_pyarrow()

    # -- health scores (docs/health.md): scorecards over the signals, computed in the engine --------

    def _health_signals(self, as_of: date | str | None) -> ir.Table:
        from tenure.journey import day_signals

        return day_signals(self.warehouse, self._as_of(as_of))

    def health_expr(self, as_of: date | str | None = None, *, band: str | None = None,
                    segment: str | None = None, sort: str = "score", descending: bool = False) -> ir.Table:
        from tenure.health import BANDS
        from tenure.health.report import listing

        if band is not None and band not in BANDS:
            raise UsageError(f"--band: '{band}' is not a band; the bands are: {', '.join(BANDS)}")
        rows = listing(self._health_signals(as_of), self.settings.health)
        if sort not in rows.columns:
            raise UsageError(f"--sort: unknown column '{sort}'; the columns are: {', '.join(rows.columns)}")
        if band is not None:
            rows = rows.filter(rows.band == band)
        if segment is not None:
            rows = rows.filter(rows.segment == segment)
        key = ibis.desc(sort, nulls_first=False) if descending else ibis.asc(sort, nulls_first=False)
        return rows.order_by([key, "account_id"])

    def health(self, as_of: date | str | None = None, *, band: str | None = None, segment: str | None = None,
               sort: str = "score", descending: bool = False) -> pa.Table:
        """Every scored account as of a day (default today): scorecard, score, band, confidence,
        low_confidence, stale, with name, segment and ARR; lowest score first."""
        return self.health_expr(as_of, band=band, segment=segment, sort=sort, descending=descending).to_pyarrow()

    def health_history_expr(self, account_id: str | None = None) -> ir.Table:
        from tenure.health.history import history

        return history(self.warehouse, account_id)

    def health_history(self, account_id: str | None = None) -> pa.Table:
        """The stored daily scores written by `refresh(health=True)`: account_id, day, scorecard, score, band, ..."""
        return self.health_history_expr(account_id).to_pyarrow()

    def health_why(self, account_id: str, as_of: date | str | None = None) -> dict:
        """Why an account scores what it does: its score row, each category's and measure's contribution
        (points), what would move it to green, and its trend from the history."""
        from tenure.health.report import why

        day = self._as_of(as_of)
        self.account_expr(account_id, day)  # a UsageError for an unknown account, or one created later
        found = {k: v.to_pyarrow().to_pylist() for k, v in why(self._health_signals(day), self.settings.health, account_id).items()}
        trend = self.health_history_expr(account_id)
        trend = trend.filter(trend.day <= day).select("day", "score", "band", "confidence").to_pyarrow().to_pylist()
        scored = found["score"][0] if found["score"] else None
        return {"as_of": day, "account_id": account_id, "score": scored, "categories": found["categories"],
                "measures": found["measures"] if scored else [], "trend": trend}

    def health_diff(self, proposed: str | os.PathLike, as_of: date | str | None = None) -> dict:
        """A changed [health] (a tenure.toml, or a TOML file with just [health] and its scorecards) scored
        against the current one: the band-move matrix, the accounts that move, and the ARR they carry."""
        from tenure.health.report import diff

        path = Path(proposed)
        if not path.is_file():
            raise UsageError(f"{path}: no such file")
        changed = read_settings(path).health
        found = {k: v.to_pyarrow().to_pylist() for k, v in diff(self._health_signals(as_of), self.settings.health, changed).items()}
        return {"as_of": self._as_of(as_of), **found.pop("totals")[0], **found}

    # -- health backtest and churn risk (docs/backtest.md) ---------------------------------
    # `as_of` is "today": snapshots end `horizon` before it, so every window they are judged on has elapsed.

    def backtest(self, *, horizon: str | int = "90d", snapshots: int = 12, every: str = "month",
                 as_of: date | str | None = None, model: bool = True):
        """The scorecard on past snapshots against what happened next, and the churn model next to it
        (a tenure.backtest.Backtest: .auc, .by_band, .calibration, .lead_time, .comparison, .to_dict())."""
        from tenure.backtest import default_score, default_signals, parse_horizon, run_backtest

        return run_backtest(
            self.warehouse, today=self._as_of(as_of), signals=default_signals(), score=default_score(self.warehouse),
            horizon_days=parse_horizon(horizon), count=snapshots, every=every, model=model,
        )

    def backtest_snapshots_expr(self, *, horizon: str | int = "90d", snapshots: int = 12, every: str = "month",
                                as_of: date | str | None = None) -> ir.Table:
        """Every snapshot row (signals, score, band, outcomes) as one expression, for its SQL."""
        from tenure.backtest import default_score, default_signals, parse_horizon, snapshot_days, snapshots_expr

        today, days = self._as_of(as_of), parse_horizon(horizon)
        return snapshots_expr(self.warehouse, snapshot_days(today, days, snapshots, every), days, today=today,
                              signals=default_signals(), score=default_score(self.warehouse))

    def churn_risk(self, *, horizon: str | int = "90d", snapshots: int = 12, every: str = "month",
                   by: str = "segment", as_of: date | str | None = None):
        """Per customer today: probability of churn within the horizon, top drivers, expected ARR at risk;
        and expected ARR at risk per `by` group (a tenure.backtest.ChurnRisk: .accounts, .groups)."""
        from tenure.backtest import churn_risk, default_score, default_signals, parse_horizon

        return churn_risk(
            self.warehouse, today=self._as_of(as_of), signals=default_signals(), score=default_score(self.warehouse),
            horizon_days=parse_horizon(horizon), count=snapshots, every=every, by=by,
        )
