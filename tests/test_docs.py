"""The documentation's examples run as written."""

import os
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).parents[1] / "docs"


@pytest.mark.slow
def test_the_python_api_example_runs(tmp_path: Path, monkeypatch):
    page = (DOCS / "python-api.md").read_text()
    code = re.search(r"```python\n(.*?)```", page, re.S).group(1)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "docs/python-api.md", "exec"), {})
    assert (tmp_path / "example-workspace" / "tenure.toml").is_file()
