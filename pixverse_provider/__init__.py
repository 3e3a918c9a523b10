"""Apache Airflow provider for the PixVerse video-generation API."""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Sequence
from types import ModuleType

__version__ = "0.1.0"

MOVED_MODULES = {
    "pixverse_provider.outcome": "pixverse_provider.after_submit.verdict",
    "pixverse_provider.poller": "pixverse_provider.after_submit.poller",
    "pixverse_provider.progress": "pixverse_provider.after_submit.progress",
    "pixverse_provider.waiting": "pixverse_provider.after_submit.waiting",
    "pixverse_provider.results": "pixverse_provider.after_submit.delivery",
    "pixverse_provider.clock": "pixverse_provider.after_submit.clock",
    "pixverse_provider.concurrency": "pixverse_provider.operators.slots",
    "pixverse_provider.task_settings": "pixverse_provider.operators.task_settings",
    "pixverse_provider.catalog": "pixverse_provider.hooks.catalog",
}
"""Modules of earlier versions and where their contents live now (see docs/layout.rst)."""


class _MovedModuleFinder(importlib.abc.MetaPathFinder):
    """Importing a module that moved fails at once with a message naming its new place."""

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None) -> None:
        if fullname in MOVED_MODULES:
            raise ModuleNotFoundError(
                f"{fullname} moved to {MOVED_MODULES[fullname]}; import it from there", name=fullname
            )


if not any(isinstance(finder, _MovedModuleFinder) for finder in sys.meta_path):
    sys.meta_path.insert(0, _MovedModuleFinder())


def __getattr__(name: str) -> ModuleType:
    """``from pixverse_provider import waiting`` names the new place too."""
    moved = MOVED_MODULES.get(f"{__name__}.{name}")
    if moved:
        raise ImportError(f"{__name__}.{name} moved to {moved}; import it from there")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
