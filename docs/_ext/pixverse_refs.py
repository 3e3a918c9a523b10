"""Sphinx helpers that keep the API reference complete and every cross-reference alive.

The build is nitpicky (``conf.py``): a reference that resolves nowhere is a warning, so an error under ``-W``.
This extension adds what nitpicky mode cannot know:

- **The provider's own names, however spelled.** A signature names a class the way its code does: by the
  module that defines it (``pixverse_provider.hooks.pixverse.PixVerseHook``) or bare, from a string annotation
  (``FileSource``), while the reference documents it where users import it (``pixverse_provider.hooks``). A
  reference to a ``pixverse_provider`` object that is documented under another name is resolved to that
  documentation: the same Python object, or for a bare name, the one documented object of that name.
- **Type variables** (``RequestT``) are shown as text: they have no page of their own.
- **An empty reference page is an error.** Every name in the ``__all__`` of a package below
  (``PUBLIC_PACKAGES``) must be documented somewhere. ``pixverse_provider.hooks`` loads its classes lazily
  (PEP 562), which once hid both hooks from ``automodule``: its page was empty and no build complained.
"""

from __future__ import annotations

import importlib
from typing import Any, TypeVar

from sphinx.util import logging
from sphinx.util.nodes import make_refnode

logger = logging.getLogger(__name__)

PUBLIC_PACKAGES = (
    "pixverse_provider.hooks",
    "pixverse_provider.operators",
    "pixverse_provider.sensors",
    "pixverse_provider.triggers",
)
"""The packages DAG authors import from; each name of their ``__all__`` must be in the API reference."""

OWN = "pixverse_provider"
_MISSING = object()


def import_dotted(dotted: str) -> Any:
    """The object a dotted path names (a module, or attributes of one); ``_MISSING`` when there is none."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        try:
            for name in parts[split:]:
                obj = getattr(obj, name)
        except AttributeError:
            return _MISSING
        return obj
    return _MISSING


def _documented(env: Any) -> dict[str, Any]:
    """The Python domain's objects: full name → entry (docname, node_id, objtype, ...)."""
    return dict(env.get_domain("py").objects)


def _same_object(first: str, second: str) -> bool:
    a, b = import_dotted(first), import_dotted(second)
    return a is not _MISSING and a is b


def own_target(env: Any, target: str, context: str | None) -> str | None:
    """The documented full name that ``target`` (spelled as a signature or a page spells it) stands for."""
    documented = _documented(env)
    if target.startswith(OWN + "."):
        short = target.rsplit(".", 1)[-1]
        same = [name for name in documented if name.rsplit(".", 1)[-1] == short and _same_object(name, target)]
        return same[0] if len(same) == 1 else None
    if "." in target:
        return None
    candidates = [name for name in documented if name.startswith(OWN + ".") and name.rsplit(".", 1)[-1] == target]
    if context:
        in_context = [name for name in candidates if name.startswith(context + ".")]
        candidates = in_context or candidates
    return candidates[0] if len(candidates) == 1 else None


def _resolve_missing(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    if node.get("refdomain") != "py":
        return None
    target = str(node.get("reftarget", "")).lstrip("~.")
    context = node.get("py:module")
    obj = import_dotted(target) if "." in target else _MISSING
    if obj is _MISSING and context:
        obj = import_dotted(f"{context}.{target}")
    if isinstance(obj, TypeVar):
        return contnode
    full_name = own_target(env, target, context)
    if full_name is None:
        return None
    entry = _documented(env)[full_name]
    return make_refnode(app.builder, node["refdoc"], entry.docname, entry.node_id, contnode, full_name)


def undocumented_public_names(env: Any) -> list[str]:
    """``package.Name`` for every name of a public package's ``__all__`` that the reference does not document."""
    documented = _documented(env)
    missing = []
    for package in PUBLIC_PACKAGES:
        for name in importlib.import_module(package).__all__:
            dotted = f"{package}.{name}"
            if dotted in documented:
                continue
            if not any(full.rsplit(".", 1)[-1] == name and _same_object(full, dotted) for full in documented):
                missing.append(dotted)
    return missing


def _check_public_names(app: Any, env: Any) -> None:
    missing = undocumented_public_names(env)
    if missing:
        logger.warning(f"Public names missing from the API reference (docs/reference): {missing}")


def setup(app: Any) -> dict[str, Any]:
    app.connect("missing-reference", _resolve_missing)
    app.connect("env-check-consistency", _check_public_names)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
