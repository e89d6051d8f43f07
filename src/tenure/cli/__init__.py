"""The command line: a thin adapter that parses, calls one Workspace method and renders."""
