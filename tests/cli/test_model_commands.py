"""`tenure model sbg --cohorts` and `tenure model survival` through the real entry point, on a small
hand-made company with "today" fixed by --as-of 2024-06-15 (June has not elapsed):

    account  segment  paid from    first churn   lifetime (months)   days to churn or today
    a        SMB      2024-01-05   2024-03-10    2                   65
    b        SMB      2024-01-20   -             -                   147 (censored)
    c        Ent      2024-01-02   2024-02-01    1                   30
    d        Ent      2024-02-03   2024-05-03    3                   90
    e        SMB      2024-02-11   2024-02-20    0                   9

Monthly cohorts: 2024-01 (a, b, c) survivors 3 3 2 1 1 1; 2024-02 (d, e) survivors 2 1 1 1 0.
"""

from pathlib import Path

import pytest

from tests.cli.runner import tenure
from tests.conftest import copy_workspace

# Each test starts `tenure` in a subprocess (end to end).
pytestmark = pytest.mark.slow
AS_OF = ("--as-of", "2024-06-15")


@pytest.fixture(scope="module")
def ws(tmp_path_factory, workspace_template) -> Path:
    folder = tmp_path_factory.mktemp("cli-model")
    copy_workspace(workspace_template, folder / "ws")  # a new workspace, as `tenure init` makes
    (folder / "accounts.csv").write_text(
        "account_id,created_at,segment\na,2024-01-01,SMB\nb,2024-01-01,SMB\nc,2024-01-01,Ent\n"
        "d,2024-01-01,Ent\ne,2024-01-01,SMB\n"
    )
    (folder / "subs.csv").write_text(
        "subscription_id,account_id,start_date,end_date,amount,currency,interval_months\n"
        "s1,a,2024-01-05,2024-03-10,100.00,USD,1\n"
        "s2,b,2024-01-20,,100.00,USD,1\n"
        "s3,c,2024-01-02,2024-02-01,100.00,USD,1\n"
        "s5,d,2024-02-03,2024-05-03,100.00,USD,1\n"
        "s6,e,2024-02-11,2024-02-20,100.00,USD,1\n"
    )
    assert tenure("-w", folder / "ws", "load", "accounts", folder / "accounts.csv").code == 0
    assert tenure("-w", folder / "ws", "load", "subscriptions", folder / "subs.csv").code == 0
    return folder / "ws"


def test_sbg_cohorts_json_shows_the_observed_survivors_and_the_fit(ws: Path):
    run = tenure("-w", ws, "model", "sbg", "--cohorts", "month", *AS_OF, "--periods", "3", "--json")
    assert run.code == 0, run.stderr
    result = run.json()
    assert [(c["cohort"], c["survivors"]) for c in result["cohorts"]] == [
        ("2024-01", [3, 3, 2, 1, 1, 1]), ("2024-02", [2, 1, 1, 1, 0]),
    ]
    assert len(result["survival"]) == 4 and result["survival"][0] == 1
    assert {"alpha", "beta", "log_likelihood", "retention"} <= set(result)


def test_sbg_cohort_periods_are_named_from_the_signup_month(ws: Path):
    # n_1 counts who still pays at the end of the signup month itself (2024-01: all 3), so the columns
    # read "signup month", then "month +1" (2024-01: 2 of 3), not "month 1" at 100% for every cohort.
    result = tenure("-w", ws, "model", "sbg", "--cohorts", "month", *AS_OF, "--periods", "3", "--json").json()
    assert result["period_labels"] == ["signup", "signup month", "month +1", "month +2", "month +3", "month +4"]
    shown = tenure("-w", ws, "model", "sbg", "--cohorts", "month", *AS_OF, "--periods", "3").stdout
    assert "signup month" in shown and "month +1" in shown and "month 1 " not in shown


def test_sbg_wants_survivors_or_cohorts_not_both(ws: Path):
    run = tenure("-w", ws, "model", "sbg", "--cohorts", "month", "--survivors", "10,8,7")
    assert run.code == 2
    assert "either --survivors" in run.stderr and "Traceback" not in run.stderr


def test_survival_by_segment_json_and_png(ws: Path, tmp_path: Path):
    plot = tmp_path / "km.png"
    run = tenure("-w", ws, "model", "survival", "--by", "segment", "--unit", "day", "--at", "10,100",
                 "--plot", plot, *AS_OF, "--json")
    assert run.code == 0, run.stderr
    groups = {g["group"]: g for g in run.json()["groups"]}
    # SMB: 9 churned, 65 churned, 147 censored -> 2/3 at day 10, 1/3 from day 65 (the median).
    assert groups["SMB"]["survival_at_10"] == pytest.approx(2 / 3)
    assert groups["SMB"]["median_survival"] == 65
    # Ent: 30 and 90 both churned -> 1/2 at day 30, 0 from day 90.
    assert groups["Ent"]["survival_at_100"] == 0
    assert set(run.json()["curves"][0]) == {"group", "timeline", "survival", "ci_lower", "ci_upper", "at_risk"}
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_survival_plot_with_another_extension_is_a_usage_error(ws: Path, tmp_path: Path):
    run = tenure("-w", ws, "model", "survival", "--plot", tmp_path / "km.jpg", *AS_OF)
    assert run.code == 2 and ".png or .svg" in run.stderr


def test_survival_sql_prints_the_durations_query_instead_of_running_it(ws: Path):
    run = tenure("-w", ws, "model", "survival", "--by", "segment", "--sql", *AS_OF)
    assert run.code == 0, run.stderr
    assert run.stdout.lstrip().upper().startswith(("SELECT", "WITH")) and '"subscriptions"' in run.stdout
