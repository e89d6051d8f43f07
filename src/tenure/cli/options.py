"""The options several commands share, defined once, and how the core's parameter names read as flags.

The core names a wrong argument by its parameter (errors.UsageError: `{start}`); `flag` says it as the
command line does (`--from`). A command whose flag for a parameter differs from the usual one (the
--actors cell of `tenure query`) says so with `rename`, before it calls the core.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Csv = Annotated[bool, typer.Option("--csv", help="Print CSV.")]
Sql = Annotated[bool, typer.Option("--sql", help="Print the SQL that computes the figures instead of running it.")]
AsOf = Annotated[Optional[str], typer.Option("--as-of", help="The day, YYYY-MM-DD (default: today in the workspace time zone).")]
FromMonth = Annotated[Optional[str], typer.Option("--from", help="First month, YYYY-MM (default: 11 months before --to).")]
ToMonth = Annotated[Optional[str], typer.Option("--to", help="Last month, YYYY-MM (default: the current month).")]
FromDay = Annotated[Optional[str], typer.Option("--from", help="First day, YYYY-MM-DD (default: 29 days before --to).")]
ToDay = Annotated[Optional[str], typer.Option("--to", help="Last day, YYYY-MM-DD (default: today).")]
By = Annotated[
    Optional[str],
    typer.Option("--by", help="Split the rows by an accounts column, a custom attribute or plan (e.g. segment)."),
]
Account = Annotated[Optional[str], typer.Option("--account", help="Only this account (its account_id).")]
AccountId = Annotated[str, typer.Argument(metavar="ACCOUNT_ID", help="The account's account_id.")]
Desc = Annotated[bool, typer.Option("--desc", help="Sort descending.")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="List what would happen, and why; write and send nothing.")]

# Parameters whose flag is not `--` + the name with dashes.
FLAGS = {
    "start": "--from", "end": "--to", "first_day": "--from", "last_day": "--to", "descending": "--desc",
    "events": "--event", "due_on": "--due", "account_id": "--account", "cohort": "--cohorts",
}
_renamed: dict[str, str] = {}


def rename(**flags: str) -> None:
    """This command's own flags for some parameters (e.g. period="--actors PERIOD")."""
    _renamed.update(flags)


def flag(parameter: str) -> str:
    """A core parameter as this command line says it."""
    return _renamed.get(parameter) or FLAGS.get(parameter) or "--" + parameter.replace("_", "-")
