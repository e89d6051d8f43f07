"""Moments to act: a moment holds when any of its reasons does, and lists the reasons that hold."""

from __future__ import annotations

import ibis

from tenure.config import Settings
from tenure.journey import moment_columns

BASE = {"mrr": 100.0, "seat_utilisation": 0.5, "milestones_reached_30d": 0, "active_users_30d": 10,
        "active_users_prev_30d": 10, "promoter_after_milestone": False}


def moments(**changes) -> dict:
    rows = ibis.memtable([{**BASE, **changes}])
    columns = moment_columns(rows, journey=Settings().journey)
    return rows.select(**columns).to_pyarrow().to_pylist()[0]


def test_no_reason_no_moment():
    assert moments() == {"expansion_moment": False, "expansion_reasons": [], "advocacy_moment": False,
                         "advocacy_reasons": []}


def test_every_expansion_reason_that_holds_is_listed_in_order():
    # 12 active users against 10 is exactly 1.2 times as many: usage is growing.
    found = moments(seat_utilisation=0.9, milestones_reached_30d=1, active_users_30d=12)
    assert found["expansion_moment"] is True
    assert found["expansion_reasons"] == ["seats_nearly_full", "milestone_reached", "usage_growing"]


def test_growth_from_fewer_than_3_users_is_not_a_moment():
    assert moments(active_users_prev_30d=2, active_users_30d=10)["expansion_moment"] is False


def test_an_account_that_does_not_pay_has_no_expansion_moment():
    assert moments(mrr=0.0, seat_utilisation=1.0)["expansion_moment"] is False


def test_a_promoter_after_a_milestone_is_an_advocacy_moment():
    found = moments(promoter_after_milestone=True)
    assert (found["advocacy_moment"], found["advocacy_reasons"]) == (True, ["promoter_after_milestone"])
