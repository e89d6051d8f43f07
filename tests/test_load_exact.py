"""A load stores exactly what a file says, or rejects it with its reason: never a shifted instant, a
rounded amount, a lost property or a renamed column (issue 12). Expected values are hand-computed."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tenure import UnreadableFileError, Workspace
from tests.test_load import reasons, rows, write

ACCOUNTS = "account_id,name,created_at\nA1,Acme,2024-01-01\n"
SUBS_HEADER = "subscription_id,account_id,start_date,amount,currency,interval_months\n"



def utc(ws: Workspace, table: str, key: str, column: str) -> list[tuple]:
    return rows(ws, f"SELECT {key}, strftime(timezone('UTC', {column}), '%Y-%m-%d %H:%M:%S.%f') FROM {table} ORDER BY 1")


def workspace_in(tmp_path: Path, timezone: str, **settings: int) -> Workspace:
    Workspace.init(tmp_path / "ws").close()
    config = tmp_path / "ws" / "tenure.toml"
    text = config.read_text().replace('timezone = "UTC"', f'timezone = "{timezone}"')
    for name, value in settings.items():
        text = text.replace(f"{name} = ", f"{name} = {value}\n# was: ", 1)
    config.write_text(text)
    return Workspace.open(tmp_path / "ws")


# -- time zones -----------------------------------------------------------------------------------


def test_a_zone_named_timestamp_does_not_shift_the_rows_after_it(workspace, tmp_path):
    # The case of the issue: in DuckDB 1.5 TRY_CAST(... AS TIMESTAMPTZ) over a column read Z3 in Berlin.
    path = write(tmp_path, "a.csv", "account_id,created_at\nZ1,2025-01-01\nZ2,2025-06-01 10:00:00 Europe/Berlin\nZ3,2025-01-01\n")
    workspace.load("accounts", [path])
    assert utc(workspace, "accounts", "account_id", "created_at") == [
        ("Z1", "2025-01-01 00:00:00.000000"),
        ("Z2", "2025-06-01 08:00:00.000000"),  # CEST is UTC+2
        ("Z3", "2025-01-01 00:00:00.000000"),
    ]


def test_zones_offsets_and_naive_values_mixed_in_one_batch_each_keep_their_own(tmp_path):
    lines = [
        "N1,2025-01-15 09:30",  # naive: New York, EST (UTC-5)
        "B1,2025-01-15 09:30:00 Europe/Berlin",  # CET (UTC+1)
        "N2,2025-07-01",  # naive midnight, EDT (UTC-4)
        "T1,2025-07-01 12:00:00 Asia/Tokyo",  # UTC+9, no DST
        "O1,2025-07-01T12:00:00+05:30",
        "O2,2025-07-01T12:00-0130",  # an offset without seconds
        "Z1,2025-07-01t12:00:00z",  # RFC 3339 allows lower case
        "N3,2025-01-15 09:30",
    ] * 300  # more than one 2048-row vector
    body = "".join(f"{key}{i},{value}\n" for i, line in enumerate(lines) for key, value in [line.split(",")])
    with workspace_in(tmp_path, "America/New_York") as ws:
        result = ws.load("accounts", [write(tmp_path, "a.csv", "account_id,created_at\n" + body)])
        assert (result.rows_inserted, result.rows_rejected) == (2400, 0)
        found = dict(rows(ws, "SELECT regexp_extract(account_id, '^[A-Z]\\d'), list(DISTINCT strftime(timezone('UTC', created_at), '%Y-%m-%d %H:%M')) FROM accounts GROUP BY 1"))
    assert found == {
        "N1": ["2025-01-15 14:30"], "B1": ["2025-01-15 08:30"], "N2": ["2025-07-01 04:00"],
        "T1": ["2025-07-01 03:00"], "O1": ["2025-07-01 06:30"], "O2": ["2025-07-01 13:30"],
        "Z1": ["2025-07-01 12:00"], "N3": ["2025-01-15 14:30"],
    }


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        ("2025-06-01 (BC)", "is not an ISO 8601 timestamp"),
        ("2025-06-01 10:00+99", "is not an ISO 8601 timestamp"),
        ("2025-06-01 10:00:00+14:30", "is not an ISO 8601 timestamp"),  # offsets end at +-14:00
        ("2025-06-01 10:00:00-15", "is not an ISO 8601 timestamp"),
        ("2025-06-01 10:00:00+02:60", "is not an ISO 8601 timestamp"),
        ("2025-06-01 10:00:00 Mars/Olympus", "is not an ISO 8601 timestamp"),
        ("2025-06-01 10:00:00.1234567", "is not an ISO 8601 timestamp"),  # not cut to microseconds
        ("12025-06-01", "is not an ISO 8601 timestamp"),
        ("1899-12-31 23:59:59", "is outside the years 1900..2200"),
        ("2201-01-01", "is outside the years 1900..2200"),
        ("0001-01-01", "is outside the years 1900..2200"),
    ],
)
def test_a_lenient_timestamp_is_rejected(workspace, tmp_path, value, phrase):
    workspace.load("accounts", [write(tmp_path, "a.csv", f"account_id,created_at\nA1,{value}\n")])
    assert reasons(workspace) == [(1, "created_at", value, f"created_at '{value}' {phrase}")]


def test_the_edges_of_the_accepted_forms_load(workspace, tmp_path):
    lines = "A,1900-01-01\nB,2200-12-31 23:59:59.999999\nC,2025-06-01 10:00:00+14:00\nD,2025-06-01 10:00:00-14\nE,2025-06-01 10:00:00.123456000Z\n"
    result = workspace.load("accounts", [write(tmp_path, "a.csv", "account_id,created_at\n" + lines)])
    assert result.rows_rejected == 0
    assert utc(workspace, "accounts", "account_id", "created_at") == [
        ("A", "1900-01-01 00:00:00.000000"), ("B", "2200-12-31 23:59:59.999999"),
        ("C", "2025-05-31 20:00:00.000000"), ("D", "2025-06-02 00:00:00.000000"), ("E", "2025-06-01 10:00:00.123456"),
    ]


def test_the_years_are_a_setting(tmp_path):
    with workspace_in(tmp_path, "UTC", earliest_year=1800) as ws:
        result = ws.load("accounts", [write(tmp_path, "a.csv", "account_id,created_at\nA1,1850-01-01\nA2,1799-12-31\n")])
        assert (result.rows_inserted, result.rows_rejected) == (1, 1)
        assert reasons(ws)[0][3] == "created_at '1799-12-31' is outside the years 1800..2200"


def test_dates_months_and_parquet_timestamps_are_held_to_the_years(workspace, tmp_path):
    workspace.load("fx_rates", [write(tmp_path, "fx.csv", "date,currency,rate\n2201-01-01,EUR,1.1\n1899-12-31,EUR,1.1\n")])
    assert [r[3] for r in reasons(workspace, "fx_rates")] == [
        "date '2201-01-01' is outside the years 1900..2200", "date '1899-12-31' is outside the years 1900..2200",
    ]
    workspace.load("spend", [write(tmp_path, "spend.csv", "month,channel,amount,currency\n1899-12,ads,1,USD\n")])
    assert [r[3] for r in reasons(workspace, "spend")] == ["month '1899-12' is outside the years 1900..2200"]
    path = tmp_path / "a.parquet"
    duckdb.sql("SELECT 'A1' AS account_id, TIMESTAMP '10000-01-01 00:00:00' AS created_at").write_parquet(str(path))
    workspace.load("accounts", [path])
    assert [r[3] for r in reasons(workspace, "accounts")] == ["created_at '10000-01-01 00:00:00' is outside the years 1900..2200"]


# -- extra columns ------------------------------------------------------------------------------------


def test_an_empty_extra_column_does_not_delete_the_property_of_the_same_name(workspace, tmp_path):
    path = write(tmp_path, "e.csv", 'event_id,account_id,event,timestamp,properties,plan\nE1,A1,login,2024-01-01,"{""plan"": ""pro""}",\n')
    workspace.load("events", [path])
    assert json.loads(rows(workspace, "SELECT properties FROM events")[0][0]) == {"plan": "pro"}


def test_a_null_extra_key_in_json_lines_does_not_delete_the_property(workspace, tmp_path):
    path = write(tmp_path, "e.jsonl", '{"event_id": "E1", "account_id": "A1", "event": "login", "timestamp": "2024-01-01", "properties": {"plan": "pro"}, "plan": null}\n')
    workspace.load("events", [path])
    assert json.loads(rows(workspace, "SELECT properties FROM events")[0][0]) == {"plan": "pro"}


def test_an_extra_column_with_a_value_wins_over_the_same_key_in_attributes(workspace, tmp_path):
    text = 'account_id,created_at,attributes,plan,seats\nA1,2024-01-01,"{""plan"": ""pro"", ""seats"": 5}",team,\nA2,2024-01-01,"{""plan"": ""pro""}", ,9\n'
    workspace.load("accounts", [write(tmp_path, "a.csv", text)])
    assert [(k, json.loads(a)) for k, a in rows(workspace, "SELECT account_id, attributes FROM accounts ORDER BY 1")] == [
        ("A1", {"plan": "team", "seats": 5}),
        ("A2", {"plan": "pro", "seats": "9"}),  # a blank value is missing, like any blank string
    ]


# -- money ----------------------------------------------------------------------------------------------


def load_amounts(ws: Workspace, tmp_path: Path, fmt: str, amounts: pa.Array) -> list:
    ws.load("accounts", [write(tmp_path, "accounts.csv", ACCOUNTS)])
    n = len(amounts)
    data = pa.table({
        "subscription_id": [f"S{i}" for i in range(n)], "account_id": ["A1"] * n, "start_date": ["2024-01-01"] * n,
        "amount": amounts, "currency": ["EUR"] * n, "interval_months": [1] * n,
    })
    path = tmp_path / f"subs.{fmt}"
    if fmt == "parquet":
        pq.write_table(data, path)
    else:
        # The amount as the text a writer prints for it: bare in CSV, a JSON number in JSON Lines.
        frame = data.to_pylist()
        if fmt == "csv":
            lines = [",".join(str(row[c]) for c in data.column_names) for row in frame]
            path.write_text(",".join(data.column_names) + "\n" + "\n".join(lines) + "\n")
        else:
            path.write_text("".join(
                json.dumps({**row, "amount": "AMOUNT"}).replace('"AMOUNT"', str(row["amount"])) + "\n" for row in frame
            ))
    ws.load("subscriptions", [path])
    return rows(ws, "SELECT subscription_id, amount FROM subscriptions ORDER BY 1")


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_money_with_more_than_six_decimals_is_rejected_not_rounded(workspace, tmp_path, fmt):
    amounts = pa.array([Decimal("1.1234567"), Decimal("1.1234560"), Decimal("-0.5")], pa.decimal128(38, 7))
    assert load_amounts(workspace, tmp_path, fmt, amounts) == [("S1", Decimal("1.123456"))]
    assert [(r[0], r[3]) for r in reasons(workspace, "subscriptions")] == [
        (1, "amount '1.1234567' is not a decimal number with at most 6 decimal places"),
        # A JSON number is read as a double: the value quoted is the engine's reading of it.
        (3, "amount '-0.5' is negative" if fmt == "jsonl" else "amount '-0.5000000' is negative"),
    ]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_a_binary_float_is_read_as_its_shortest_decimal(workspace, tmp_path, fmt):
    # 0.1 + 0.2 is 0.30000000000000004 as a float64: 17 decimal places, rejected rather than stored as 0.3.
    amounts = pa.array([0.1 + 0.2, 0.1, 1234.5], pa.float64())
    assert load_amounts(workspace, tmp_path, fmt, amounts) == [("S1", Decimal("0.100000")), ("S2", Decimal("1234.500000"))]
    assert reasons(workspace, "subscriptions") == [
        (1, "amount", "0.30000000000000004", "amount '0.30000000000000004' is not a decimal number with at most 6 decimal places")
    ]


@pytest.mark.parametrize("value", ["1_000", "1e3", "1,5", "0x10", "1.2.3", "--1", "NaN", "Infinity", "1 000", "9999999999999"])
def test_a_number_is_digits_one_point_and_a_sign(workspace, tmp_path, value):
    workspace.load("accounts", [write(tmp_path, "accounts.csv", ACCOUNTS)])
    workspace.load("subscriptions", [write(tmp_path, "s.csv", SUBS_HEADER + f'S1,A1,2024-01-01,"{value}",EUR,1\n')])
    assert [r[1:3] for r in reasons(workspace, "subscriptions")] == [("amount", value)]


def test_a_json_number_with_more_digits_than_a_double_keeps_is_rejected(workspace, tmp_path):
    # 12345678901.1234567 has 7 decimals; the engine's double reads it as 12345678901.123457.
    workspace.load("accounts", [write(tmp_path, "accounts.csv", ACCOUNTS)])
    line = '{"subscription_id": "S%d", "account_id": "A1", "start_date": "2024-01-01", "amount": %s, "currency": "EUR", "interval_months": 1}\n'
    text = line % (1, "12345678901.1234567") + line % (2, '"12345678901.123456"') + line % (3, "10.25")
    workspace.load("subscriptions", [write(tmp_path, "s.jsonl", text)])
    assert rows(workspace, "SELECT subscription_id, amount FROM subscriptions ORDER BY 1") == [
        ("S2", Decimal("12345678901.123456")), ("S3", Decimal("10.250000")),
    ]
    assert [r[0] for r in reasons(workspace, "subscriptions")] == [1]


@pytest.mark.parametrize("value", ["1_000", "1e3", "+12", "007", "3.00"])
def test_a_whole_number_is_digits_and_a_sign(workspace, tmp_path, value):
    workspace.load("accounts", [write(tmp_path, "accounts.csv", ACCOUNTS)])
    workspace.load("subscriptions", [write(tmp_path, "s.csv", SUBS_HEADER + f"S1,A1,2024-01-01,5,EUR,{value}\n")])
    expected = {"+12": 12, "007": 7, "3.00": 3}
    assert rows(workspace, "SELECT interval_months FROM subscriptions") == ([(expected[value],)] if value in expected else [])


# -- headers and ids -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("account_id,created_at,created_at", "has two columns named created_at ('created_at' and 'created_at')"),
        ("account_id,Account_ID,created_at", "has two columns named account_id ('account_id' and 'Account_ID')"),
        ("account_id,created_at,plan, PLAN ", "has two columns named plan ('plan' and ' PLAN ')"),
        ("account_id,,created_at", "has a column without a name (column 2)"),
    ],
)
def test_a_csv_with_repeated_or_blank_column_names_is_rejected_whole(workspace, tmp_path, header, problem):
    path = write(tmp_path, "a.csv", header + "\nA1,2024-01-01,2024-01-02" + ",x" * (header.count(",") - 2) + "\n")
    with pytest.raises(UnreadableFileError) as raised:
        workspace.load("accounts", [path])
    assert str(raised.value) == f"{path}: {problem}; nothing was loaded"
    assert rows(workspace, "SELECT count(*) FROM accounts") == [(0,)]


def test_a_parquet_file_with_repeated_column_names_is_rejected_whole(workspace, tmp_path):
    path = tmp_path / "a.parquet"
    pq.write_table(pa.Table.from_arrays([pa.array(["A1"]), pa.array(["2024-01-01"]), pa.array(["2024-01-02"])],
                                        names=["account_id", "created_at", "Created_At"]), path)
    with pytest.raises(UnreadableFileError, match="has two columns named created_at"):
        workspace.load("accounts", [path])


def test_a_parquet_binary_id_loads_only_when_it_is_utf8_text(workspace, tmp_path):
    path = tmp_path / "a.parquet"
    ids = pa.array([b"\xff\xfe", "Zoë".encode(), b""], pa.binary())
    pq.write_table(pa.table({"account_id": ids, "created_at": ["2024-01-01"] * 3}), path)
    result = workspace.load("accounts", [path])
    assert rows(workspace, "SELECT account_id FROM accounts") == [("Zoë",)]
    assert (result.rows_rejected, reasons(workspace)) == (2, [
        (1, "account_id", "\\xFF\\xFE", "account_id '\\xFF\\xFE' is not UTF-8 text"),
        (3, "account_id", None, "account_id is required"),
    ])
