"""Monthly support rows: counts, hours (calendar and business), one-touch resolution and the rates."""

from __future__ import annotations

import pytest

from tenure import Workspace
from tenure.metrics.support import COLUMNS
from tests.conftest import put_rows


def ticket(ticket_id: str, created: str, *, responded: str | None = None, solved: str | None = None,
           status: str | None = None, **more) -> dict:
    return {
        "ticket_id": ticket_id, "account_id": more.pop("account", "a"), "created_at": created,
        "first_response_at": responded, "solved_at": solved,
        "status": status or ("solved" if solved else "open"), **more,
    }


def months(ws, start: str, end: str) -> dict[str, dict]:
    return {row["month"]: row for row in ws.support(start, end).to_pylist()}


@pytest.fixture
def business_hours():
    """business_hours(ws, table_text): add a [support.business_hours] table to tenure.toml and reopen."""
    opened: list[Workspace] = []

    def _with(ws: Workspace, table: str) -> Workspace:
        config = ws.path / "tenure.toml"
        config.write_text(config.read_text() + "\n[support.business_hours]\n" + table, encoding="utf-8")
        ws.close()
        opened.append(Workspace.open(ws.path))
        return opened[-1]

    yield _with
    for ws in opened:
        ws.close()


def test_rows_have_the_contract_keys(workspace):
    assert workspace.support("2024-01", "2024-01").schema.names == ["month", *COLUMNS]
    assert COLUMNS == (
        "tickets", "first_response_hours_median", "first_response_hours_p90", "escalation_rate", "solved",
        "resolution_hours_median", "fcr_rate", "reopen_rate", "rated", "ticket_csat",
    )


def test_an_empty_month_is_present_with_zeros_and_null_rates(workspace):
    put_rows(workspace, "tickets", [ticket("t1", "2024-01-10 10:00")])
    assert months(workspace, "2024-01", "2024-02")["2024-02"] == {
        "month": "2024-02", "tickets": 0, "first_response_hours_median": None, "first_response_hours_p90": None,
        "escalation_rate": None, "solved": 0, "resolution_hours_median": None, "fcr_rate": None,
        "reopen_rate": None, "rated": 0, "ticket_csat": None,
    }


def test_median_and_p90_interpolate_between_ranks(workspace):
    # First responses after 1, 2, 4 and 10 hours; one ticket without a response is not a duration.
    put_rows(workspace, "tickets", [
        ticket("t1", "2024-01-02 08:00", responded="2024-01-02 09:00"),
        ticket("t2", "2024-01-02 08:00", responded="2024-01-02 10:00"),
        ticket("t3", "2024-01-02 08:00", responded="2024-01-02 12:00"),
        ticket("t4", "2024-01-02 08:00", responded="2024-01-02 18:00"),
        ticket("t5", "2024-01-02 08:00"),
    ])
    jan = months(workspace, "2024-01", "2024-01")["2024-01"]
    # sorted 1, 2, 4, 10: median at rank 1.5 = 2 + 0.5 x 2 = 3; p90 at rank 2.7 = 4 + 0.7 x 6 = 8.2
    assert jan["tickets"] == 5
    assert jan["first_response_hours_median"] == pytest.approx(3.0)
    assert jan["first_response_hours_p90"] == pytest.approx(8.2)


def test_resolution_hours_count_in_the_solved_month(workspace):
    put_rows(workspace, "tickets", [
        ticket("t1", "2024-01-31 12:00", solved="2024-02-01 12:00"),
        ticket("t2", "2024-02-01 00:00", solved="2024-02-01 06:00", status="closed"),
        ticket("t3", "2024-02-01 00:00", solved="2024-02-01 08:00", status="open"),  # reopened: not solved now
    ])
    rows = months(workspace, "2024-01", "2024-02")
    assert (rows["2024-01"]["solved"], rows["2024-01"]["resolution_hours_median"]) == (0, None)
    assert (rows["2024-02"]["solved"], rows["2024-02"]["resolution_hours_median"]) == (2, 15.0)


def test_one_touch_resolution_allows_one_reply_and_no_reopen(workspace):
    solved = "2024-01-05 10:00"
    put_rows(workspace, "tickets", [
        ticket("zero", "2024-01-05 09:00", solved=solved, agent_replies=0, reopens=0),
        ticket("one", "2024-01-05 09:00", solved=solved, agent_replies=1),  # null reopens: none on record
        ticket("two", "2024-01-05 09:00", solved=solved, agent_replies=2, reopens=0),
        ticket("reopened", "2024-01-05 09:00", solved=solved, agent_replies=1, reopens=1),
        ticket("unknown", "2024-01-05 09:00", solved=solved),  # no agent_replies: left out of fcr
        ticket("open", "2024-01-05 09:00", agent_replies=0),  # not solved: not in the denominator
    ])
    assert months(workspace, "2024-01", "2024-01")["2024-01"]["fcr_rate"] == pytest.approx(2 / 4)


def test_escalation_and_reopen_rates(workspace):
    put_rows(workspace, "tickets", [
        ticket("t1", "2024-01-05 09:00", escalated="true", solved="2024-01-06 09:00", reopens=2),
        ticket("t2", "2024-01-05 09:00", escalated="false", solved="2024-01-06 09:00", reopens=0),
        ticket("t3", "2024-01-05 09:00", solved="2024-01-06 09:00"),
        ticket("t4", "2024-01-05 09:00"),
    ])
    jan = months(workspace, "2024-01", "2024-01")["2024-01"]
    assert jan["escalation_rate"] == pytest.approx(1 / 4)  # escalated / created
    assert jan["reopen_rate"] == pytest.approx(1 / 3)  # reopened / solved


def test_ticket_csat_is_the_share_of_rated_tickets_scoring_4_or_5(workspace):
    put_rows(workspace, "tickets", [
        ticket("t1", "2024-01-05 09:00", solved="2024-01-06 09:00", csat=5),
        ticket("t2", "2024-01-05 09:00", solved="2024-01-06 09:00", csat=4),
        ticket("t3", "2024-01-05 09:00", solved="2024-01-06 09:00", csat=3),
        ticket("t4", "2024-01-05 09:00", solved="2024-01-06 09:00"),
    ])
    jan = months(workspace, "2024-01", "2024-01")["2024-01"]
    assert (jan["rated"], jan["ticket_csat"]) == (3, pytest.approx(2 / 3))


WEEKDAYS_9_TO_5 = 'days = ["mon", "tue", "wed", "thu", "fri"]\nstart = "09:00"\nend = "17:00"\n'


def test_business_hours_skip_nights_weekends_and_holidays(workspace, business_hours):
    ws = business_hours(workspace, WEEKDAYS_9_TO_5 + 'holidays = ["2024-12-25"]\n')
    put_rows(ws, "tickets", [
        # Tue 16:00 -> Wed 10:00: 1 hour before closing + 1 after opening = 2
        ticket("night", "2024-01-09 16:00", responded="2024-01-10 10:00"),
        # Fri 16:30 -> Mon 09:30: 0.5 + 0.5 = 1
        ticket("weekend", "2024-02-09 16:30", responded="2024-02-12 09:30"),
        # Tue 24 Dec 16:00 -> Thu 26 Dec 10:00, Christmas off: 1 + 0 + 1 = 2
        ticket("holiday", "2024-12-24 16:00", responded="2024-12-26 10:00"),
        # Saturday 10:00 -> 12:00: no business time at all
        ticket("saturday", "2024-03-09 10:00", responded="2024-03-09 12:00"),
    ])
    rows = months(ws, "2024-01", "2024-12")
    hours = {m: rows[m]["first_response_hours_median"] for m in ("2024-01", "2024-02", "2024-03", "2024-12")}
    assert hours == {"2024-01": 2.0, "2024-02": 1.0, "2024-03": 0.0, "2024-12": 2.0}


def test_calendar_hours_without_a_schedule(workspace):
    put_rows(workspace, "tickets", [ticket("night", "2024-01-09 16:00", responded="2024-01-10 10:00")])
    assert months(workspace, "2024-01", "2024-01")["2024-01"]["first_response_hours_median"] == 18.0


def test_business_hours_are_read_in_the_schedule_time_zone(workspace, business_hours):
    ws = business_hours(workspace, WEEKDAYS_9_TO_5 + 'timezone = "America/New_York"\n')
    # The workspace reads UTC. 21:00 UTC is 16:00 in New York (EST); 15:00 UTC the next day is 10:00 there: 1 + 1 hours.
    put_rows(ws, "tickets", [ticket("t1", "2024-01-09 21:00", responded="2024-01-10 15:00")])
    assert months(ws, "2024-01", "2024-01")["2024-01"]["first_response_hours_median"] == 2.0
