"""One operator per PixVerse generation mode, on a shared base, plus the upload operators."""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from pixverse_provider import missing_attribute
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

if not TYPE_CHECKING:  # a module __getattr__ would make mypy accept any name imported from here

    def __getattr__(name: str) -> NoReturn:
        """``from pixverse_provider.operators import video`` names the module's new place."""
        raise missing_attribute(__name__, name)
