"""The data contract: canonical tables and the loading rules that guard them."""

from tenure.contract.tables import TABLES, Column, Kind, Table

__all__ = ["TABLES", "Column", "Kind", "Table"]
