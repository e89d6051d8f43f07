"""An option naming a column or signal is checked before anything is computed, and a near miss is named."""

from __future__ import annotations

import pytest

from tenure import Workspace
from tenure.errors import UsageError
from tests.conftest import put_rows


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    put_rows(workspace, "accounts", [{"account_id": "acc_1", "name": "Acme", "created_at": "2024-01-01 00:00:00",
                                      "attributes": '{"contract": "annual"}'}])
    return workspace


def test_churn_by_an_attribute_without_its_prefix_names_the_signal_before_training(ws: Workspace):
    # The workspace has no subscriptions, so training would fail with a DataError (no churns): the
    # UsageError shows the option was checked first.
    with pytest.raises(UsageError) as raised:
        ws.churn_risk(by="contract", as_of="2025-06-30")
    assert str(raised.value) == (
        "by contract: not a text signal; the text signals are: attr_contract, journey_status, nps_category, owner, "
        "segment, stage, tier; did you mean 'attr_contract'?"
    )


def test_churn_by_a_text_signal_passes_the_check(ws: Workspace):
    from tenure.errors import DataError

    # Past the check, the work starts, and fails on the data (nothing refreshed, nothing to train on).
    with pytest.raises(DataError):
        ws.churn_risk(by="attr_contract", as_of="2025-06-30")


def test_a_breakdown_said_as_its_signal_name_names_the_attribute(ws: Workspace):
    with pytest.raises(UsageError, match=r"attributes: contract; did you mean 'contract'\?$"):
        ws.support_expr("2025-01", "2025-03", by="attr_contract")


def test_a_misspelt_sort_column_is_named():
    import ibis

    from tenure.services.accounts import ordered

    rows = ibis.memtable({"account_id": ["acc_1"], "mrr": [10.0]})
    with pytest.raises(UsageError, match=r"^sort: unknown column 'mrrr'; the columns are: account_id, mrr; did you mean 'mrr'\?$"):
        ordered(rows, "mrrr")
