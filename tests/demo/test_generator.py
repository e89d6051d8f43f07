"""The demo company: deterministic, contract-shaped files whose signals tell the truth about fate."""

from __future__ import annotations

import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from tenure.contract.currencies import ISO_4217
from tenure.contract.tables import SURVEY_SCORE_RANGES, TABLES
from tenure.demo import TABLE_ORDER, generate

END = datetime.date(2026, 6, 30)
DAY = pd.Timedelta(days=1)


@pytest.fixture(scope="module")
def company(tmp_path_factory) -> tuple[Path, dict[str, list[Path]]]:
    out = tmp_path_factory.mktemp("company")
    return out, generate(out, accounts=400, months=24, seed=3, end=END)


def read(files: dict[str, list[Path]], table: str) -> pd.DataFrame:
    paths = files[table]
    if paths[0].suffix == ".parquet":
        return pd.concat([pq.read_table(p).to_pandas() for p in paths], ignore_index=True)
    return pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False, na_values=[""]) for p in paths], ignore_index=True)


def ts(column: pd.Series) -> pd.Series:
    return pd.to_datetime(column, utc=True, format="ISO8601")


def _digest(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_gives_byte_identical_files(tmp_path):
    generate(tmp_path / "a", accounts=60, months=6, seed=5, end=END)
    generate(tmp_path / "b", accounts=60, months=6, seed=5, end=END)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")


def test_different_seed_gives_a_different_company(tmp_path):
    generate(tmp_path / "a", accounts=60, months=6, seed=5, end=END)
    generate(tmp_path / "b", accounts=60, months=6, seed=6, end=END)
    a, b = _digest(tmp_path / "a"), _digest(tmp_path / "b")
    assert a["subscriptions.csv"] != b["subscriptions.csv"]
    assert a["events-00000.parquet"] != b["events-00000.parquet"]


def test_returns_every_table_in_load_order_accounts_first(company):
    _, files = company
    assert tuple(files) == TABLE_ORDER
    assert set(files) == set(TABLES)
    assert list(files)[0] == "accounts"
    assert all(p.exists() for paths in files.values() for p in paths)


@pytest.mark.parametrize("table", sorted(TABLES))
def test_columns_match_the_contract_and_required_values_are_present(company, table):
    _, files = company
    frame = read(files, table)
    spec = TABLES[table]
    names = [c.name for c in spec.columns]
    extras = {"accounts": ["employees", "country"]}.get(table, [])
    assert list(frame.columns) == names + extras
    assert len(frame) > 0
    for column in spec.required:
        assert frame[column].notna().all(), column
    assert not frame.duplicated(list(spec.key)).any()


def test_values_are_in_the_contract_formats(company):
    _, files = company
    for table, column in [("accounts", "created_at"), ("tickets", "created_at"), ("subscriptions", "start_date")]:
        assert read(files, table)[column].str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ").all()
    assert read(files, "subscriptions")["amount"].str.fullmatch(r"\d+\.\d\d").all()
    assert read(files, "spend")["month"].str.fullmatch(r"\d{4}-\d\d").all()
    surveys = read(files, "surveys")
    for kind, (low, high) in SURVEY_SCORE_RANGES.items():
        scores = surveys.loc[surveys.kind == kind, "score"].astype(int)
        assert len(scores) and scores.between(low, high).all(), kind
    tickets = read(files, "tickets")
    assert (ts(tickets.first_response_at).dropna() >= ts(tickets.created_at)[tickets.first_response_at.notna()]).all()
    assert set(tickets.status) <= set(TABLES["tickets"].column("status").choices)


def test_subscriptions_obey_the_contract(company):
    _, files = company
    subs = read(files, "subscriptions")
    start, end = ts(subs.start_date), ts(subs.end_date)
    assert (end.dropna() >= start[end.notna()]).all()
    amount = subs.amount.astype(float)
    trial = subs.is_trial == "true"
    assert (amount >= 0).all() and (amount[~trial] > 0).all() and (amount[trial] == 0).all()
    assert set(subs.currency) <= ISO_4217 and set(subs.currency) == {"USD", "EUR"}
    assert set(subs.interval_months.astype(int)) == {1, 3, 12}
    # Trials are flagged, last 14 days, and start the subscription they belong to.
    assert ((end - start)[trial] == 14 * DAY).all()
    # The rows of one subscription never overlap: each starts no earlier than the previous ended.
    subs = subs.assign(start=start, end=end.fillna(pd.Timestamp.max.tz_localize("UTC"))).sort_values(["subscription_id", "start"])
    previous_end = subs.groupby("subscription_id").end.shift()
    assert (subs.start[previous_end.notna()] >= previous_end.dropna()).all()
    # Real-data shapes: accounts with two subscriptions at once, and win-backs on a new subscription.
    per_account = subs.groupby("account_id").subscription_id.nunique()
    assert (per_account >= 2).sum() >= 5


def test_fx_rates_cover_every_day_of_history(company):
    _, files = company
    fx = read(files, "fx_rates")
    days = pd.to_datetime(fx.date)
    # History reaches back before the 24-month window to the founding (the installed base's first
    # rows), and every subscription row can be converted at the rate of its start day.
    first_start = ts(read(files, "subscriptions").start_date).min().tz_localize(None).normalize()
    first_created = ts(read(files, "accounts").created_at).min().tz_localize(None).normalize()
    assert days.min() <= min(first_start, first_created) and days.min() < pd.Timestamp("2024-07-01")
    assert days.min().day == 1 and days.max() == pd.Timestamp(END)
    assert len(days) == days.nunique() == (days.max() - days.min()).days + 1
    assert fx.rate.str.fullmatch(r"\d\.\d{4}").all()
    assert fx.rate.astype(float).between(0.9, 1.3).all()


def test_events_and_other_tables_only_name_known_accounts(company):
    _, files = company
    known = set(read(files, "accounts").account_id)
    for table in TABLE_ORDER[1:]:
        if "account_id" in TABLES[table].stored_columns:
            assert set(read(files, table).account_id) <= known, table
    users = read(files, "users")
    events = read(files, "events")
    assert set(events.user_id) <= set(users.user_id)


def _churns(files) -> pd.DataFrame:
    """Accounts that stopped paying for good: no open paid row; churn day = their last paid end."""
    subs = read(files, "subscriptions")
    subs = subs[subs.is_trial == "false"].assign(start=ts(subs.start_date), end=ts(subs.end_date))
    by = subs.groupby("account_id")
    gone = by.end.apply(lambda e: e.notna().all())
    frame = pd.DataFrame({"first": by.start.min(), "churn": by.end.max()})[gone]
    return frame


def test_usage_falls_in_the_three_months_before_churn(company):
    _, files = company
    churns = _churns(files)
    # Both 90-day windows must lie inside the event history (which starts with the 24-month window,
    # while the installed base has paid since before it).
    observed_from = np.maximum(churns["first"], pd.Timestamp("2024-07-01", tz="UTC"))
    churns = churns[churns.churn - observed_from >= 200 * DAY]
    assert len(churns) >= 20
    events = read(files, "events")[["account_id", "timestamp"]]
    events = events[events.account_id.isin(churns.index)].join(churns, on="account_id")
    before = events.churn - events.timestamp
    recent = ((before > 0 * DAY) & (before <= 90 * DAY)).groupby(events.account_id).sum()
    earlier = ((before > 90 * DAY) & (before <= 180 * DAY)).groupby(events.account_id).sum()
    assert recent.mean() < 0.85 * earlier.mean()


def test_accounts_that_later_churn_give_lower_nps(company):
    _, files = company
    churned = set(_churns(files).index)
    nps = read(files, "surveys").query("kind == 'nps'")
    score = nps.score.astype(int)
    leaving = nps.account_id.isin(churned)
    assert score[leaving].mean() < score[~leaving].mean() - 0.5


def test_unhealthy_accounts_file_more_tickets_per_user(company):
    _, files = company
    churned = set(_churns(files).index)
    tickets = read(files, "tickets")
    users = read(files, "users").groupby("account_id").size()
    per_user = (tickets.groupby("account_id").size() / users).fillna(0)
    assert per_user[per_user.index.isin(churned)].mean() > per_user[~per_user.index.isin(churned)].mean()


def test_target_events_lands_within_ten_percent(tmp_path):
    files = generate(tmp_path, accounts=150, months=12, seed=9, end=END, target_events=200_000)
    rows = sum(pq.ParquetFile(p).metadata.num_rows for p in files["events"])
    assert 180_000 <= rows <= 220_000


def test_events_can_be_written_as_csv(tmp_path):
    files = generate(tmp_path, accounts=30, months=3, seed=1, end=END, events_format="csv")
    assert [p.name for p in files["events"]] == ["events-00000.csv"]
    events = read(files, "events")
    assert list(events.columns) == [c.name for c in TABLES["events"].columns]
    assert events.timestamp.str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ").all()


def test_rejects_unknown_events_format(tmp_path):
    with pytest.raises(ValueError, match="events_format"):
        generate(tmp_path, accounts=10, months=3, events_format="json")


# Whatever the seed and size: signed up SHOWCASE_AGE_DAYS (330) before the day after END, 2025-08-05,
# or on the first day of a shorter history; expanded at its second monthly boundary.
@pytest.mark.parametrize(("accounts", "months", "seed", "signup", "expansion"), [
    (10, 3, 1, "2026-04-01", "2026-06-01"),
    (60, 13, 5, "2025-08-05", "2025-10-05"),
    (60, 13, 6, "2025-08-05", "2025-10-05"),
])
def test_the_tour_account_is_a_paying_customer_that_expanded(tmp_path, accounts, months, seed, signup, expansion):
    files = generate(tmp_path, accounts=accounts, months=months, seed=seed, end=END)
    account = read(files, "accounts").set_index("account_id").loc["acc_000001"]
    assert (account.segment, account.created_at[:10]) == ("Mid-Market", signup)
    subs = read(files, "subscriptions")
    subs = subs[(subs.account_id == "acc_000001") & (subs.plan != "Analytics add-on")].sort_values("start_date")
    first, second = subs.iloc[0], subs.iloc[1]
    assert (first.start_date[:10], first.is_trial, first.interval_months, first.quantity) == (signup, "false", "1", "20")
    # An expansion: more seats, or the same seats on a dearer plan (seed 6 upgrades Growth to Enterprise).
    assert second.start_date[:10] == expansion and float(second.amount) > float(first.amount)
    assert pd.isna(subs.iloc[-1].end_date)  # still a customer at the end
    events = pd.concat([pq.read_table(p, columns=["account_id"]).to_pandas() for p in files["events"]])
    assert (events.account_id == "acc_000001").sum() > 0
