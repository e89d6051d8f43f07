"""The layering: the core never imports its adapters; the public API is explicit."""

import ast
from pathlib import Path
from types import ModuleType

import tenure

SRC = Path(tenure.__file__).parent
ADAPTERS = ("tenure.cli", "tenure.api", "tenure.web")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_core_modules_never_import_adapters():
    offenders = []
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC.parent).with_suffix("")
        module = ".".join(relative.parts)
        if module.startswith(ADAPTERS) or module == "tenure.__main__":
            continue
        bad = {name for name in _imports(path) if name.startswith(ADAPTERS)}
        if bad:
            offenders.append((module, sorted(bad)))
    assert offenders == []


def test_public_api_is_sorted():
    assert tenure.__all__ == sorted(tenure.__all__)


def test_every_name_in_all_exists():
    assert [name for name in tenure.__all__ if not hasattr(tenure, name)] == []


def test_every_public_name_of_the_package_is_in_all():
    # Public: bound in tenure/__init__.py, not starting with "_", and not a submodule (importing
    # tenure.workspace binds `workspace` on the package as a side effect; that is not API).
    public = {name for name, value in vars(tenure).items()
              if not name.startswith("_") and not isinstance(value, ModuleType)}
    assert public - set(tenure.__all__) == set()
