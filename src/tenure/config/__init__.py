"""tenure.toml: settings as pydantic models, read with every problem reported at once."""

from tenure.config.read import read_settings, render_template
from tenure.config.settings import Settings, WarehouseSettings, WorkspaceSettings

__all__ = ["Settings", "WarehouseSettings", "WorkspaceSettings", "read_settings", "render_template"]
