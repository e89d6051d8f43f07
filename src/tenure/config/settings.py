"""The settings of a workspace, as pydantic models. Each field's description is its documentation:
`tenure init` writes them into tenure.toml as comments, and a test fails if one is missing."""

from __future__ import annotations

import re
import zoneinfo

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tenure.contract.currencies import ISO_4217

_MEMORY = re.compile(r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", re.IGNORECASE)


class _Section(BaseModel):
    # A typo in tenure.toml must be an error, not a silently ignored key.
    model_config = ConfigDict(extra="forbid", validate_default=True)


class WorkspaceSettings(_Section):
    name: str = Field("tenure workspace", description="A display name for this workspace.")
    currency: str = Field("USD", description="Reporting currency (ISO 4217); all money is converted to it.")
    timezone: str = Field(
        "UTC",
        description="IANA time zone: naive timestamps are read in it and days, weeks and months are bucketed in it.",
    )
    gross_margin: float = Field(
        1.0, ge=0.0, le=1.0, description="Gross margin (0..1) applied to revenue in LTV and CAC payback."
    )
    renewal_min_interval_months: int = Field(
        12, ge=1, description="Subscription rows billed at least this many months apart are tracked as renewals."
    )
    fx_max_staleness_days: int = Field(
        7,
        ge=0,
        description="How many days back an FX rate may be used when the exact date has none (weekends, holidays).",
    )

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        if value not in ISO_4217:
            raise ValueError(f"'{value}' is not an ISO 4217 currency code")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{value}' is not an IANA time zone (for example UTC or Europe/Berlin)") from None
        return value


class WarehouseSettings(_Section):
    engine: str = Field("duckdb", description="Analytic engine: duckdb (embedded, the default).")
    path: str = Field("warehouse.duckdb", description="The DuckDB file, relative to the workspace folder.")
    memory_limit: str = Field("4GB", description="Most memory the engine may use before spilling to disk (e.g. 4GB).")
    threads: int = Field(0, ge=0, description="Engine threads; 0 means one per CPU core.")

    @field_validator("engine")
    @classmethod
    def _known_engine(cls, value: str) -> str:
        if value != "duckdb":
            raise ValueError(f"engine '{value}' is not supported; use duckdb")
        return value

    @field_validator("memory_limit")
    @classmethod
    def _memory(cls, value: str) -> str:
        if not _MEMORY.match(value.strip()):
            raise ValueError(f"'{value}' is not an amount of memory (for example 4GB or 512MB)")
        return value.strip()


class Settings(_Section):
    workspace: WorkspaceSettings = Field(default_factory=WorkspaceSettings, description="The workspace.")
    warehouse: WarehouseSettings = Field(default_factory=WarehouseSettings, description="The analytic engine.")
