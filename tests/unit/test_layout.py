"""The package's layout rules: small modules, no import cycles, and moved modules that say where they went."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from pixverse_provider import MOVED_MODULES

PACKAGE = Path(__file__).resolve().parents[2] / "pixverse_provider"
MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, *, module_level_only: bool) -> set[str]:
    """The package's modules ``name`` imports (``from x import y`` counts x.y when that is a module)."""
    found: set[str] = set()
    tree = ast.parse(path.read_text())
    nodes = ast.iter_child_nodes(tree) if module_level_only else ast.walk(tree)
    for node in nodes:
        if module_level_only and isinstance(node, ast.If):  # TYPE_CHECKING blocks count too
            nodes_in_if = [n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)]
        else:
            nodes_in_if = [node]
        for item in nodes_in_if:
            if isinstance(item, ast.ImportFrom) and item.module and item.level == 0:
                found.add(item.module)
                found.update(f"{item.module}.{alias.name}" for alias in item.names)
            elif isinstance(item, ast.Import):
                found.update(alias.name for alias in item.names)
    return {m for m in found if m in MODULES and m != name}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    visiting: list[str] = []
    done: set[str] = set()

    def visit(node: str) -> list[str] | None:
        if node in visiting:
            return [*visiting[visiting.index(node) :], node]
        if node in done:
            return None
        visiting.append(node)
        for nxt in sorted(graph[node]):
            if found := visit(nxt):
                return found
        visiting.pop()
        done.add(node)
        return None

    for start in sorted(graph):
        if found := visit(start):
            return found
    return None


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_400_lines(name: str) -> None:
    assert len(MODULES[name].read_text().splitlines()) <= MAX_LINES


def test_no_import_cycles_between_modules_at_import_time() -> None:
    """Module-level imports (type-only ones included) form no cycle; a package's ``__init__`` importing its
    own modules is how a package exposes them, so an ``__init__`` only counts for what is outside it."""
    graph = {}
    for name, path in MODULES.items():
        imported = _imports(name, path, module_level_only=True)
        if path.name == "__init__.py":
            imported = {m for m in imported if not m.startswith(name + ".")}
        graph[name] = {m for m in imported if not name.startswith(m + ".")}  # a module importing its package
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


@pytest.mark.parametrize("old", sorted(MOVED_MODULES))
def test_a_moved_module_names_its_new_place(old: str) -> None:
    with pytest.raises(ImportError, match=f"{old} moved to {MOVED_MODULES[old]}"):
        importlib.import_module(old)
    importlib.import_module(MOVED_MODULES[old])


@pytest.mark.parametrize("old", sorted(MOVED_MODULES))
def test_from_import_of_a_moved_module_names_its_new_place(old: str) -> None:
    """``from package import module`` asks the package first: its ``__getattr__`` names the new place."""
    package, _, module = old.rpartition(".")
    with pytest.raises(ImportError, match=f"{old} moved to {MOVED_MODULES[old]}"):
        exec(f"from {package} import {module}", {})


def test_the_top_level_holds_only_the_layers() -> None:
    top = {p.name for p in PACKAGE.iterdir() if not p.name.startswith((".", "__"))}
    assert top == {
        "api", "hooks", "triggers", "sensors", "operators", "emulator", "after_submit", "ui",
        "exceptions.py", "links.py", "get_provider_info.py", "_compat.py", "py.typed", "retry_policy.py",
    }  # fmt: skip
