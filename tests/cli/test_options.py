"""The command line's shared options: each is defined once, so it reads the same in every command, and
every command that shows figures can show the SQL behind them instead."""

import typer

from tenure.cli.app import app

# Commands that act or report on the workspace rather than show figures computed by the engine.
NOT_FIGURES = {
    "load", "refresh", "status", "demo", "bench", "init", "tasks", "task add", "task done", "note", "notes",
    "journey refresh", "playbooks list", "playbooks run", "playbooks digest", "playbooks deliveries", "churn",
}


def commands(group=typer.main.get_command(app), prefix: str = ""):
    """Every command by its full name; a group with its own options (health, journey) counts too."""
    for name, command in group.commands.items():
        full = f"{prefix}{name}"
        yield full, command
        if hasattr(command, "commands"):
            yield from commands(command, f"{full} ")


def option(command, flag: str):
    """The command's option with this flag, or None (Typer's own click types, read by their fields)."""
    return next((p for p in command.params if p.param_type_name == "option" and flag in p.opts), None)


def test_every_figure_command_has_sql():
    missing = sorted(name for name, command in commands()
                     if option(command, "--json") and name not in NOT_FIGURES and not option(command, "--sql"))
    assert missing == []


def test_json_reads_the_same_everywhere():
    # `tenure bench --json FILE` is another option: it names a file to write the results to.
    helps = {option(command, "--json").help for name, command in commands() if option(command, "--json") and name != "bench"}
    assert helps == {"Print JSON."}


def test_as_of_reads_the_same_everywhere():
    helps = {option(command, "--as-of").help for _, command in commands() if option(command, "--as-of")}
    assert helps == {"The day, YYYY-MM-DD (default: today in the workspace time zone)."}


def leaves(group=typer.main.get_command(app), prefix: str = ""):
    """Every command that runs (not a group), by its full name."""
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from leaves(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


def test_every_command_takes_json():
    # The README promises it: a script can read any command's answer.
    assert sorted(name for name, command in leaves() if not option(command, "--json")) == []


def test_the_command_tree_is_walked_to_its_leaves():
    names = dict(leaves())
    assert {"init", "task add", "metrics revenue", "health why"} <= set(names)
    assert "task" not in names
