"""The README's tour runs as written on a demo company: every `tenure` command in it succeeds and
shows something, and the commands about the tour's account show that account."""

from __future__ import annotations

import os
import re
import shlex
from datetime import date
from pathlib import Path

import pytest

from tests.cli.runner import tenure
from tests.conftest import copy_workspace

README = Path(__file__).parents[1] / "README.md"
TOUR_ACCOUNT = "acc_000001"


def tour_commands() -> list[list[str]]:
    """The `tenure ...` lines of the sh blocks under "## A tour", comments removed, split as a shell would."""
    section = README.read_text().split("## A tour", 1)[1].split("\n## ", 1)[0]
    lines = [line for block in re.findall(r"```sh\n(.*?)```", section, re.S) for line in block.splitlines()]
    return [shlex.split(line, comments=True) for line in lines if line.startswith("tenure ")]


def test_the_tour_is_found_and_starts_by_building_the_demo():
    commands = tour_commands()
    assert len(commands) >= 30
    assert commands[1][:3] == ["tenure", "demo", "demo-workspace"]


@pytest.mark.slow
def test_every_tour_command_succeeds_and_prints_something(demo_folder, tmp_path: Path):
    # The tour's own `tenure demo` builds 2,000 accounts; a smaller company of the same kind stands in
    # for it, ending today so that "today" (every command's default day) is its last day of data, and
    # 36 months long like the tour's, so the tour's dated examples fall inside it.
    built = demo_folder(accounts=150, months=36, seed=7, end=date.today())
    copy_workspace(built, tmp_path / "demo-workspace")
    env_workspace = {"TENURE_WORKSPACE": str(tmp_path / "demo-workspace")}
    failures = []
    for command in tour_commands():
        if command[1] == "demo":
            continue
        run = tenure(*command[1:], cwd=tmp_path, env={**os.environ, **env_workspace}, timeout=900)
        shown = " ".join(command)
        if run.code != 0 or not run.stdout.strip():
            failures.append(f"{shown}: exit {run.code}, {len(run.stdout)} characters out; {run.stderr.strip()[-300:]}")
        elif TOUR_ACCOUNT in command and TOUR_ACCOUNT not in run.stdout and command[1] not in ("task", "note"):
            failures.append(f"{shown}: does not show {TOUR_ACCOUNT}")
    assert not failures, "\n".join(failures)
