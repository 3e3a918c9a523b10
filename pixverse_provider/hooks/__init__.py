"""How to talk to PixVerse: ``PixVerseHook`` (sync, requests) and ``PixVerseAsyncHook`` (async, httpx)."""

from __future__ import annotations

from pixverse_provider.hooks.pixverse import PixVerseHook, Submission
from pixverse_provider.hooks.pixverse_async import PixVerseAsyncHook

__all__ = ["PixVerseAsyncHook", "PixVerseHook", "Submission"]
