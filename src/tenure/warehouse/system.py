"""Tables tenure keeps about its own work: the history of loads and the rows each load rejected."""

LOADS = "_loads"
REJECTS = "_rejects"

DDL = (
    f"""CREATE TABLE IF NOT EXISTS {LOADS} (
        load_id BIGINT, "table" VARCHAR, files VARCHAR, started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ,
        rows_read BIGINT, rows_loaded BIGINT, rows_rejected BIGINT, strict BOOLEAN)""",
    f"""CREATE TABLE IF NOT EXISTS {REJECTS} (
        load_id BIGINT, "table" VARCHAR, file VARCHAR, "row" BIGINT, "column" VARCHAR, value VARCHAR,
        reason VARCHAR)""",
)
