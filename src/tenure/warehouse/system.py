"""Tables tenure keeps about its own work: the history of loads, the rows each load rejected, and the
files of the events lake (lake.py) with the rows of those files that `events` leaves out, and the
refreshes of the derived tables (refresh.py)."""

LOADS = "_loads"
REJECTS = "_rejects"
EVENT_FILES = "_event_files"
EVENT_EXCLUSIONS = "_event_exclusions"
REFRESHES = "_refreshes"

DDL = (
    f"""CREATE TABLE IF NOT EXISTS {LOADS} (
        load_id BIGINT, "table" VARCHAR, files VARCHAR, started_at TIMESTAMPTZ, finished_at TIMESTAMPTZ,
        rows_read BIGINT, rows_loaded BIGINT, rows_rejected BIGINT, strict BOOLEAN)""",
    f"""CREATE TABLE IF NOT EXISTS {REJECTS} (
        load_id BIGINT, "table" VARCHAR, file VARCHAR, "row" BIGINT, "column" VARCHAR, value VARCHAR,
        reason VARCHAR)""",
    # file: the lake file's path relative to the workspace folder; rows: rows in that file, excluded ones included.
    f"""CREATE TABLE IF NOT EXISTS {EVENT_FILES} (file VARCHAR, load_id BIGINT, "rows" BIGINT)""",
    # row: DuckDB's file_row_number (0-based) of a rejected or duplicate row in an adopted file.
    f"""CREATE TABLE IF NOT EXISTS {EVENT_EXCLUSIONS} (file VARCHAR, "row" BIGINT)""",
    # One row per derived table, replaced by each refresh: events_load_id is the latest events load it includes,
    # definition the settings it was built with (refresh.py compares both before a metric reads it).
    f"""CREATE TABLE IF NOT EXISTS {REFRESHES} (
        "table" VARCHAR, refreshed_at TIMESTAMPTZ, events_load_id BIGINT, definition VARCHAR, "rows" BIGINT)""",
)
