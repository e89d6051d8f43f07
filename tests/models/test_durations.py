"""Kaplan-Meier survival from the workspace: per-customer durations built in the engine
(tenure.models.durations), the curves per group, their summary and the plot.

The company, "today" fixed at 2024-06-15; durations in days from the first paid day:

    account  segment  attributes        paid from    first churn   days   observed
    a        SMB      {"tier": "gold"}  2024-01-05   2024-03-10    65     yes
    b        SMB                        2024-01-20   -             147    no (censored at today)
    c        Ent      {"tier": "gold"}  2024-01-02   2024-02-01    30     yes (back on 2024-04-01: ignored)
    d        Ent                        2024-02-03   2024-05-03    90     yes
    e        SMB                        2024-02-11   2024-02-20    9      yes
    f        Ent                        2024-03-15   2024-09-01    92     no (the churn is after today)
    g        SMB                        2024-07-01   -             -      not a customer yet: left out

Product-limit by hand, S(t) = prod over churn times u <= t of (1 - churned / at risk):

    SMB (a, b, e):  t = 9: 1 - 1/3 = 2/3;   t = 65: 2/3 x (1 - 1/2) = 1/3;   t = 147 censored: 1/3
    Ent (c, d, f):  t = 30: 1 - 1/3 = 2/3;  t = 90: 2/3 x (1 - 1/2) = 1/3;   t = 92 censored: 1/3
"""

from __future__ import annotations

import pytest

from tenure.errors import DataError, UsageError
from tenure.models.plot import plot_survival
from tenure.models.survival import kaplan_meier, survival_summary
from tests.conftest import put_rows
from tests.metrics.rows import sub

AS_OF = "2024-06-15"


@pytest.fixture
def company(workspace):
    gold = '{"tier": "gold"}'
    put_rows(workspace, "accounts", [
        {"account_id": "a", "created_at": "2024-01-01", "segment": "SMB", "attributes": gold},
        {"account_id": "b", "created_at": "2024-01-01", "segment": "SMB"},
        {"account_id": "c", "created_at": "2024-01-01", "segment": "Ent", "attributes": gold},
        {"account_id": "d", "created_at": "2024-01-01", "segment": "Ent"},
        {"account_id": "e", "created_at": "2024-01-01", "segment": "SMB"},
        {"account_id": "f", "created_at": "2024-01-01", "segment": "Ent"},
        {"account_id": "g", "created_at": "2024-01-01", "segment": "SMB"},
    ])
    put_rows(workspace, "subscriptions", [
        sub("s1", "a", "2024-01-05", "2024-03-10"),
        sub("s2", "b", "2024-01-20"),
        sub("s3", "c", "2024-01-02", "2024-02-01"),
        sub("s4", "c", "2024-04-01"),
        sub("s5", "d", "2024-02-03", "2024-05-03"),
        sub("s6", "e", "2024-02-11", "2024-02-20"),
        sub("s7", "f", "2024-03-15", "2024-09-01"),
        sub("s8", "g", "2024-07-01"),
    ])
    return workspace


def test_durations_in_days_to_the_first_churn_or_today(company):
    rows = company.survival_durations(unit="day", as_of=AS_OF).to_pylist()
    assert [(r["account_id"], r["duration"], r["observed"]) for r in rows] == [
        ("a", 65.0, True), ("b", 147.0, False), ("c", 30.0, True), ("d", 90.0, True), ("e", 9.0, True),
        ("f", 92.0, False),
    ]


def test_months_are_calendar_months_plus_the_share_of_the_month_in_progress(company):
    rows = {r["account_id"]: r["duration"] for r in company.survival_durations(as_of=AS_OF).to_pylist()}
    # a: 5 Jan -> 5 Mar is 2 months, then 5 of the 31 days to 5 Apr. b: 20 Jan -> 20 May is 4, then 26
    # of 31 to 15 Jun. c: 30 of the 31 days from 2 Jan to 2 Feb. d: 3 Feb -> 3 May, exactly 3.
    # e: 9 of the 29 days of February 2024 (11 Feb -> 11 Mar). f: 15 Mar -> 15 Jun (today), exactly 3.
    assert rows == pytest.approx({"a": 2 + 5 / 31, "b": 4 + 26 / 31, "c": 30 / 31, "d": 3.0, "e": 9 / 29, "f": 3.0},
                                 rel=1e-12)


def test_a_month_from_the_31st_ends_on_the_last_day_of_a_shorter_month(workspace):
    put_rows(workspace, "accounts", [{"account_id": x, "created_at": "2023-01-01"} for x in "xyz"])
    put_rows(workspace, "subscriptions", [
        sub("s1", "x", "2023-01-31", "2023-02-28"),   # 28 Feb is the month's last day: one month
        sub("s2", "y", "2024-01-31", "2024-02-29"),   # a leap year: 29 Feb is
        sub("s3", "z", "2024-01-31", "2024-02-28"),   # one day short: 28 of the 29 days to 29 Feb
    ])
    rows = {r["account_id"]: r["duration"] for r in workspace.survival_durations(as_of=AS_OF).to_pylist()}
    assert rows == pytest.approx({"x": 1.0, "y": 1.0, "z": 28 / 29}, rel=1e-12)


def test_monthly_churn_on_renewal_days_matches_lifelines_on_whole_months(workspace):
    from lifelines import KaplanMeierFitter

    put_rows(workspace, "accounts", [{"account_id": x, "created_at": "2024-01-01"} for x in "pqrs"])
    put_rows(workspace, "subscriptions", [
        sub("s1", "p", "2024-01-01", "2024-02-01"),   # 1 month of 31 days (1.018 mean months)
        sub("s2", "q", "2024-03-01", "2024-04-01"),   # 1 month of 31 days
        sub("s3", "r", "2024-02-01", "2024-05-01"),   # 3 months of 90 days (2.957 mean months)
        sub("s4", "s", "2024-01-10"),                 # still paying on 10 June: 5 months, censored
    ])
    summary = survival_summary(workspace.survival(as_of="2024-06-10"), [1, 3]).to_pylist()[0]
    # By hand: S(1) = 1 - 2/4 = 0.5, S(3) = 0.5 x (1 - 1/2) = 0.25; lifelines on the whole months agrees.
    fitted = KaplanMeierFitter().fit([1, 1, 3, 5], event_observed=[1, 1, 1, 0]).survival_function_.iloc[:, 0]
    assert (summary["survival_at_1"], summary["survival_at_3"]) == pytest.approx((fitted.loc[1.0], fitted.loc[3.0]))
    assert (summary["survival_at_1"], summary["survival_at_3"]) == pytest.approx((0.5, 0.25))


def test_the_durations_are_one_engine_query(company):
    assert '"subscriptions"' in company.sql(company.survival_durations_expr(by="segment", as_of=AS_OF))


def test_km_by_segment_is_the_hand_computed_product_limit(company):
    curves = company.survival(by="segment", unit="day", as_of=AS_OF).to_pylist()
    got = [(r["group"], r["timeline"], r["at_risk"]) for r in curves]
    assert got == [
        ("Ent", 0.0, 3), ("Ent", 30.0, 3), ("Ent", 90.0, 2), ("Ent", 92.0, 1),
        ("SMB", 0.0, 3), ("SMB", 9.0, 3), ("SMB", 65.0, 2), ("SMB", 147.0, 1),
    ]
    assert [r["survival"] for r in curves] == pytest.approx([1, 2 / 3, 1 / 3, 1 / 3, 1, 2 / 3, 1 / 3, 1 / 3])


def test_km_by_a_custom_attribute_puts_accounts_without_it_in_none(company):
    curves = company.survival(by="tier", unit="day", as_of=AS_OF).to_pylist()
    # gold: a (65, churned), c (30, churned): 1/2 at 30, 0 at 65.
    gold = [(r["timeline"], r["survival"]) for r in curves if r["group"] == "gold"]
    assert gold == [(0.0, 1.0), (30.0, 0.5), (65.0, 0.0)]
    assert {r["group"] for r in curves} == {"(none)", "gold"}


def test_km_by_signup_quarter_and_month(company):
    assert {r["group"] for r in company.survival(by="cohort-quarter", as_of=AS_OF).to_pylist()} == {"2024-Q1"}
    months = company.survival(by="cohort-month", unit="day", as_of=AS_OF).to_pylist()
    # February: d (90, churned) and e (9, churned): 1/2 at 9, 0 at 90.
    assert [(r["timeline"], r["survival"]) for r in months if r["group"] == "2024-02"] == [(0.0, 1.0), (9.0, 0.5), (90.0, 0.0)]


def test_an_unknown_group_is_a_usage_error(company):
    with pytest.raises(UsageError, match="no accounts column"):
        company.survival(by="shoe_size", as_of=AS_OF)


def test_a_workspace_without_customers_is_a_data_error(workspace):
    with pytest.raises(DataError, match="no paying customers"):
        workspace.survival(as_of=AS_OF)


def test_an_unknown_unit_is_a_usage_error(company):
    with pytest.raises(UsageError, match="day or month"):
        company.survival_durations(unit="week", as_of=AS_OF)


# -- summary and plot -------------------------------------------------------------------------------

# The docstring's SMB curve, as durations: 9 and 65 churned, 147 censored.
SMB = kaplan_meier([9, 65, 147], [1, 1, 0], groups=["SMB"] * 3)


def test_summary_reads_survival_at_times_and_the_median():
    row = survival_summary(SMB, [0, 10, 65, 100, 147, 200]).to_pylist()[0]
    assert row["group"] == "SMB" and row["customers"] == 3
    # S falls to 1/3 <= 0.5 at 65: the median. At 200 the curve has ended censored: unknown.
    assert row["median_survival"] == 65.0
    assert [row[f"survival_at_{t}"] for t in (0, 10, 65, 100, 147, 200)] == pytest.approx(
        [1.0, 2 / 3, 1 / 3, 1 / 3, 1 / 3, None]
    )


def test_summary_after_everyone_left_is_0_and_never_unknown():
    row = survival_summary(kaplan_meier([30, 65], [1, 1]), [1000]).to_pylist()[0]
    assert row["survival_at_1000"] == 0.0


def test_summary_median_is_null_when_the_curve_stays_above_half():
    assert survival_summary(kaplan_meier([5, 9, 9], [1, 0, 0]), [1]).to_pylist()[0]["median_survival"] is None


def test_plot_writes_a_png(tmp_path):
    path = plot_survival(SMB, tmp_path / "km.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_writes_an_svg(tmp_path):
    text = plot_survival(SMB, tmp_path / "km.svg", unit="day").read_text()
    assert text.startswith("<?xml") and "<svg" in text


def test_plot_refuses_other_formats(tmp_path):
    with pytest.raises(UsageError, match=".png or .svg"):
        plot_survival(SMB, tmp_path / "km.pdf")
    assert not (tmp_path / "km.pdf").exists()
