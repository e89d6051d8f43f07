"""A workspace is a folder: tenure.toml (configuration as code) plus the embedded warehouse file.

Every method that returns figures has an `*_expr` twin returning the Ibis expression, so any figure
can show the SQL that produced it (`Workspace.sql`).
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Sequence
from zoneinfo import ZoneInfo

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from tenure.config import Settings, read_settings, render_template
from tenure.errors import UsageError, WorkspaceError
from tenure.metrics import calendar
from tenure.warehouse import Warehouse

CONFIG_FILE = "tenure.toml"
ENV_VAR = "TENURE_WORKSPACE"


class Workspace:
    def __init__(self, path: Path, settings: Settings, warehouse: Warehouse):
        self.path = path
        self.settings = settings
        self.warehouse = warehouse

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

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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

    def refresh(self, *, progress: Callable[[str, int, int], None] | None = None):
        """Rebuild the derived tables (the daily activity rollup) from the loaded events; run after loading."""
        from tenure.warehouse.refresh import refresh

        return refresh(self.warehouse, progress=progress)

    def usage_expr(self, start: str | None = None, end: str | None = None, *, by: str | None = None) -> ir.Table:
        return self.monthly_expr("usage", start, end, by=by)

    def usage(self, start: str | None = None, end: str | None = None, *, by: str | None = None) -> pa.Table:
        """Monthly usage rows: average DAU, WAU and MAU at month end, stickiness; for users and accounts."""
        return self.monthly("usage", start, end, by=by)

    def daily_usage_expr(self, first_day: date | str, last_day: date | str, *, by: str | None = None) -> ir.Table:
        from tenure.metrics.usage import daily_usage

        first, last = self._day(first_day, "--from"), self._day(last_day, "--to")
        if first > last:
            raise UsageError(f"--from {first} is after --to {last}")
        return daily_usage(self.warehouse, first, last, by=by)

    def daily_usage(self, first_day: date | str, last_day: date | str, *, by: str | None = None) -> pa.Table:
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
