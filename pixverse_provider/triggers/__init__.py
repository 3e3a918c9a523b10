"""Triggers that wait in the triggerer: ``PixVerseVideoTrigger``."""

from __future__ import annotations

from pixverse_provider.triggers.pixverse import PixVerseVideoTrigger

__all__ = ["PixVerseVideoTrigger"]
