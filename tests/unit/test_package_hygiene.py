"""The ``api`` and ``operators`` packages carry no dead code, and the package cites only documents of the repository.

Dead code: every module-level name of ``pixverse_provider/api`` and ``pixverse_provider/operators`` must be
used by the product (the package itself or the docs' generators), not only by tests. Names are resolved
through imports (``from pixverse_provider.api import request_models as rq`` then ``rq.TextToVideoRequest``), so a
name that merely matches another module's name does not count as a use. A name a package ``__init__``
exports in ``__all__`` is public API and counts as used.

Citations: the API facts the code relies on are in docs/api-facts.rst, cited by section title
(``docs/api-facts.rst, 'Upload limits'``); nothing cites the compiled reference the project started from,
which is not part of the repository.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "pixverse_provider"
PRODUCT = [*sorted(PACKAGE.rglob("*.py")), *sorted((ROOT / "docs" / "_ext").glob("*.py"))]
CHECKED = [*sorted((PACKAGE / "api").rglob("*.py")), *sorted((PACKAGE / "operators").rglob("*.py"))]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def absolute(node: ast.ImportFrom, path: Path) -> str:
    """The module an ``ImportFrom`` reads from, relative imports resolved."""
    if not node.level:
        return node.module or ""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, *([node.module] if node.module else [])])


def definitions(path: Path) -> Iterator[tuple[str, int]]:
    """Module-level functions, classes and assigned names (dunders aside)."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            yield node.name, node.lineno
        elif isinstance(node, ast.Assign):
            yield from ((t.id, node.lineno) for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            yield node.target.id, node.lineno


def uses() -> set[tuple[str, str]]:
    """Every ``(module, name)`` the product reads, resolved through its imports."""
    found: set[tuple[str, str]] = set()
    for path in PRODUCT:
        tree = ast.parse(path.read_text())
        here = module_name(path)
        aliases: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                source = absolute(node, path)
                for alias in node.names:
                    found.add((source, alias.name))
                    aliases[alias.asname or alias.name] = f"{source}.{alias.name}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    aliases[alias.asname or alias.name.split(".")[0]] = alias.name
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
                found.add((aliases[node.value.id], node.attr))
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                found.add((here, node.id))
    return found


def exported(path: Path) -> set[str]:
    init = path.parent / "__init__.py"
    for node in ast.parse(init.read_text()).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return set(ast.literal_eval(node.value))
    return set()


def test_every_module_level_name_of_api_and_operators_is_used_by_the_product() -> None:
    used = uses()
    dead = [
        f"{path.relative_to(ROOT)}:{line}: {name}"
        for path in CHECKED
        if path.name != "__init__.py"
        for name, line in definitions(path)
        if not name.startswith("__")
        and (module_name(path), name) not in used
        and (module_name(path.parent), name) not in used
        and name not in exported(path)
    ]
    assert dead == [], "dead code:\n" + "\n".join(dead)


def test_uses_are_resolved_through_imports_not_matched_by_name() -> None:
    used = uses()
    assert ("pixverse_provider.api.request_models", "MaskSelectionRequest") in used  # read as rq.MaskSelectionRequest
    assert ("pixverse_provider.emulator.catalog", "ALL_QUALITIES") in used
    assert ("pixverse_provider.api.rules", "ALL_QUALITIES") not in used  # same name, another module


# --- citations: the API facts the code relies on are in docs/api-facts.rst ---------------------------------------

FACTS = ROOT / "docs" / "api-facts.rst"
CITATION = re.compile(r"docs/api-facts\.rst((?:,| and| or)?\s*(?:#\s*)?'[^']+')+")


def section_titles(rst: str) -> set[str]:
    lines = rst.splitlines()
    return {
        title.strip()
        for title, underline in itertools.pairwise(lines)
        if title.strip() and len(underline) >= len(title.strip()) and set(underline) in ({"-"}, {"="}, {"~"})
    }


def citations() -> list[tuple[str, str]]:
    """``(where, section)`` for every section a file of the package cites, comments and docstrings alike."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = re.sub(r"\n\s*#?\s*", " ", path.read_text())  # citations may wrap onto the next line
        for match in CITATION.finditer(text):
            found += [(str(path.relative_to(ROOT)), title) for title in re.findall(r"'([^']+)'", match.group(0))]
    return found


def test_no_file_of_the_package_cites_a_document_outside_the_repository() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted(PACKAGE.rglob("*"))
        if path.is_file() and path.suffix in (".py", ".md", ".rst", ".txt", ".html", ".js", ".css", ".toml")
        and ("pixverse-api.md" in path.read_text() or "§" in path.read_text())
    ]  # fmt: skip
    assert offenders == []


def test_every_citation_of_the_api_facts_names_one_of_its_sections() -> None:
    titles = section_titles(FACTS.read_text())
    cited = citations()
    assert len({title for _, title in cited}) >= 6, "the package cites the facts page by section"
    unknown = [f"{where}: '{title}'" for where, title in cited if title not in titles]
    assert unknown == [], f"not a section of {FACTS.name} ({', '.join(sorted(titles))}):\n" + "\n".join(unknown)


def test_the_citation_check_reads_wrapped_and_listed_sections() -> None:
    text = "see docs/api-facts.rst, 'Prices' and\n    # 'Open questions'; docs/api-facts.rst, 'Modes', 'Prices')"
    flat = re.sub(r"\n\s*#?\s*", " ", text)
    titles = [t for m in CITATION.finditer(flat) for t in re.findall(r"'([^']+)'", m.group(0))]
    assert titles == ["Prices", "Open questions", "Modes", "Prices"]
