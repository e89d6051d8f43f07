"""The layering: the core never imports its adapters; the public API is explicit."""

import ast
import re
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


def _module(path: Path) -> str:
    return ".".join(path.relative_to(SRC.parent).with_suffix("").parts).removesuffix(".__init__")


def _package(module: str) -> str:
    """tenure.metrics.usage -> tenure.metrics; a top-level module (tenure.workspace) is its own package."""
    return ".".join(module.split(".")[:2])


def _imported_modules(path: Path) -> set[str]:
    """What a file imports, with `from tenure import services` read as the module tenure.services."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                child = SRC.parent.joinpath(*node.module.split("."), alias.name)
                found.add(f"{node.module}.{alias.name}" if child.is_dir() or child.with_suffix(".py").is_file() else node.module)
    return found


def package_graph() -> dict[str, set[str]]:
    """Which tenure package imports which, anywhere in its files (lazy imports inside functions too).
    The root `tenure` (the public API, re-exporting from above every layer) is left out."""
    graph: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        here = _package(_module(path))
        if here == "tenure":
            continue
        imported = {_package(name) for name in _imported_modules(path) if name.startswith("tenure.")}
        graph.setdefault(here, set()).update(imported - {here})
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import circle found by a depth-first walk, each as the path that closes it."""
    found, done, path = [], set(), []

    def walk(node: str) -> None:
        if node in path:
            found.append(path[path.index(node):] + [node])
            return
        if node in done:
            return
        path.append(node)
        for after in sorted(graph.get(node, ())):
            walk(after)
        path.pop()
        done.add(node)

    for start in sorted(graph):
        walk(start)
    return found


def test_the_package_graph_has_no_import_circles():
    assert cycles(package_graph()) == []


def test_the_cycle_finder_finds_a_circle():
    # The finder itself, on a hand-made graph: a -> b -> c -> a, and d -> a outside the circle.
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]


def test_config_is_a_leaf_of_the_engine():
    engine = {"tenure.warehouse", "tenure.metrics", "tenure.signals", "tenure.health", "tenure.journey",
              "tenure.playbooks", "tenure.queries", "tenure.models", "tenure.backtest", "tenure.services",
              "tenure.state", "tenure.workspace"}
    assert package_graph()["tenure.config"] & engine == set()


def test_no_core_package_reaches_up_into_the_facade_or_the_services():
    # Workspace and the services stand on the core; only adapters, the demo and the bench stand on them.
    above = {"tenure.workspace", "tenure.services"}
    users = {"tenure.cli", "tenure.demo", "tenure.bench", "tenure.workspace", "tenure.services"}
    offenders = {package: sorted(imports & above) for package, imports in package_graph().items()
                 if package not in users and imports & above}
    assert offenders == {}


def test_only_the_warehouse_speaks_to_the_engine_in_sql():
    # Everything else builds Ibis expressions, so the same definition can run on another engine.
    speaks = re.compile(r"\.raw\b|\braw_sql\(")
    offenders = sorted(_module(path) for path in SRC.rglob("*.py")
                       if not _module(path).startswith("tenure.warehouse") and speaks.search(path.read_text()))
    assert offenders == []


def test_no_private_name_is_imported_from_another_package():
    offenders = []
    for path in SRC.rglob("*.py"):
        here = _package(_module(path))
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tenure."):
                private = [a.name for a in node.names if a.name.startswith("_")]
                if private and _package(node.module) != here:
                    offenders.append((_module(path), node.module, private))
    assert offenders == []


# The engine layers get the settings sections they read as arguments; the connection carries only its
# engine settings and time zone, so a function's signature says which settings it depends on.
ENGINE_LAYERS = ("tenure.warehouse", "tenure.metrics", "tenure.signals", "tenure.health", "tenure.journey",
                 "tenure.backtest")


def _reads_settings_off_a_warehouse(path: Path) -> list[str]:
    """The `<...>warehouse.settings` expressions of a file (warehouse.settings, ws.warehouse.settings, ...)."""
    return [ast.unparse(node) for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Attribute) and node.attr == "settings"
            and ast.unparse(node.value).split(".")[-1] in ("warehouse", "wh")]


def test_no_engine_module_reads_the_settings_off_a_warehouse():
    offenders = {_module(path): found for path in SRC.rglob("*.py")
                 if _module(path).startswith(ENGINE_LAYERS) and (found := _reads_settings_off_a_warehouse(path))}
    assert offenders == {}


def test_the_settings_reader_finds_a_read_off_a_warehouse(tmp_path):
    # The check itself, on a hand-written file: two reads off a warehouse, one off the settings.
    source = tmp_path / "reads.py"
    source.write_text("zone = warehouse.settings.workspace.timezone\nws.warehouse.settings.journey = j\n"
                      "tiers = settings.usage.tiers\n")
    assert sorted(_reads_settings_off_a_warehouse(source)) == ["warehouse.settings", "ws.warehouse.settings"]


def test_the_warehouse_takes_its_engine_settings_and_time_zone_not_the_settings():
    import inspect

    from tenure.warehouse import Warehouse

    assert list(inspect.signature(Warehouse.connect).parameters) == ["path", "engine", "timezone", "read_only", "root"]
    imports_settings = [_module(path) for path in (SRC / "warehouse").rglob("*.py")
                        for node in ast.walk(ast.parse(path.read_text()))
                        if isinstance(node, ast.ImportFrom) and node.module == "tenure.config.settings"
                        and any(alias.name == "Settings" for alias in node.names)]
    assert imports_settings == []
