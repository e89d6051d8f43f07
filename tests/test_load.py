"""Loading files (tenure.warehouse.load): one behaviour per test, files written into tmp_path, literal expectations."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tenure import StrictLoadError, UnreadableFileError, Workspace
from tenure.warehouse.load import LoadResult

ACCOUNTS = "account_id,name,created_at\nA1,Acme,2024-01-01\nA2,Beta,2024-02-01\n"
SUBS_HEADER = "subscription_id,account_id,start_date,end_date,amount,currency,interval_months\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rows(ws: Workspace, sql: str) -> list[tuple]:
    return ws.warehouse.raw.execute(sql).fetchall()


def reasons(ws: Workspace, table: str | None = None) -> list[tuple]:
    return [(r["row"], r["column"], r["value"], r["reason"]) for r in ws.rejects(table).to_pylist()]


def with_accounts(ws: Workspace, tmp_path: Path) -> None:
    ws.load("accounts", [write(tmp_path, "accounts.csv", ACCOUNTS)])


def load_subs(ws: Workspace, tmp_path: Path, line: str) -> LoadResult:
    with_accounts(ws, tmp_path)
    return ws.load("subscriptions", [write(tmp_path, "subs.csv", SUBS_HEADER + line + "\n")])


# -- every reject reason ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("S1,A1,2024-01-01,,-5.00,EUR,1", (1, "amount", "-5.00", "amount '-5.00' is negative")),
        ("S1,A1,yesterday,,5,EUR,1", (1, "start_date", "yesterday", "start_date 'yesterday' is not an ISO 8601 timestamp")),
        ("S1,A1,2024-01-01,,5,XYZ,1", (1, "currency", "XYZ", "currency 'XYZ' is not an ISO 4217 code")),
        ("S1,A1,2024-02-01,2024-01-01,5,EUR,1", (1, "end_date", "2024-01-01", "end_date is before start_date")),
        ("S1,A9,2024-01-01,,5,EUR,1", (1, "account_id", "A9", "account_id 'A9' is not in accounts; load accounts first")),
        ("S1,,2024-01-01,,5,EUR,1", (1, "account_id", None, "account_id is required")),
        ("S1,A1,2024-01-01,,12.5x,EUR,1", (1, "amount", "12.5x",
                                          "amount '12.5x' is not a decimal number with at most 6 decimal places")),
        ("S1,A1,2024-01-01,,1.0000001,EUR,1", (1, "amount", "1.0000001",
                                              "amount '1.0000001' is not a decimal number with at most 6 decimal places")),
        ("S1,A1,2024-01-01,,5,EUR,1.5", (1, "interval_months", "1.5", "interval_months '1.5' is not a whole number")),
        ("S1,A1,2024-01-01,,5,EUR,0", (1, "interval_months", "0", "interval_months 0 is less than 1")),
        ("S1,A1,infinity,,5,EUR,1", (1, "start_date", "infinity", "start_date 'infinity' is not an ISO 8601 timestamp")),
    ],
)
def test_a_bad_subscription_value_is_rejected_with_its_sentence(workspace, tmp_path, line, expected):
    result = load_subs(workspace, tmp_path, line)
    assert (result.rows_read, result.rows_inserted, result.rows_rejected) == (1, 0, 1)
    assert reasons(workspace) == [expected]


def test_a_boolean_that_is_not_one_is_rejected(workspace, tmp_path):
    with_accounts(workspace, tmp_path)
    path = write(tmp_path, "s.csv", SUBS_HEADER.strip() + ",is_trial\nS1,A1,2024-01-01,,5,EUR,1,maybe\nS2,A1,2024-01-01,,5,EUR,1,YES\n")
    workspace.load("subscriptions", [path])
    assert reasons(workspace) == [(1, "is_trial", "maybe", "is_trial 'maybe' is not a boolean (true/false, yes/no, 1/0)")]
    assert rows(workspace, "SELECT subscription_id, is_trial FROM subscriptions") == [("S2", True)]


def test_survey_score_outside_its_kinds_range_is_rejected(workspace, tmp_path):
    path = write(tmp_path, "s.csv", "response_id,account_id,kind,score,responded_at\n"
                                    "R1,A1,nps,11,2024-01-01\nR2,A1,CSAT,5,2024-01-01\nR3,A1,ces,0,2024-01-01\n")
    workspace.load("surveys", [path])
    assert reasons(workspace) == [
        (1, "score", "11", "score 11 is outside 0..10 for an nps survey"),
        (3, "score", "0", "score 0 is outside 1..7 for a ces survey"),
    ]
    assert rows(workspace, "SELECT response_id, kind, score FROM surveys") == [("R2", "csat", 5)]


def test_ticket_status_outside_its_choices_is_rejected(workspace, tmp_path):
    path = write(tmp_path, "t.csv", "ticket_id,account_id,created_at,status,csat\nT1,A1,2024-01-01,lost,\nT2,A1,2024-01-01,Open,6\n")
    workspace.load("tickets", [path])
    assert reasons(workspace) == [
        (1, "status", "lost", "status 'lost' is not one of new, open, pending, on_hold, solved, closed"),
        (2, "csat", "6", "csat 6 is outside 1..5"),
    ]


def test_properties_that_are_not_a_json_object_are_rejected(workspace, tmp_path):
    path = write(tmp_path, "e.csv", 'account_id,event,timestamp,properties\nA1,login,2024-01-01,"[1, 2]"\nA1,login,2024-01-01,{oops\n')
    workspace.load("events", [path])
    assert reasons(workspace) == [
        (1, "properties", "[1, 2]", "properties '[1, 2]' is not a JSON object"),
        (2, "properties", "{oops", "properties '{oops' is not a JSON object"),
    ]


def test_month_and_rate_rules(workspace, tmp_path):
    workspace.load("spend", [write(tmp_path, "s.csv", "month,channel,amount,currency\n2024-13,ads,5,USD\n2024-01,ads,5,USD\n")])
    assert reasons(workspace) == [(1, "month", "2024-13", "month '2024-13' is not a month (YYYY-MM)")]
    assert rows(workspace, "SELECT CAST(month AS VARCHAR) FROM spend") == [("2024-01-01",)]
    workspace.load("fx_rates", [write(tmp_path, "fx.csv", "date,currency,rate\n2024-01-01,EUR,0\n2024-01-01,GBP,1.27\n")])
    assert reasons(workspace, "fx_rates") == [(1, "rate", "0", "rate '0' is not positive")]


def test_a_row_with_two_problems_has_two_rejects_and_counts_once(workspace, tmp_path):
    result = load_subs(workspace, tmp_path, "S1,A1,2024-01-01,,-5,XYZ,1")
    assert result.rows_rejected == 1
    assert [r[1] for r in reasons(workspace)] == ["amount", "currency"]


def test_the_result_summarises_reasons_with_examples(workspace, tmp_path):
    with_accounts(workspace, tmp_path)
    path = write(tmp_path, "s.csv", SUBS_HEADER + "S1,A1,2024-01-01,,-1,EUR,1\nS2,A1,2024-01-01,,-2,EUR,1\nS3,A1,2024-01-01,,3,EUR,1\n")
    result = workspace.load("subscriptions", [path])
    assert [(r.reason, r.count) for r in result.reasons] == [("amount is negative", 2)]
    assert [(e.file, e.row, e.column, e.value) for e in result.reasons[0].examples] == [
        (str(path), 1, "amount", "-1"), (str(path), 2, "amount", "-2"),
    ]
    assert result.to_dict()["rows_inserted"] == 1


# -- good rows, strict, atomic ------------------------------------------------------------------


def test_good_rows_load_next_to_bad_ones(workspace, tmp_path):
    with_accounts(workspace, tmp_path)
    path = write(tmp_path, "s.csv", SUBS_HEADER + "S1,A1,2024-01-01,,-5,EUR,1\nS2,A2,2024-01-01,,7.25,EUR,12\n")
    result = workspace.load("subscriptions", [path])
    assert (result.rows_inserted, result.rows_rejected) == (1, 1)
    assert rows(workspace, "SELECT subscription_id, amount FROM subscriptions") == [("S2", Decimal("7.250000"))]


def test_strict_loads_nothing_but_records_the_rejects(workspace, tmp_path):
    with_accounts(workspace, tmp_path)
    path = write(tmp_path, "s.csv", SUBS_HEADER + "S1,A1,2024-01-01,,-5,EUR,1\nS2,A2,2024-01-01,,7,EUR,1\n")
    with pytest.raises(StrictLoadError, match="1 row"):
        workspace.load("subscriptions", [path], strict=True)
    assert rows(workspace, "SELECT count(*) FROM subscriptions") == [(0,)]
    assert reasons(workspace) == [(1, "amount", "-5", "amount '-5' is negative")]


def test_a_later_unreadable_file_rolls_back_the_earlier_files(workspace, tmp_path):
    good = write(tmp_path, "a.csv", ACCOUNTS)
    with pytest.raises(UnreadableFileError):
        workspace.load("accounts", [good, tmp_path / "missing.csv"])
    assert rows(workspace, "SELECT count(*) FROM accounts") == [(0,)]
    assert rows(workspace, "SELECT count(*) FROM _loads") == [(0,)]


# -- whole-file failures --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("a.csv", b"account_id,name\nA1,x\n", "is missing the required column created_at for accounts"),
        ("a.csv", b"", "is empty"),
        ("a.csv", b"account_id,created_at\n", "has no rows"),
        ("a.csv", "account_id,created_at\nA1,caf\xe9\n".encode("latin-1"), "is not UTF-8 encoded text"),
        ("a.parquet", b"this is not parquet at all", "cannot be read as Parquet"),
        ("a.csv", b"account_id,created_at\nA1,2024-01-01\nA2\n", "cannot be read as CSV"),
        ("a.txt", b"account_id,created_at\nA1,2024-01-01\n", "has no known extension"),
    ],
)
def test_an_unreadable_file_names_the_file_and_loads_nothing(workspace, tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFileError) as raised:
        workspace.load("accounts", [path])
    assert raised.value.file == str(path)
    assert problem in str(raised.value)
    assert rows(workspace, "SELECT count(*) FROM accounts") == [(0,)]


def test_a_missing_file_is_named(workspace, tmp_path):
    with pytest.raises(UnreadableFileError, match="missing.csv: does not exist; nothing was loaded"):
        workspace.load("accounts", [tmp_path / "missing.csv"])


# -- idempotence, upserts, events ---------------------------------------------------------------


def test_loading_the_same_file_twice_leaves_one_copy(workspace, tmp_path):
    path = write(tmp_path, "a.csv", ACCOUNTS)
    workspace.load("accounts", [path])
    second = workspace.load("accounts", [path])
    assert (second.rows_inserted, second.rows_updated, second.rows_unchanged) == (0, 0, 2)
    assert rows(workspace, "SELECT account_id, name FROM accounts ORDER BY 1") == [("A1", "Acme"), ("A2", "Beta")]


def test_a_later_load_of_a_key_replaces_the_row(workspace, tmp_path):
    workspace.load("accounts", [write(tmp_path, "a.csv", ACCOUNTS)])
    result = workspace.load("accounts", [write(tmp_path, "b.csv", "account_id,name,created_at\nA1,Acme Corp,2024-01-01\n")])
    assert (result.rows_inserted, result.rows_updated, result.rows_unchanged) == (0, 1, 0)
    assert rows(workspace, "SELECT account_id, name FROM accounts ORDER BY 1") == [("A1", "Acme Corp"), ("A2", "Beta")]


def test_a_reload_counts_new_changed_and_same_rows_apart(workspace, tmp_path):
    workspace.load("accounts", [write(tmp_path, "a.csv", ACCOUNTS)])  # A1 Acme, A2 Beta
    changed = "account_id,name,created_at\nA1,Acme,2024-01-01\nA2,Beta Ltd,2024-01-01\nA3,Gamma,2024-01-01\nbad,,x\n"
    result = workspace.load("accounts", [write(tmp_path, "b.csv", changed)])
    assert (result.rows_read, result.rows_inserted, result.rows_updated, result.rows_unchanged, result.rows_rejected) == (
        4, 1, 1, 1, 1)


def test_within_one_load_the_later_row_wins(workspace, tmp_path):
    first = write(tmp_path, "a.csv", "account_id,name,created_at\nA1,one,2024-01-01\nA1,two,2024-01-01\n")
    second = write(tmp_path, "b.csv", "account_id,name,created_at\nA1,three,2024-01-01\n")
    result = workspace.load("accounts", [first, second])
    assert (result.rows_inserted, result.rows_unchanged) == (1, 2)
    assert rows(workspace, "SELECT name FROM accounts") == [("three",)]


def test_composite_keys_upsert(workspace, tmp_path):
    with_accounts(workspace, tmp_path)
    workspace.load("subscriptions", [write(tmp_path, "s.csv", SUBS_HEADER + "S1,A1,2024-01-01,,5,EUR,1\nS1,A1,2024-02-01,,6,EUR,1\n")])
    workspace.load("subscriptions", [write(tmp_path, "t.csv", SUBS_HEADER + "S1,A1,2024-02-01,,9,EUR,1\n")])
    assert rows(workspace, "SELECT amount FROM subscriptions ORDER BY start_date") == [(Decimal("5.000000"),), (Decimal("9.000000"),)]


def test_events_with_an_id_are_deduplicated_and_kept(workspace, tmp_path):
    workspace.load("events", [write(tmp_path, "e.csv", "event_id,account_id,event,timestamp\nE1,A1,login,2024-01-01\n")])
    again = workspace.load("events", [write(tmp_path, "f.csv", "event_id,account_id,event,timestamp\nE1,A1,logout,2024-01-01\nE1,A1,x,2024-01-01\nE2,A1,login,2024-01-02\n")])
    assert (again.rows_inserted, again.rows_unchanged) == (1, 2)
    assert rows(workspace, "SELECT event_id, event FROM events ORDER BY 1") == [("E1", "login"), ("E2", "login")]


def test_events_without_an_id_get_the_same_hash_from_csv_and_parquet(workspace, tmp_path):
    csv = write(tmp_path, "e.csv", 'account_id,user_id,event,timestamp,properties\nA1,U1,login,2024-01-01T10:00:00+02:00,"{""plan"": ""pro""}"\n')
    parquet = tmp_path / "e.parquet"
    duckdb.sql(
        "SELECT 'A1' AS account_id, 'U1' AS user_id, 'login' AS event, "
        "TIMESTAMPTZ '2024-01-01 08:00:00+00' AS timestamp, '{\"plan\":\"pro\"}' AS properties"
    ).write_parquet(str(parquet))
    workspace.load("events", [csv])
    second = workspace.load("events", [parquet])
    assert (second.rows_inserted, second.rows_unchanged) == (0, 1)
    ((event_id, properties),) = rows(workspace, "SELECT event_id, properties FROM events")
    assert len(event_id) == 32 and properties == '{"plan":"pro"}'


def test_extra_columns_land_in_attributes(workspace, tmp_path):
    workspace.load("accounts", [write(tmp_path, "a.csv", "Account_ID , created_at,Plan,seats\nA1,2024-01-01,pro,\n")])
    assert rows(workspace, "SELECT account_id, attributes FROM accounts") == [("A1", '{"plan":"pro"}')]


def test_extra_columns_merge_into_event_properties(workspace, tmp_path):
    path = write(tmp_path, "e.csv", 'event_id,account_id,event,timestamp,properties,browser\nE1,A1,login,2024-01-01,"{""a"": 1}",firefox\n')
    workspace.load("events", [path])
    assert json.loads(rows(workspace, "SELECT properties FROM events")[0][0]) == {"a": 1, "browser": "firefox"}


# -- types ----------------------------------------------------------------------------------------


def test_naive_timestamps_are_read_in_the_workspace_time_zone_and_offsets_converted(tmp_path):
    ws = Workspace.init(tmp_path / "ws")
    ws.close()
    config = tmp_path / "ws" / "tenure.toml"
    config.write_text(config.read_text().replace('timezone = "UTC"', 'timezone = "America/New_York"'))
    with Workspace.open(tmp_path / "ws") as ws:
        assert ws.settings.workspace.timezone == "America/New_York"
        path = write(tmp_path, "a.csv", "account_id,created_at\nA1,2024-01-15 09:30\nA2,2024-01-15T09:30:00Z\nA3,2024-07-01\n")
        ws.load("accounts", [path])
        utc = rows(ws, "SELECT account_id, strftime(timezone('UTC', created_at), '%Y-%m-%d %H:%M') FROM accounts ORDER BY 1")
    assert utc == [("A1", "2024-01-15 14:30"), ("A2", "2024-01-15 09:30"), ("A3", "2024-07-01 04:00")]


def test_money_is_exact(workspace, tmp_path):
    with_accounts(workspace, tmp_path)
    workspace.load("subscriptions", [write(tmp_path, "s.csv", SUBS_HEADER + "S1,A1,2024-01-01,,0.1,usd,1\nS2,A1,2024-01-01,,0.2,USD,1\n")])
    assert rows(workspace, "SELECT sum(amount), min(currency), max(currency) FROM subscriptions") == [(Decimal("0.300000"), "USD", "USD")]


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
def test_every_format_loads(workspace, tmp_path, fmt):
    path = tmp_path / f"a.{fmt}"
    relation = duckdb.sql("SELECT * FROM (VALUES ('A1', '2024-01-01 00:00:00', 'x')) AS t(account_id, created_at, tier)")
    {"csv": relation.write_csv, "parquet": relation.write_parquet}.get(fmt, lambda p: Path(p).write_text(
        '{"account_id": "A1", "created_at": "2024-01-01 00:00:00", "tier": "x"}\n'))(str(path))
    result = workspace.load("accounts", [path])
    assert result.rows_inserted == 1
    assert rows(workspace, "SELECT account_id, CAST(created_at AS VARCHAR), attributes FROM accounts") == [
        ("A1", "2024-01-01 00:00:00+00", '{"tier":"x"}')
    ]


def test_parquet_typed_columns_are_checked(workspace, tmp_path):
    path = tmp_path / "fx.parquet"
    duckdb.sql("SELECT DATE '2024-01-01' AS date, 'EUR' AS currency, CAST(-1.5 AS DOUBLE) AS rate").write_parquet(str(path))
    workspace.load("fx_rates", [path])
    assert reasons(workspace, "fx_rates") == [(1, "rate", "-1.5", "rate '-1.5' is not positive")]


# -- safety ---------------------------------------------------------------------------------------


def test_no_sql_injection_through_column_names_or_values(workspace, tmp_path):
    evil = "x'); DROP TABLE accounts; --"
    path = write(tmp_path, "a.csv", f'account_id,created_at,"{evil}",""""\n"{evil}",2024-01-01,"{evil}",q\n')
    workspace.load("accounts", [path])
    ((account_id, attributes),) = rows(workspace, "SELECT account_id, attributes FROM accounts")
    assert account_id == evil
    assert json.loads(attributes) == {evil.lower(): evil, '"': "q"}  # extra column names are kept in lower case


def test_progress_reports_one_step_named_by_the_table(workspace, tmp_path):
    seen = []
    workspace.load("accounts", [write(tmp_path, "a.csv", ACCOUNTS)], progress=lambda *a: seen.append(a))
    # One file read, the rows checked, the rows written, the load committed.
    assert seen == [("load accounts", k, 4) for k in range(5)]


def test_rejects_show_the_latest_load_of_each_table_unless_all(workspace, tmp_path):
    workspace.load("accounts", [write(tmp_path, "a.csv", "account_id,created_at\nA1,never\n")])
    workspace.load("accounts", [write(tmp_path, "b.csv", "account_id,created_at\nA1,soon\n")])
    assert [r["value"] for r in workspace.rejects().to_pylist()] == ["soon"]
    assert [r["value"] for r in workspace.rejects(all_loads=True).to_pylist()] == ["never", "soon"]
