"""Apache Airflow provider for the PixVerse video-generation API."""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import NoReturn

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
    "pixverse_provider.api.requests": "pixverse_provider.api.request_models",
    "pixverse_provider.operators.video": "pixverse_provider.operators",
}
"""Modules of earlier versions and where their contents live now (see docs/layout.rst)."""


def _moved(fullname: str) -> str:
    return f"{fullname} moved to {MOVED_MODULES[fullname]}; import it from there"


class _MovedModuleFinder(importlib.abc.MetaPathFinder):
    """Importing a module that moved fails at once with a message naming its new place."""

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None) -> None:
        if fullname in MOVED_MODULES:
            raise ModuleNotFoundError(_moved(fullname), name=fullname)


if not any(isinstance(finder, _MovedModuleFinder) for finder in sys.meta_path):
    sys.meta_path.insert(0, _MovedModuleFinder())


def names_moved_modules(package: str) -> Callable[[str], NoReturn]:
    """A ``__getattr__`` for ``package``: ``from package import module`` of a module that moved names its new
    place (the finder above only sees ``import package.module``); any other name is missing as usual."""

    def __getattr__(name: str) -> NoReturn:
        if f"{package}.{name}" in MOVED_MODULES:
            raise ImportError(_moved(f"{package}.{name}"))
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__


__getattr__ = names_moved_modules(__name__)  # ``from pixverse_provider import waiting`` names the new place too
