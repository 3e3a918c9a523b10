"""One operator per PixVerse generation mode, on a shared base, plus the upload operators."""

from __future__ import annotations

from pixverse_provider.operators.audio import PixVerseLipSyncOperator, PixVerseSoundEffectOperator
from pixverse_provider.operators.base import PixVerseGenerationOperator
from pixverse_provider.operators.edit import (
    PixVerseMimicOperator,
    PixVerseModifyOperator,
    PixVerseRestyleOperator,
    PixVerseSwapOperator,
)
from pixverse_provider.operators.upload import PixVerseUploadImageOperator, PixVerseUploadMediaOperator
from pixverse_provider.operators.video import (
    PixVerseEffectOperator,
    PixVerseExtendOperator,
    PixVerseFusionOperator,
    PixVerseImageToVideoOperator,
    PixVerseMultiTransitionOperator,
    PixVerseTextToVideoOperator,
    PixVerseTransitionOperator,
)

__all__ = [
    "PixVerseEffectOperator",
    "PixVerseExtendOperator",
    "PixVerseFusionOperator",
    "PixVerseGenerationOperator",
    "PixVerseImageToVideoOperator",
    "PixVerseLipSyncOperator",
    "PixVerseMimicOperator",
    "PixVerseModifyOperator",
    "PixVerseMultiTransitionOperator",
    "PixVerseRestyleOperator",
    "PixVerseSoundEffectOperator",
    "PixVerseSwapOperator",
    "PixVerseTextToVideoOperator",
    "PixVerseTransitionOperator",
    "PixVerseUploadImageOperator",
    "PixVerseUploadMediaOperator",
]
