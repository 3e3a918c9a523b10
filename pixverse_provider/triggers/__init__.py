"""Triggers that wait in the triggerer: for a video (``PixVerseVideoTrigger``) or a free slot."""

from __future__ import annotations

from pixverse_provider.triggers.pixverse import PixVerseVideoTrigger
from pixverse_provider.triggers.slot import PixVerseSlotTrigger

__all__ = ["PixVerseSlotTrigger", "PixVerseVideoTrigger"]
