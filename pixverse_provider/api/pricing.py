"""Credit estimates per generation (docs/api-facts.rst, 'Prices').

An estimate is what PixVerse's published tables say a request costs; ``None`` means the tables do not say
(multi-transition tiers, swap) or the cost depends on an input's length the client cannot know.
"""

from __future__ import annotations

import math

from pixverse_provider.api.enums import Model, MotionMode, Quality
from pixverse_provider.api.request_models import (
    Generation,
    LegacyAudioAddOns,
    LipSyncRequest,
    MimicRequest,
    PixVerseRequest,
    RestyleRequest,
    SoundEffectRequest,
)

Q = Quality

# v5 and v3.5/v4/v4.5 (normal motion), per 5 s and 8 s video; fusion v4.5 uses the same rows.
_LEGACY: dict[Quality, dict[int, int]] = {
    Q.Q360P: {5: 45, 8: 90},
    Q.Q540P: {5: 45, 8: 90},
    Q.Q720P: {5: 60, 8: 120},
    Q.Q1080P: {5: 120, 8: 240},
}
_LEGACY_FAST: dict[Quality, int] = {Q.Q360P: 90, Q.Q540P: 90, Q.Q720P: 120}

# v6 and c1 charge per second, (silent, with audio).
_PER_SECOND: dict[Model, dict[Quality, tuple[int, int]]] = {
    Model.V6: {Q.Q360P: (5, 7), Q.Q540P: (7, 9), Q.Q720P: (9, 12), Q.Q1080P: (18, 23)},
    Model.C1: {Q.Q360P: (6, 8), Q.Q540P: (8, 10), Q.Q720P: (10, 13), Q.Q1080P: (19, 24)},
}

# v5.6 per video (silent, audio) and v5.5 per video (single silent, single audio, multi silent,
# multi audio), keyed by quality then duration.
_V5_6: dict[Quality, dict[int, tuple[int, int]]] = {
    Q.Q360P: {5: (35, 80), 8: (70, 115), 10: (77, 122)},
    Q.Q540P: {5: (35, 90), 8: (70, 115), 10: (77, 122)},
    Q.Q720P: {5: (45, 80), 8: (90, 135), 10: (99, 144)},
    Q.Q1080P: {5: (75, 150), 8: (150, 195)},
}
_V5_5_BASE: dict[Quality, dict[int, int]] = {
    Q.Q360P: {5: 45, 8: 90, 10: 99},
    Q.Q540P: {5: 45, 8: 90, 10: 99},
    Q.Q720P: {5: 60, 8: 120, 10: 132},
    Q.Q1080P: {5: 120, 8: 240},
}
_V5_5_AUDIO = 10
_V5_5_MULTI_CLIP = 30

SOUND_EFFECT_PER_5S = 10
"""+10 credits per started 5 s (official page; a third party says 2 credits/s)."""
LIP_SYNC_PER_SECOND = 4
LIP_SYNC_TTS_PER_15_BYTES = 4
MIMIC_PER_SECOND: dict[Quality, int] = {Q.Q360P: 9, Q.Q540P: 10, Q.Q720P: 12}
RESTYLE_PER_SECOND = 10


def video_price(
    model: Model,
    quality: Quality,
    duration: int,
    *,
    motion_mode: MotionMode | None = None,
    audio: bool = False,
    multi_clip: bool = False,
) -> int | None:
    """Credits for one generated video of the given shape (t2v, i2v, transition, extend, effects, fusion)."""
    if model in _PER_SECOND:
        silent, with_audio = _PER_SECOND[model][quality]
        return (with_audio if audio else silent) * duration
    if model == Model.V5_6:
        pair = _V5_6[quality].get(duration)
        return None if pair is None else pair[1 if audio else 0]
    if model == Model.V5_5:
        base = _V5_5_BASE[quality].get(duration)
        if base is None:
            return None
        return base + (_V5_5_AUDIO if audio else 0) + (_V5_5_MULTI_CLIP if multi_clip else 0)
    if model == Model.V5:
        return _LEGACY[quality].get(duration)
    if motion_mode == MotionMode.FAST:
        return _LEGACY_FAST.get(quality)
    if quality == Q.Q1080P and duration != 5:  # the v3.5/v4/v4.5 table has no 1080p 8 s price
        return None
    return _LEGACY[quality].get(duration)


def sound_effect_price(duration: float) -> int:
    return SOUND_EFFECT_PER_5S * math.ceil(duration / 5)


def tts_price(text: str) -> int:
    return LIP_SYNC_TTS_PER_15_BYTES * math.ceil(len(text.encode()) / 15)


def estimate_credits(request: PixVerseRequest, *, source_seconds: float | None = None) -> int | None:
    """Credits PixVerse is expected to charge for ``request``.

    ``source_seconds`` is the length of the input video or audio, for modes priced by it (lip sync with
    uploaded audio, sound effects, mimic, restyle); without it those estimates are ``None``.
    """
    if isinstance(request, Generation):
        price = video_price(
            request.model,
            request.quality,
            request.duration,
            motion_mode=request.motion_mode,
            audio=bool(getattr(request, "generate_audio_switch", None)),
            multi_clip=bool(getattr(request, "generate_multi_clip_switch", None)),
        )
        if price is not None and isinstance(request, LegacyAudioAddOns) and request.template_id is None:
            if request.sound_effect_switch:
                price += sound_effect_price(request.duration)
            if request.lip_sync_tts_switch or request.lip_sync_switch:
                price += LIP_SYNC_PER_SECOND * request.duration
        return price
    if isinstance(request, LipSyncRequest):
        if request.lip_sync_tts_content:
            return tts_price(request.lip_sync_tts_content)
        return None if source_seconds is None else LIP_SYNC_PER_SECOND * math.ceil(source_seconds)
    if source_seconds is None:
        return None
    if isinstance(request, SoundEffectRequest):
        return sound_effect_price(source_seconds)
    if isinstance(request, MimicRequest):
        per_second = MIMIC_PER_SECOND.get(request.quality)
        return None if per_second is None else per_second * math.ceil(source_seconds)
    if isinstance(request, RestyleRequest):
        return RESTYLE_PER_SECOND * math.ceil(source_seconds)
    return None
