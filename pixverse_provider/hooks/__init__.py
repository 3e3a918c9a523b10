"""How to talk to PixVerse: ``PixVerseHook`` (sync, requests) and ``PixVerseAsyncHook`` (async, httpx).

The hooks load on first use (PEP 562), so a DAG file importing the operators does not pay for requests,
httpx and tenacity each time the dag-processor parses it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pixverse_provider.hooks.pixverse import PixVerseHook, Submission
    from pixverse_provider.hooks.pixverse_async import PixVerseAsyncHook

__all__ = ["PixVerseAsyncHook", "PixVerseHook", "Submission"]


def __getattr__(name: str) -> Any:
    if name in ("PixVerseHook", "Submission"):
        from pixverse_provider.hooks import pixverse

        return getattr(pixverse, name)
    if name == "PixVerseAsyncHook":
        from pixverse_provider.hooks.pixverse_async import PixVerseAsyncHook

        return PixVerseAsyncHook
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
