"""One operator per PixVerse generation mode, on a shared base, plus the upload operators."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pixverse_provider import names_moved_modules
from pixverse_provider.operators.audio import PixVerseLipSyncOperator, PixVerseSoundEffectOperator
from pixverse_provider.operators.base import PixVerseGenerationOperator
from pixverse_provider.operators.edit import (
    PixVerseMimicOperator,
    PixVerseModifyOperator,
    PixVerseRestyleOperator,
    PixVerseSwapOperator,
)
from pixverse_provider.operators.effect import PixVerseEffectOperator
from pixverse_provider.operators.extend import PixVerseExtendOperator
from pixverse_provider.operators.fusion import PixVerseFusionOperator
from pixverse_provider.operators.image_to_video import PixVerseImageToVideoOperator
from pixverse_provider.operators.text_to_video import PixVerseTextToVideoOperator
from pixverse_provider.operators.transition import PixVerseMultiTransitionOperator, PixVerseTransitionOperator
from pixverse_provider.operators.upload import PixVerseUploadImageOperator, PixVerseUploadMediaOperator

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

if not TYPE_CHECKING:  # a moved module imported from here names its new place; hidden from mypy, which would
    __getattr__ = names_moved_modules(__name__)  # otherwise accept any name imported from here
