"""Requests that work on existing media: lip sync, sound effects, restyle, mask selection, swap, mimic,
modify, and image templates."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field, StrictBool, StrictInt, StrictStr

from pixverse_provider.api import errors, rules
from pixverse_provider.api.endpoints import Endpoint
from pixverse_provider.api.enums import CreationMode, Quality
from pixverse_provider.api.request_models.base import (
    Id,
    PixVerseRequest,
    Problems,
    Seed,
    VideoSource,
    edit_quality,
    not_blank,
    prompt_length,
)
from pixverse_provider.api.validation import FieldProblem


class LipSyncRequest(VideoSource):
    """Lip sync: one video source, and either an uploaded audio or a TTS speaker with text."""

    endpoint = Endpoint.LIP_SYNC
    mode: ClassVar[CreationMode] = CreationMode.LIP_SYNC
    audio_media_id: Id | None = None
    lip_sync_tts_speaker_id: StrictStr | None = None
    lip_sync_tts_content: StrictStr | None = None

    def problems(self, strict: bool) -> Problems:
        tts = self.lip_sync_tts_speaker_id is not None or self.lip_sync_tts_content is not None
        if self.audio_media_id is not None and tts:
            yield FieldProblem("audio_media_id", "give either audio_media_id or a TTS speaker and content, not both")
        elif self.audio_media_id is None and not tts:
            yield FieldProblem(  # PixVerse lists "audio source missing" among its 400017 answers
                "audio_media_id",
                "an audio source is required: audio_media_id, or lip_sync_tts_speaker_id with lip_sync_tts_content",
            )
        elif tts:
            if not self.lip_sync_tts_speaker_id:
                yield FieldProblem("lip_sync_tts_speaker_id", "is required with lip_sync_tts_content")
            if not self.lip_sync_tts_content or not self.lip_sync_tts_content.strip():
                yield FieldProblem("lip_sync_tts_content", "is required with lip_sync_tts_speaker_id")
            elif len(self.lip_sync_tts_content) > rules.TTS_CONTENT_MAX_CHARS:
                yield FieldProblem(
                    "lip_sync_tts_content",
                    f"TTS text must be within {rules.TTS_CONTENT_MAX_CHARS} characters,"
                    f" got {len(self.lip_sync_tts_content)}",
                )
        yield from super().problems(strict)


class SoundEffectRequest(VideoSource):
    """Add sound effects to a video."""

    endpoint = Endpoint.SOUND_EFFECT
    mode: ClassVar[CreationMode] = CreationMode.SOUND_EFFECT
    original_sound_switch: StrictBool | None = None
    sound_effect_content: StrictStr | None = None
    model: StrictStr | None = None
    """Reserved by PixVerse for future use."""


class RestyleRequest(VideoSource):
    """Restyle a video with a preset (``restyle_id``) or a prompt."""

    endpoint = Endpoint.RESTYLE
    mode: ClassVar[CreationMode] = CreationMode.RESTYLE
    restyle_id: Id | None = None
    restyle_prompt: StrictStr | None = None
    seed: Seed | None = None

    def problems(self, strict: bool) -> Problems:
        if (self.restyle_id is None) == (self.restyle_prompt is None):
            yield FieldProblem("restyle_id", "Either restyle_id or restyle_prompt must be provided, not both")
        yield from not_blank("restyle_prompt", self.restyle_prompt)
        yield from prompt_length("restyle_prompt", self.restyle_prompt, None, strict)
        yield from super().problems(strict)


class MaskSelectionRequest(VideoSource):
    """Detect swappable masks (person, object, background) in one frame of a video."""

    endpoint = Endpoint.MASK_SELECTION
    keyframe_id: Annotated[StrictInt, Field(ge=0)] | None = None


class SwapRequest(VideoSource):
    """Swap the masked subject of a video for an image."""

    endpoint = Endpoint.SWAP
    mode: ClassVar[CreationMode] = CreationMode.SWAP
    keyframe_id: Annotated[StrictInt, Field(ge=0)]
    mask_id: StrictStr
    img_id: Id
    quality: Quality

    def problems(self, strict: bool) -> Problems:
        yield from not_blank("mask_id", self.mask_id)
        yield from edit_quality(self.quality, strict)
        yield from super().problems(strict)


class MimicRequest(VideoSource):
    """Motion control: animate an image with the motion of a reference video."""

    endpoint = Endpoint.MIMIC
    mode: ClassVar[CreationMode] = CreationMode.MIMIC
    img_id: Id
    quality: Quality

    def problems(self, strict: bool) -> Problems:
        yield from edit_quality(self.quality, strict, certain=False)
        yield from super().problems(strict)


class ModifyRequest(VideoSource):
    """Edit a video by prompt, with optional masks (``@selection0``) and images (``@img0``)."""

    endpoint = Endpoint.MODIFY
    mode: ClassVar[CreationMode] = CreationMode.MODIFY
    prompt: StrictStr
    quality: Quality
    img_ids: list[Id] | None = None
    mask_ids: list[StrictStr] | None = None
    keyframe_ids: Annotated[StrictInt, Field(ge=0)] | None = None
    """A single frame index despite the plural name."""

    def problems(self, strict: bool) -> Problems:
        yield from not_blank("prompt", self.prompt)
        # Only the CN swagger documents modify, with a 5000-character prompt.
        yield from prompt_length("prompt", self.prompt, None, strict, limit=rules.PROMPT_MAX_CHARS)
        for field in ("img_ids", "mask_ids"):
            values = getattr(self, field)
            if values is not None and len(values) > rules.MODIFY_MAX_REFERENCES:
                yield FieldProblem(field, f"takes at most {rules.MODIFY_MAX_REFERENCES} items, got {len(values)}")
        yield from edit_quality(self.quality, strict)
        yield from super().problems(strict)


class ImageTemplateRequest(PixVerseRequest):
    """Apply an image template (type 2) to uploaded images."""

    endpoint = Endpoint.IMAGE_TEMPLATE
    img_ids: list[Id]
    template_id: Id

    def problems(self, strict: bool) -> Problems:
        if not self.img_ids:
            yield FieldProblem("img_ids", "must list at least one uploaded image", errors.REQUIRED_PARAMETER_EMPTY)
        yield from super().problems(strict)
