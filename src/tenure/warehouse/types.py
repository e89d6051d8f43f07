"""How each logical column kind of the contract is stored on each engine (a lookup table, not branches)."""

from tenure.contract.tables import Kind

# Money keeps six decimal places, FX rates ten: both exact decimals, never binary floats.
MONEY_TYPE = "DECIMAL(18, 6)"
RATE_TYPE = "DECIMAL(18, 10)"

DUCKDB_TYPES: dict[Kind, str] = {
    Kind.STRING: "VARCHAR",
    Kind.TIMESTAMP: "TIMESTAMPTZ",
    Kind.DATE: "DATE",
    Kind.MONTH: "DATE",
    Kind.DECIMAL: MONEY_TYPE,
    Kind.RATE: RATE_TYPE,
    Kind.INTEGER: "BIGINT",
    Kind.BOOLEAN: "BOOLEAN",
    Kind.JSON: "VARCHAR",
}
