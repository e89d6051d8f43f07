"""The ranges options accept, each refused in one line naming the flag, before any work; and the time
limit on the queries of a command that only reads ([warehouse] query_timeout_seconds)."""

import time
from pathlib import Path

import pytest

from tenure import Workspace
from tenure.errors import QueryTimeoutError
from tests.cli.inprocess import tenure_in_process


@pytest.mark.parametrize(("command", "message"), [
    (("accounts", "--as-of", "0001-01-01"), "error: --as-of: 0001-01-01 is outside 1900-01-01 .. 2200-12-31"),
    (("query", "retention", "--from", "0001-01-01"), "error: --from: 0001-01-01 is outside 1900-01-01 .. 2200-12-31"),
    (("metrics", "revenue", "--from", "0001-01"), "error: --from: 0001-01 is outside 1900-01 .. 2200-12"),
    (("churn", "--horizon", "99999999999999999999d"), "error: --horizon 99999999999999999999d: at most 3660 days (10 years)"),
    (("model", "survival", "--plot", "/etc/passwd/x.png"),
     "error: --plot /etc/passwd/x.png: cannot write there (/etc/passwd is not a folder this user may write to)"),
    (("accounts", "--as-of", "2025-01-01\r\nX"), "error: --as-of: '2025-01-01\\x0d\\x0aX' is not a day; write YYYY-MM-DD, for example 2025-01-06"),
])
def test_an_out_of_range_value_is_one_line_naming_its_flag(workspace_folder: Path, command, message):
    run = tenure_in_process("-w", workspace_folder, *command)
    assert (run.code, run.escaped, run.stderr.splitlines()) == (2, None, [message])


def test_a_query_past_the_time_limit_is_stopped(workspace: Workspace):
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError, match=r"^the query ran past 1 s \(\[warehouse\] query_timeout_seconds\)"):
        with workspace.time_limit(1):
            # Minutes of work without the limit: 10^14 pairs.
            workspace.warehouse.raw.execute("SELECT count(*) FROM range(10000000) a, range(10000000) b WHERE (a.range * b.range) % 7 = 3").fetchall()
    assert time.monotonic() - started < 10
    # The connection is usable again at once.
    assert workspace.warehouse.raw.execute("SELECT 42").fetchall() == [(42,)]


def test_a_limit_that_passes_with_no_query_running_leaves_the_next_query_alone(workspace: Workspace):
    with workspace.time_limit(1):
        time.sleep(1.5)
    assert workspace.warehouse.raw.execute("SELECT 42").fetchall() == [(42,)]
