"""A workspace is a folder: tenure.toml (configuration as code), the embedded warehouse file and the app
state. `Workspace` opens and closes them and is the Python API: each method is a thin delegate to one
function of the service layer (tenure.services), which the CLI and the server call too.

Every method that returns figures has an `*_expr` twin returning the Ibis expression, so any figure
can show the SQL that produced it (`Workspace.sql`). Days are dates or YYYY-MM-DD text; `as_of`
defaults to today in the workspace time zone.
"""

from __future__ import annotations

import functools
import inspect
import os
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from tenure.config import Settings, read_settings, render_template
from tenure.errors import WorkspaceBusyError, WorkspaceError
from tenure import services
from tenure.warehouse import Warehouse, time_limit

CONFIG_FILE = "tenure.toml"
ENV_VAR = "TENURE_WORKSPACE"
Day = date | str | None

if TYPE_CHECKING:  # tenure.state imports SQLAlchemy and Alembic: loaded only when state is used
    from tenure.state import StateStore
    from tenure.state.models import Note, Task


def _documented_by(service: Callable) -> Callable[[Callable], Callable]:
    """The method says what the service function it delegates to says (one docstring per concept)."""

    def document(method: Callable) -> Callable:
        method.__doc__ = service.__doc__
        return method

    return document


def _rows(expr_method: Callable[..., ir.Table], doc: str | None = None) -> Callable[..., pa.Table]:
    """The twin of an `*_expr` method that runs it: same arguments, an Arrow table back, and the
    expression's docstring unless `doc` says otherwise."""

    @functools.wraps(expr_method)
    def run(self: "Workspace", *args, **kwargs) -> pa.Table:
        return expr_method(self, *args, **kwargs).to_pyarrow()

    run.__signature__ = inspect.signature(expr_method).replace(return_annotation="pa.Table")
    run.__name__ = run.__qualname__ = expr_method.__name__.removesuffix("_expr")
    run.__doc__ = doc or expr_method.__doc__
    return run


def _family(name: str, *, breakdown: bool) -> Callable[..., ir.Table]:
    """`<family>_expr(start, end, by=)`: a shortcut for monthly_expr(name, ...)."""
    if breakdown:
        def expr(self: "Workspace", start: str | None = None, end: str | None = None, *, by: str | None = None) -> ir.Table:
            return self.monthly_expr(name, start, end, by=by)
    else:
        def expr(self: "Workspace", start: str | None = None, end: str | None = None) -> ir.Table:
            return self.monthly_expr(name, start, end)
    expr.__name__ = expr.__qualname__ = f"{name}_expr"
    return expr


class Workspace:
    def __init__(self, path: Path, settings: Settings, warehouse: Warehouse | None = None, *, read_only: bool = False):
        self.path = path
        self.settings = settings
        self._warehouse = warehouse
        self._read_only = read_only
        self._state: StateStore | None = None

    @property
    def warehouse(self) -> Warehouse:
        """The warehouse, connected on first use: tasks and notes live in the app state, so they work
        while another process (a refresh) holds the warehouse file."""
        if self._warehouse is None:
            self._warehouse = Warehouse.connect(self.path / self.settings.warehouse.path, self.settings.warehouse,
                                                timezone=self.settings.workspace.timezone,
                                                read_only=self._read_only, root=self.path)
        return self._warehouse

    def time_limit(self, seconds: int):
        """A block in which the engine's work stops after `seconds` (0: never), with QueryTimeoutError;
        it does not open the warehouse, so commands on the app state alone still run while it is held."""
        return time_limit(seconds, lambda: self._warehouse)

    def _warehouse_if_free(self) -> Warehouse | None:
        """The warehouse, or None while another process holds it."""
        try:
            return self.warehouse
        except WorkspaceBusyError:
            return None

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
    def init(cls, path: str | os.PathLike, *, force: bool = False, settings: Settings | None = None) -> "Workspace":
        """Create a workspace: a commented tenure.toml with every default (or with `settings`), and an empty warehouse."""
        folder = Path(path)
        config = folder / CONFIG_FILE
        if config.exists() and not force:
            raise WorkspaceError(f"{folder} is already a workspace ({CONFIG_FILE} exists); use --force to replace it")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise WorkspaceError(f"cannot create a workspace at {folder}: {error.strerror or error}") from None
        if force:
            # A forced init starts from nothing: the old warehouse would not match a new configuration.
            for stale in (Settings().warehouse.path, Settings().warehouse.path + ".wal"):
                (folder / stale).unlink(missing_ok=True)
        config.write_text(render_template(settings), encoding="utf-8")
        created = cls.open(folder)
        created.warehouse  # creates the warehouse file and its tables now, not at the first command
        return created

    @classmethod
    def open(cls, path: str | os.PathLike | None = None, *, read_only: bool = False) -> "Workspace":
        folder = cls.locate(path)
        return cls(folder, read_settings(folder / CONFIG_FILE), read_only=read_only)

    def close(self) -> None:
        if self._warehouse is not None:
            self._warehouse.close()
            self._warehouse = None
        if self._state is not None:
            self._state.close()

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def state(self) -> StateStore:
        """The app state database ([state] url or $TENURE_STATE_URL), opened and migrated on first use."""
        if self._state is None:
            from tenure.state import StateStore, resolve_url

            self._state = StateStore.open(resolve_url(self.settings.state.url, self.path))
        return self._state

    def today(self) -> date:
        """Today in the workspace time zone: the default `as_of` of every figure."""
        return services.arguments.today(self.settings.workspace.timezone)

    def _as_of(self, as_of: Day) -> date:
        return services.arguments.as_of(as_of, today=self.today())

    def sql(self, expr: ir.Expr) -> str:
        """The SQL the engine runs for an expression."""
        return str(ibis.to_sql(expr, dialect=self.warehouse.ibis.name))

    # -- data in: loads, rejects, status, refresh (services/loading.py) ----------------------------

    @_documented_by(services.loading.load)
    def load(self, table: str, files: Sequence[str | os.PathLike], *, format: str | None = None, strict: bool = False,
             progress: Callable[[str, int, int], None] | None = None):
        return services.loading.load(self.warehouse, workspace=self.settings.workspace, table=table, files=files,
                                     format=format, strict=strict, progress=progress)

    @_documented_by(services.loading.rejects)
    def rejects_expr(self, table: str | None = None, *, all_loads: bool = False, limit: int | None = None) -> ir.Table:
        return services.loading.rejects(self.warehouse, table=table, all_loads=all_loads, limit=limit)

    rejects = _rows(rejects_expr)

    @_documented_by(services.loading.check_dates)
    def check_dates(self) -> None:
        services.loading.check_dates(self.warehouse)

    def status(self) -> dict:
        """Rows per contract table and the latest load of each: a quick look at what the workspace holds."""
        return {"path": str(self.path), "tables": services.loading.status(self.warehouse)}

    def refresh(self, *, progress: Callable[[str, int, int], None] | None = None, health: bool = False) -> list:
        """Rebuild the derived tables from the loaded events; run after loading. With health (as `tenure
        refresh` does), then score today into the health history and sample today's stages into the stage
        history, replaying the past when the settings they depend on changed (docs/health.md, docs/journey.md)."""
        return services.loading.refresh(self.warehouse, settings=self.settings, today=self.today(), health=health,
                                        progress=progress)

    # -- app state: tasks and notes (services/tasks.py) --------------------------------------------

    # Listing reads the app state alone: while a refresh holds the warehouse, the account goes unchecked.

    @_documented_by(services.tasks.tasks)
    def tasks(self, *, owner: str | None = None, account_id: str | None = None, status: str = "open") -> list[Task]:
        checked = self._warehouse_if_free() if account_id is not None else None
        return services.tasks.tasks(checked, self.state(), owner=owner, account_id=account_id, status=status)

    @_documented_by(services.tasks.rows)
    def task_rows(self, tasks: Sequence[Task]) -> list[dict]:
        return services.tasks.rows(tasks, today=self.today())

    @_documented_by(services.tasks.add_task)
    def add_task(self, account_id: str, title: str, *, body: str = "", owner: str | None = None,
                 priority: str = "normal", due_on: Day = None) -> Task:
        due = None if due_on is None else services.arguments.day(due_on, "due_on")
        return services.tasks.add_task(self.warehouse, self.state(), account_id=account_id, title=title,
                                       today=self.today(), body=body, owner=owner, priority=priority, due_on=due)

    @_documented_by(services.tasks.complete_task)
    def complete_task(self, task_id: int) -> Task:
        return services.tasks.complete_task(self.state(), task_id=task_id)

    @_documented_by(services.tasks.add_note)
    def add_note(self, account_id: str, body: str, *, author: str | None = None) -> Note:
        return services.tasks.add_note(self.warehouse, self.state(), account_id=account_id, body=body, author=author)

    @_documented_by(services.tasks.notes)
    def notes(self, account_id: str) -> list[Note]:
        return services.tasks.notes(self._warehouse_if_free(), self.state(), account_id=account_id)

    # -- metrics by month and day (services/metrics.py, docs/metrics/) ---------------------------
    # `by` splits the rows by an accounts column, a custom attribute or `plan` (metrics/breakdown.py).

    @_documented_by(services.arguments.months)
    def month_range(self, start: str | None = None, end: str | None = None, *, default_months: int = 12) -> tuple[int, int]:
        return services.arguments.months(start, end, today=self.today(), default_months=default_months)

    @_documented_by(services.metrics.family)
    def monthly_expr(self, family: str, start: str | None = None, end: str | None = None, *, by: str | None = None,
                     partial: bool = False) -> ir.Table:
        return services.metrics.family(self.warehouse, settings=self.settings, name=family,
                                       months=self.month_range(start, end), by=by,
                                       today=self.today() if partial else None)

    monthly = _rows(monthly_expr)
    revenue_expr = _family("revenue", breakdown=False)
    revenue = _rows(revenue_expr, "Monthly revenue rows (docs/metrics/revenue.md): MRR, movements, churn rates, "
                                  "NRR/GRR, quick ratio, LTV.")
    renewals_expr = _family("renewals", breakdown=False)
    renewals = _rows(renewals_expr, "Monthly renewal rows keyed by the due month: due, renewed, logo and dollar "
                                    "renewal rates.")
    support_expr = _family("support", breakdown=True)
    support = _rows(support_expr, "Monthly support rows: tickets, first response and resolution hours, fcr, "
                                  "escalation, reopen, csat.")
    surveys_expr = _family("surveys", breakdown=True)
    surveys = _rows(surveys_expr, "Monthly voice-of-the-customer rows: NPS with its counts, CSAT, CES.")
    acquisition_expr = _family("acquisition", breakdown=True)
    acquisition = _rows(acquisition_expr, "Monthly acquisition rows: spend, new customers, CAC, CAC payback, "
                                          "LTV:CAC (by=\"channel\" splits spend).")
    engagement_expr = _family("engagement", breakdown=True)
    engagement = _rows(engagement_expr, "Monthly email/in-app rows: messages sent, open and click rates.")
    usage_expr = _family("usage", breakdown=True)
    usage = _rows(usage_expr, "Monthly usage rows: average DAU, WAU and MAU at month end, stickiness; for users "
                              "and accounts.")

    @_documented_by(services.metrics.movements)
    def movements_expr(self, account_id: str | None = None) -> ir.Table:
        return services.metrics.movements(self.warehouse, workspace=self.settings.workspace, account_id=account_id)

    movements = _rows(movements_expr)

    @_documented_by(services.metrics.daily_usage)
    def daily_usage_expr(self, first_day: Day = None, last_day: Day = None, *, by: str | None = None,
                         ordered: bool = True) -> ir.Table:
        first = None if first_day is None else services.arguments.day(first_day, "first_day")
        last = self.today() if last_day is None else services.arguments.day(last_day, "last_day")
        return services.metrics.daily_usage(self.warehouse, events=self.settings.events, workspace=self.settings.workspace,
                                            first_day=first, last_day=last, by=by, ordered=ordered)

    daily_usage = _rows(daily_usage_expr)

    @_documented_by(services.metrics.account_voice)
    def account_voice_expr(self, as_of: Day = None) -> ir.Table:
        return services.metrics.account_voice(self.warehouse, surveys=self.settings.surveys, as_of=self._as_of(as_of))

    account_voice = _rows(account_voice_expr)

    @_documented_by(services.metrics.account_engagement)
    def account_engagement_expr(self, as_of: Day = None) -> ir.Table:
        return services.metrics.account_engagement(self.warehouse, as_of=self._as_of(as_of))

    account_engagement = _rows(account_engagement_expr)

    # -- accounts, signals and risks (services/accounts.py, docs/metrics/accounts.md, docs/signals.md) --

    @_documented_by(services.accounts.listing)
    def accounts_expr(self, as_of: Day = None, *, sort: str | None = None, descending: bool = False,
                      tier: str | None = None, limit: int | None = None) -> ir.Table:
        return services.accounts.listing(self.warehouse, settings=self.settings, as_of=self._as_of(as_of), sort=sort,
                                descending=descending, tier=tier, limit=limit)

    accounts = _rows(accounts_expr)

    @_documented_by(services.accounts.sections)
    def account_expr(self, account_id: str, as_of: Day = None) -> dict[str, ir.Table]:
        return services.accounts.sections(self.warehouse, settings=self.settings, account_id=account_id,
                                          as_of=self._as_of(as_of))

    @_documented_by(services.accounts.view)
    def account(self, account_id: str, as_of: Day = None) -> dict:
        return services.accounts.view(self.warehouse, settings=self.settings, account_id=account_id,
                                      as_of=self._as_of(as_of), store=self.state())

    @_documented_by(services.accounts.signals)
    def signals_expr(self, as_of: Day = None) -> ir.Table:
        return services.accounts.signals(self.warehouse, settings=self.settings, as_of=self._as_of(as_of))

    signals = _rows(signals_expr)

    @_documented_by(services.accounts.risks)
    def risks_expr(self, as_of: Day = None) -> ir.Table:
        from tenure.signals import risk_rules

        return services.accounts.risks(self.warehouse, settings=self.settings, rules=risk_rules(self.settings),
                                       as_of=self._as_of(as_of))

    risks = _rows(risks_expr)

    # -- health (services/health.py, docs/health.md) ---------------------------------------------

    @_documented_by(services.health.listing)
    def health_expr(self, as_of: Day = None, *, band: str | None = None, segment: str | None = None,
                    sort: str = "score", descending: bool = False) -> ir.Table:
        return services.health.listing(self.warehouse, settings=self.settings, as_of=self._as_of(as_of), band=band,
                              segment=segment, sort=sort, descending=descending)

    health = _rows(health_expr)

    @_documented_by(services.health.history)
    def health_history_expr(self, account_id: str | None = None) -> ir.Table:
        return services.health.history(self.warehouse, account_id=account_id)

    health_history = _rows(health_history_expr)

    @_documented_by(services.health.why_sections)
    def health_why_expr(self, account_id: str, as_of: Day = None) -> dict[str, ir.Table]:
        return services.health.why_sections(self.warehouse, settings=self.settings, account_id=account_id,
                                   as_of=self._as_of(as_of))

    @_documented_by(services.health.why)
    def health_why(self, account_id: str, as_of: Day = None) -> dict:
        return services.health.why(self.warehouse, settings=self.settings, account_id=account_id, as_of=self._as_of(as_of))

    @_documented_by(services.health.diff_sections)
    def health_diff_expr(self, proposed: str | os.PathLike, as_of: Day = None) -> dict[str, ir.Table]:
        return services.health.diff_sections(self.warehouse, settings=self.settings,
                                             proposed=services.health.proposed_health(proposed), as_of=self._as_of(as_of))

    @_documented_by(services.health.diff)
    def health_diff(self, proposed: str | os.PathLike, as_of: Day = None) -> dict:
        return services.health.diff(self.warehouse, settings=self.settings, proposed=services.health.proposed_health(proposed),
                           as_of=self._as_of(as_of))

    # -- the customer journey (services/journey.py, docs/journey.md) -----------------------------

    @_documented_by(services.journey.listing)
    def journey_expr(self, as_of: Day = None, *, stage: str | None = None, status: str | None = None) -> ir.Table:
        return services.journey.listing(self.warehouse, settings=self.settings,
                               as_of=self._as_of(as_of), stage=stage, status=status)

    journey = _rows(journey_expr)

    @_documented_by(services.journey.stage_summary)
    def journey_stages_expr(self, as_of: Day = None) -> ir.Table:
        return services.journey.stage_summary(self.warehouse, settings=self.settings, as_of=self._as_of(as_of))

    journey_stages = _rows(journey_stages_expr)

    @_documented_by(services.journey.milestones)
    def milestones_expr(self, as_of: Day = None, *, account_id: str | None = None) -> ir.Table:
        return services.journey.milestones(self.warehouse, settings=self.settings, as_of=self._as_of(as_of),
                                           account_id=account_id)

    milestones = _rows(milestones_expr)

    @_documented_by(services.journey.refresh_history)
    def refresh_journey(self, as_of: Day = None):
        return services.journey.refresh_history(self.warehouse, settings=self.settings, as_of=self._as_of(as_of))

    @_documented_by(services.journey.stage_history)
    def stage_history_expr(self, account_id: str | None = None) -> ir.Table:
        return services.journey.stage_history(self.warehouse, account_id=account_id)

    stage_history = _rows(stage_history_expr)

    # -- product usage queries (services/queries.py, docs/queries.md) ------------------------------
    # Options are keyword-only: unit, interval, events / start_event, return_event, cohorts, count, start, end.

    @_documented_by(services.queries.lifecycle)
    def lifecycle_expr(self, **options) -> ir.Table:
        return services.queries.lifecycle(self.warehouse, timezone=self.settings.workspace.timezone, **options)

    lifecycle = _rows(lifecycle_expr)

    @_documented_by(services.queries.lifecycle_actors)
    def lifecycle_actors_expr(self, period: Day, status: str, **options) -> ir.Table:
        return services.queries.lifecycle_actors(self.warehouse, timezone=self.settings.workspace.timezone, period=period,
                                        status=status, **options)

    lifecycle_actors = _rows(lifecycle_actors_expr)

    @_documented_by(services.queries.retention)
    def retention_expr(self, **options) -> ir.Table:
        return services.queries.retention(self.warehouse, timezone=self.settings.workspace.timezone, **options)

    retention = _rows(retention_expr)

    @_documented_by(services.queries.retention_actors)
    def retention_actors_expr(self, cohort: Day, k: int, **options) -> ir.Table:
        return services.queries.retention_actors(self.warehouse, timezone=self.settings.workspace.timezone, cohort=cohort,
                                        k=k, **options)

    retention_actors = _rows(retention_actors_expr)

    # -- lifetime models (services/lifetime.py, docs/metrics/lifetime.md) ----------------------------

    @_documented_by(services.lifetime.sbg_cohorts)
    def sbg_cohorts_expr(self, cohort: str = "month", start: str | None = None, end: str | None = None, *,
                         period: str = "month", segment: str | None = None, as_of: Day = None) -> ir.Table:
        return services.lifetime.sbg_cohorts(self.warehouse, workspace=self.settings.workspace, as_of=self._as_of(as_of),
                                    cohort=cohort, start=start, end=end, period=period, segment=segment)

    sbg_cohorts = _rows(sbg_cohorts_expr)

    @_documented_by(services.lifetime.fit_sbg_cohorts)
    def fit_sbg_cohorts(self, cohort: str = "month", start: str | None = None, end: str | None = None, *,
                        period: str = "month", segment: str | None = None, as_of: Day = None, periods: int = 12,
                        discount: float | None = None, renewals: int | None = None, margin: float | None = None) -> dict:
        return services.lifetime.fit_sbg_cohorts(
            self.warehouse, workspace=self.settings.workspace, as_of=self._as_of(as_of),
            cohort=cohort, start=start, end=end, period=period, segment=segment, periods=periods,
            discount=discount, renewals=renewals, margin=margin,
        )

    @_documented_by(services.lifetime.survival_durations)
    def survival_durations_expr(self, by: str | None = None, *, unit: str = "month", as_of: Day = None) -> ir.Table:
        return services.lifetime.survival_durations(self.warehouse, workspace=self.settings.workspace, as_of=self._as_of(as_of),
                                                    by=by, unit=unit)

    survival_durations = _rows(survival_durations_expr)

    @_documented_by(services.lifetime.survival)
    def survival(self, by: str | None = None, *, unit: str = "month", as_of: Day = None, alpha: float = 0.05) -> pa.Table:
        return services.lifetime.survival(self.warehouse, workspace=self.settings.workspace, as_of=self._as_of(as_of), by=by,
                                          unit=unit, alpha=alpha)

    # -- the health backtest and churn risk (services/backtest.py, docs/backtest.md) ------------------

    @_documented_by(services.backtest.backtest)
    def backtest(self, *, horizon: str | int = "90d", snapshots: int = 12, every: str = "month", as_of: Day = None,
                 model: bool = True):
        return services.backtest.backtest(self.warehouse, settings=self.settings, as_of=self._as_of(as_of), horizon=horizon,
                                 snapshots=snapshots, every=every, model=model)

    @_documented_by(services.backtest.snapshots)
    def backtest_snapshots_expr(self, *, horizon: str | int = "90d", snapshots: int = 12, every: str = "month",
                                as_of: Day = None) -> ir.Table:
        return services.backtest.snapshots(self.warehouse, settings=self.settings, as_of=self._as_of(as_of), horizon=horizon,
                                  snapshots=snapshots, every=every)

    @_documented_by(services.backtest.churn_risk)
    def churn_risk(self, *, horizon: str | int = "90d", snapshots: int = 12, every: str = "month",
                   by: str = "segment", as_of: Day = None):
        return services.backtest.churn_risk(self.warehouse, settings=self.settings, as_of=self._as_of(as_of), horizon=horizon,
                                   snapshots=snapshots, every=every, by=by)

    # -- playbooks (services/playbooks.py, docs/playbooks.md) --------------------------------------

    @_documented_by(services.playbooks.signals)
    def playbook_signals_expr(self, as_of: Day = None) -> ir.Table:
        return services.playbooks.signals(self.warehouse, settings=self.settings, as_of=self._as_of(as_of))

    @_documented_by(services.playbooks.matches)
    def playbook_matches_expr(self, name: str, as_of: Day = None) -> ir.Table:
        return services.playbooks.matches(self.warehouse, settings=self.settings, name=name, as_of=self._as_of(as_of))

    @_documented_by(services.playbooks.run)
    def run_playbooks(self, *, as_of: Day = None, dry_run: bool = False, now: datetime | None = None) -> list:
        return services.playbooks.run(self.warehouse, self.state(), settings=self.settings, as_of=self._as_of(as_of),
                             dry_run=dry_run, now=now)

    @_documented_by(services.playbooks.digest)
    def playbook_digest(self, *, dry_run: bool = False, now: datetime | None = None) -> list:
        return services.playbooks.digest(self.warehouse, self.state(), playbooks=self.settings.playbooks, dry_run=dry_run, now=now)

    @_documented_by(services.playbooks.deliveries)
    def playbook_deliveries(self, *, playbook: str | None = None, status: str | None = None, limit: int = 100) -> list[dict]:
        return services.playbooks.deliveries(self.state(), playbook=playbook, status=status, limit=limit)
