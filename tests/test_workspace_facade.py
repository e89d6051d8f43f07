"""Workspace is a facade: each figure method is a delegate to one service function, says what that
function says, and runs its `*_expr` twin with the same arguments."""

import inspect

from tenure import Workspace, services


def test_a_delegate_reads_the_docstring_of_its_service_function():
    assert Workspace.health_expr.__doc__ == services.health.listing.__doc__


def test_a_run_twin_takes_the_arguments_of_its_expression():
    expr, run = inspect.signature(Workspace.accounts_expr), inspect.signature(Workspace.accounts)
    assert list(run.parameters) == list(expr.parameters) == ["self", "as_of", "sort", "descending", "tier", "limit"]
    assert (expr.return_annotation, run.return_annotation) == ("ir.Table", "pa.Table")
    assert Workspace.accounts.__name__ == "accounts"
    assert Workspace.accounts.__doc__ == services.accounts.listing.__doc__


def test_a_family_shortcut_keeps_its_own_summary():
    assert Workspace.revenue.__doc__.startswith("Monthly revenue rows")
    assert list(inspect.signature(Workspace.revenue).parameters) == ["self", "start", "end"]
    assert list(inspect.signature(Workspace.usage).parameters) == ["self", "start", "end", "by"]
