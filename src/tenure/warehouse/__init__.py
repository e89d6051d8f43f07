"""The analytic warehouse: one Ibis connection, the canonical tables, and engine-specific bulk loading."""

from tenure.warehouse.connection import Warehouse, time_limit

__all__ = ["Warehouse", "time_limit"]
