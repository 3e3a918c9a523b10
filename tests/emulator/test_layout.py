"""The emulator's layout: no import cycles between its modules, small modules, no Airflow, one loopback check.

Imports are read with ``ast`` from the source, wherever they stand: at the top, under ``TYPE_CHECKING`` or in
a function, since each is a dependency a reader has to follow. ``from package import name`` depends on the
module ``package.name`` when there is one, else on ``package`` itself; a package's ``__init__`` being run
first is not counted (every module has it).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "pixverse_provider"
EMULATOR = PACKAGE / "emulator"
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def emulator_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(EMULATOR.rglob("*.py"))}


def imported(path: Path, known: set[str]) -> set[str]:
    """The modules of ``known`` that the file at ``path`` imports, anywhere in it."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return found & known - {here}


def import_graph() -> dict[str, set[str]]:
    modules = emulator_modules()
    known = set(modules)
    return {name: imported(path, known) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path that ends where it starts, or None."""
    done: set[str] = set()
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        if node in stack:
            return [*stack[stack.index(node) :], node]
        if node in done:
            return None
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            cycle = visit(target)
            if cycle:
                return cycle
        stack.pop()
        done.add(node)
        return None

    for start in sorted(graph):
        cycle = visit(start)
        if cycle:
            return cycle
    return None


def test_the_cycle_finder_finds_a_cycle_and_only_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_the_import_reader_sees_type_checking_and_function_imports() -> None:
    """Read against the real tree: ``middleware`` imports the state only for types, the package's ``__init__``
    imports the server only for types and inside a function."""
    graph = import_graph()
    assert "pixverse_provider.emulator.state" in graph["pixverse_provider.emulator.middleware"]
    assert "pixverse_provider.emulator.server" in graph["pixverse_provider.emulator"]


def test_no_import_cycle_inside_the_emulator() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_every_emulator_module_is_short() -> None:
    lengths = {name: len(path.read_text().splitlines()) for name, path in emulator_modules().items()}
    assert {name: n for name, n in lengths.items() if n > MAX_LINES} == {}


def loaded_packages(modules: list[str]) -> set[str]:
    """The top-level packages a fresh interpreter has loaded after importing ``modules``."""
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, timeout=120
    )
    return set(result.stdout.split())


def test_importing_the_emulator_loads_no_airflow() -> None:
    """Every emulator module imports without Airflow: the emulator runs where Airflow is not installed.

    ``__main__`` is left out: importing it runs the command line."""
    packages = loaded_packages(sorted(name for name in emulator_modules() if not name.endswith(".__main__")))
    assert "pixverse_provider" in packages
    assert "airflow" not in packages


def test_the_loopback_check_loads_neither_airflow_nor_an_http_client() -> None:
    packages = loaded_packages(["pixverse_provider.api.loopback"])
    assert "pixverse_provider" in packages
    assert packages.isdisjoint({"airflow", "requests", "httpx"})


def test_loopback_is_decided_in_one_place() -> None:
    """Only ``pixverse_provider/api/loopback.py`` asks ``ipaddress`` whether an address is loopback."""
    deciders = sorted(
        str(path.relative_to(ROOT))
        for path in PACKAGE.rglob("*.py")
        if any(
            isinstance(node, ast.Attribute) and node.attr == "is_loopback" and isinstance(node.value, ast.Call)
            for node in ast.walk(ast.parse(path.read_text()))
        )
    )
    assert deciders == ["pixverse_provider/api/loopback.py"]
