"""The layering: the core never imports its adapters; the public API is explicit."""

import ast
from pathlib import Path

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


def test_public_api_is_sorted_and_complete():
    assert tenure.__all__ == sorted(tenure.__all__)
    for name in tenure.__all__:
        assert hasattr(tenure, name)


# What the settings and the vocabulary they are checked against may import: leaves only, never the
# engine (tenure.conditions.compile is the condition language's one engine module).
LEAVES = ("tenure.config", "tenure.vocabulary", "tenure.conditions", "tenure.contract", "tenure.errors")


def test_config_and_its_vocabulary_import_no_engine():
    offenders = []
    for path in SRC.rglob("*.py"):
        module = ".".join(path.relative_to(SRC.parent).with_suffix("").parts).removesuffix(".__init__")
        if not module.startswith(LEAVES[:3]) or module == "tenure.conditions.compile":
            continue
        bad = {
            name for name in _imports(path)
            if name.startswith(("ibis", "duckdb", "sqlalchemy"))
            or (name.startswith("tenure") and not name.startswith(LEAVES))
            or name == "tenure.conditions.compile"
        }
        if bad:
            offenders.append((module, sorted(bad)))
    assert offenders == []
