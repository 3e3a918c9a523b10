"""One pydantic model per PixVerse endpoint, with its rules (see docs/api-facts.rst, 'Generation fields' and 'Modes').

- ``base``: ``PixVerseRequest`` (unknown fields ignored, rules checked after parsing, ``to_payload``), the wire
  types of ids, the rule helpers, and ``VideoSource`` (the input video of the edit modes and of extend);
- ``generation``: the prompt-driven generations (text, image, transition, multi-transition, fusion, extend);
- ``edits``: requests on existing media (lip sync, sound effects, restyle, mask selection, swap, mimic,
  modify, image templates);
- ``queries``: the query strings of the list endpoints.

Import the models from here; ``GENERATION_REQUESTS`` maps each creation mode to its model.
"""

from __future__ import annotations

from pixverse_provider.api.enums import CreationMode
from pixverse_provider.api.request_models.base import PixVerseRequest, VideoSource
from pixverse_provider.api.request_models.edits import (
    ImageTemplateRequest,
    LipSyncRequest,
    MaskSelectionRequest,
    MimicRequest,
    ModifyRequest,
    RestyleRequest,
    SoundEffectRequest,
    SwapRequest,
)
from pixverse_provider.api.request_models.generation import (
    ExtendRequest,
    FusionRequest,
    Generation,
    ImageReference,
    ImageToVideoRequest,
    Keyframe,
    LegacyAudioAddOns,
    MultiTransitionRequest,
    TextToVideoRequest,
    TransitionRequest,
)
from pixverse_provider.api.request_models.queries import RestyleListQuery, TemplateListQuery, TtsSpeakerQuery

GENERATION_REQUESTS: dict[CreationMode, type[PixVerseRequest]] = {
    cls.mode: cls
    for cls in (
        TextToVideoRequest,
        ImageToVideoRequest,
        TransitionRequest,
        MultiTransitionRequest,
        FusionRequest,
        ExtendRequest,
        LipSyncRequest,
        SoundEffectRequest,
        RestyleRequest,
        SwapRequest,
        MimicRequest,
        ModifyRequest,
    )
}
"""The request model of each generation mode."""

__all__ = [
    "GENERATION_REQUESTS",
    "ExtendRequest",
    "FusionRequest",
    "Generation",
    "ImageReference",
    "ImageTemplateRequest",
    "ImageToVideoRequest",
    "Keyframe",
    "LegacyAudioAddOns",
    "LipSyncRequest",
    "MaskSelectionRequest",
    "MimicRequest",
    "ModifyRequest",
    "MultiTransitionRequest",
    "PixVerseRequest",
    "RestyleListQuery",
    "RestyleRequest",
    "SoundEffectRequest",
    "SwapRequest",
    "TemplateListQuery",
    "TextToVideoRequest",
    "TransitionRequest",
    "TtsSpeakerQuery",
    "VideoSource",
]
