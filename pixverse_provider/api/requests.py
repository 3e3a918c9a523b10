"""One pydantic model per PixVerse endpoint, with its rules (see docs/api-facts.rst, 'Generation fields' and 'Modes').

Field names are the API's own; types are the wire types (ids are ints, switches are bools), checked
strictly so that a string where the API wants a number is caught as PixVerse's binding error (400013).
Cross-field rules live in each model's ``problems`` method and are reported all at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError
from typing_extensions import Self

from pixverse_provider.api import errors, rules
from pixverse_provider.api.endpoints import Endpoint
from pixverse_provider.api.enums import (
    AspectRatio,
    CameraMovement,
    CreationMode,
    Model,
    MotionMode,
    Quality,
    ReferenceType,
    Style,
    TemplateType,
    ThinkingType,
)
from pixverse_provider.api.validation import RULES_ERROR_TYPE, FieldProblem

Id = Annotated[StrictInt, Field(ge=0, le=2**63 - 1)]
"""Ids are JSON numbers (PixVerse refuses quoted ids on some endpoints)."""
Seed = Annotated[StrictInt, Field(ge=0, le=rules.SEED_MAX)]
Duration = Annotated[StrictInt, Field(ge=0)]

Problems = Iterator[FieldProblem]


class PixVerseRequest(BaseModel):
    """Base of every request: unknown fields are ignored (as the real server does), rules run after parsing."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    endpoint: ClassVar[Endpoint]
    mode: ClassVar[CreationMode]
    """The creation type; set on generation requests only."""

    def problems(self, strict: bool) -> Problems:
        """Cross-field rule violations; ``strict`` adds the uncertain rules (emulator only)."""
        return iter(())

    @model_validator(mode="after")
    def _check_rules(self, info: ValidationInfo) -> Self:
        strict = bool(info.context and info.context.get("strict"))
        found = tuple(self.problems(strict))
        if found:
            detail = "; ".join(map(str, found))
            raise PydanticCustomError(RULES_ERROR_TYPE, "{detail}", {"detail": detail, "problems": found})
        return self

    def to_payload(self) -> dict[str, Any]:
        """The JSON body to send: API field names, enums as their values, unset options left out."""
        return self.model_dump(mode="json", exclude_none=True, by_alias=True)


# ---------------------------------------------------------------------------------------------------------
# Rule helpers shared by several endpoints


def not_blank(field: str, value: str | None) -> Problems:
    if value is not None and not value.strip():
        yield FieldProblem(field, "must not be empty", errors.REQUIRED_PARAMETER_EMPTY)


def prompt_length(
    field: str, value: str | None, model: Model | None, strict: bool, limit: int | None = None
) -> Problems:
    limit = limit or rules.prompt_limit(model, strict=strict)
    if value is not None and len(value) > limit:
        code = errors.NEGATIVE_PROMPT_TOO_LONG if field == "negative_prompt" else errors.PROMPT_TOO_LONG
        yield FieldProblem(field, f"is {len(value)} characters long; the limit is {limit}", code)


def exactly_one(**sources: object) -> Problems:
    given = [name for name, value in sources.items() if value is not None]
    if len(given) != 1:
        names = " or ".join(sources)
        detail = "none was given" if not given else f"got {' and '.join(given)}"
        code = errors.REQUIRED_PARAMETER_EMPTY if not given else errors.INVALID_PARAMETER
        yield FieldProblem(names, f"give exactly one of {names}; {detail}", code)


def model_allowed(mode: CreationMode, model: Model) -> Problems:
    allowed = rules.MODE_MODELS[mode]
    if model not in allowed:
        yield FieldProblem("model", f"{model.value} is not available for {mode.value}; allowed: {rules.names(allowed)}")


def duration_allowed(model: Model, duration: int, quality: Quality, strict: bool) -> Problems:
    allowed = rules.allowed_durations(model)
    if duration not in allowed:
        yield FieldProblem("duration", f"{duration} is not allowed on {model.value}; allowed: {rules.names(allowed)}")
        return
    longest = rules.max_duration_at_1080p(model, strict=strict)
    if quality == Quality.Q1080P and longest is not None and duration > longest:
        yield FieldProblem("duration", f"1080p on {model.value} allows at most {longest} seconds, got {duration}")


def switch_allowed(field: str, value: bool | None, model: Model, models: frozenset[Model]) -> Problems:
    if value and model not in models:
        yield FieldProblem(field, f"is only available on {rules.names(models)}, not {model.value}")


def edit_quality(quality: Quality, strict: bool, *, certain: bool = True) -> Problems:
    if quality not in rules.EDIT_QUALITIES and (certain or rules.enforced("edit_quality_1080p", strict=strict)):
        yield FieldProblem("quality", f"{quality.value} is not supported; allowed: {rules.names(rules.EDIT_QUALITIES)}")


# ---------------------------------------------------------------------------------------------------------
# Building blocks


class VideoSource(PixVerseRequest):
    """An input video: a PixVerse generation (``source_video_id``) or an upload (``video_media_id``)."""

    source_video_id: Id | None = None
    video_media_id: Id | None = None

    def problems(self, strict: bool) -> Problems:
        yield from exactly_one(source_video_id=self.source_video_id, video_media_id=self.video_media_id)
        yield from super().problems(strict)


class LegacyAudioAddOns(PixVerseRequest):
    """Sound-effect and lip-sync add-ons of t2v/i2v/transition: v5 and older, or any model with a template."""

    template_id: Id | None = None
    sound_effect_switch: StrictBool | None = None
    sound_effect_content: StrictStr | None = None
    lip_sync_tts_switch: StrictBool | None = None
    lip_sync_switch: StrictBool | None = None
    """The schema's name for ``lip_sync_tts_switch``; the examples use the other, so both pass."""
    lip_sync_tts_content: StrictStr | None = None
    lip_sync_tts_speaker_id: StrictStr | None = None

    _ADD_ONS: ClassVar[tuple[str, ...]] = (
        "sound_effect_switch",
        "sound_effect_content",
        "lip_sync_tts_switch",
        "lip_sync_switch",
        "lip_sync_tts_content",
        "lip_sync_tts_speaker_id",
    )

    def problems(self, strict: bool) -> Problems:
        model: Model = getattr(self, "model")  # noqa: B009 - every subclass has a model
        if self.template_id is None and model not in rules.LEGACY_AUDIO_MODELS:
            for name in self._ADD_ONS:
                if getattr(self, name) not in (None, False, ""):
                    yield FieldProblem(
                        name,
                        f"is only available on {rules.names(rules.LEGACY_AUDIO_MODELS)} or with a template_id;"
                        f" use generate_audio_switch on {model.value}",
                    )
        yield from super().problems(strict)


class Generation(PixVerseRequest):
    """Fields and rules shared by every prompt-driven video generation."""

    mode: ClassVar[CreationMode]
    prompt: StrictStr
    model: Model
    duration: Duration
    quality: Quality
    seed: Seed | None = None
    motion_mode: MotionMode | None = None

    def problems(self, strict: bool) -> Problems:
        if getattr(self, "template_id", None) is None:  # templates ignore the prompt: empty is fine
            yield from not_blank("prompt", self.prompt)
        yield from prompt_length("prompt", self.prompt, self.model, strict)
        yield from prompt_length("negative_prompt", getattr(self, "negative_prompt", None), self.model, strict)
        yield from model_allowed(self.mode, self.model)
        yield from duration_allowed(self.model, self.duration, self.quality, strict)
        if problem := rules.motion_mode_problem(self.model, self.motion_mode, self.duration, self.quality):
            yield FieldProblem("motion_mode", problem)
        yield from super().problems(strict)


class PromptOptions(PixVerseRequest):
    """Optional prompt controls of text- and image-to-video."""

    negative_prompt: StrictStr | None = None
    style: Style | None = None
    camera_movement: CameraMovement | None = None
    water_mark: StrictBool | None = None
    generate_audio_switch: StrictBool | None = None
    generate_multi_clip_switch: StrictBool | None = None
    thinking_type: ThinkingType | None = None

    def problems(self, strict: bool) -> Problems:
        model: Model = getattr(self, "model")  # noqa: B009
        yield from switch_allowed("generate_audio_switch", self.generate_audio_switch, model, rules.AUDIO_SWITCH_MODELS)
        yield from switch_allowed(
            "generate_multi_clip_switch", self.generate_multi_clip_switch, model, rules.MULTI_CLIP_MODELS
        )
        if self.camera_movement is not None and model not in rules.CAMERA_MOVEMENT_MODELS:
            yield FieldProblem(
                "camera_movement",
                f"is only available on {rules.names(rules.CAMERA_MOVEMENT_MODELS)}, not {model.value}",
            )
        yield from super().problems(strict)


# ---------------------------------------------------------------------------------------------------------
# Generation endpoints


class TextToVideoRequest(Generation, PromptOptions, LegacyAudioAddOns):
    """Text-to-video (also effects, with ``template_id``)."""

    endpoint = Endpoint.TEXT_TO_VIDEO
    mode = CreationMode.TEXT_TO_VIDEO
    aspect_ratio: AspectRatio

    def problems(self, strict: bool) -> Problems:
        allowed = rules.allowed_aspect_ratios(self.model)
        if self.aspect_ratio not in allowed:
            yield FieldProblem(
                "aspect_ratio",
                f"{self.aspect_ratio.value} is not available on {self.model.value}; allowed: {rules.names(allowed)}",
            )
        yield from super().problems(strict)


class ImageToVideoRequest(Generation, PromptOptions, LegacyAudioAddOns):
    """Image-to-video, and template (effect) videos with ``template_id``/``img_ids``."""

    endpoint = Endpoint.IMAGE_TO_VIDEO
    mode = CreationMode.IMAGE_TO_VIDEO
    prompt: StrictStr = ""
    img_id: Id | None = None
    img_ids: Annotated[list[Id], Field(min_length=1)] | None = None

    def problems(self, strict: bool) -> Problems:
        yield from exactly_one(img_id=self.img_id, img_ids=self.img_ids)
        if self.img_ids is not None and self.template_id is None:
            yield FieldProblem("img_ids", "is only for multi-image templates; give a template_id or use img_id")
        yield from super().problems(strict)


class TransitionRequest(Generation, LegacyAudioAddOns):
    """First/last-frame transition."""

    endpoint = Endpoint.TRANSITION
    mode = CreationMode.TRANSITION
    first_frame_img: Id
    last_frame_img: Id
    generate_audio_switch: StrictBool | None = None

    def problems(self, strict: bool) -> Problems:
        yield from switch_allowed(
            "generate_audio_switch", self.generate_audio_switch, self.model, rules.AUDIO_SWITCH_MODELS
        )
        yield from super().problems(strict)


class Keyframe(BaseModel):
    """One keyframe of a multi-transition: its image and the segment that starts there."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    img_id: Id
    duration: Duration | None = None
    prompt: StrictStr | None = None


class MultiTransitionRequest(PixVerseRequest):
    """Multi-keyframe transition (2-7 keyframes)."""

    endpoint = Endpoint.MULTI_TRANSITION
    mode: ClassVar[CreationMode] = CreationMode.MULTI_TRANSITION
    multi_transition: list[Keyframe]
    model: Model
    quality: Quality
    motion_mode: MotionMode | None = None
    seed: Seed | None = None

    def problems(self, strict: bool) -> Problems:
        yield from model_allowed(self.mode, self.model)
        low, high = rules.MULTI_TRANSITION_ITEMS
        frames = self.multi_transition
        if not low <= len(frames) <= high:
            yield FieldProblem("multi_transition", f"needs {low}-{high} keyframes, got {len(frames)}")
            return
        longest = 5 if len(frames) >= 3 else 8
        for i, frame in enumerate(frames[:-1]):
            if frame.duration is None or not 1 <= frame.duration <= longest:
                yield FieldProblem(
                    f"multi_transition[{i}].duration",
                    f"must be 1-{longest} seconds with {len(frames)} keyframes, got {frame.duration}",
                )
        if frames[-1].duration not in (None, 0):
            yield FieldProblem(
                f"multi_transition[{len(frames) - 1}].duration", "must be 0 or absent on the last keyframe"
            )
        total = sum(f.duration or 0 for f in frames)
        low_total, high_total = rules.MULTI_TRANSITION_TOTAL_SECONDS
        if not low_total <= total <= high_total:
            yield FieldProblem("multi_transition", f"total duration must be {low_total}-{high_total} s, got {total}")
        if self.motion_mode == MotionMode.FAST:
            if problem := rules.motion_mode_problem(self.model, self.motion_mode, 5, self.quality):
                yield FieldProblem("motion_mode", problem)
            elif max(f.duration or 0 for f in frames) > 5:
                yield FieldProblem("motion_mode", "'fast' requires every segment to be at most 5 seconds")
        yield from super().problems(strict)


class ImageReference(BaseModel):
    """A fusion reference image, named in the prompt as ``@ref_name`` followed by a space."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    type: ReferenceType
    img_id: Id
    ref_name: StrictStr


class FusionRequest(Generation):
    """Fusion (reference-to-video)."""

    endpoint = Endpoint.FUSION
    mode = CreationMode.FUSION
    image_references: list[ImageReference]
    aspect_ratio: AspectRatio
    generate_audio_switch: StrictBool | None = None

    def problems(self, strict: bool) -> Problems:
        refs = self.image_references
        most = rules.FUSION_MAX_REFERENCES.get(self.model, rules.FUSION_MAX_REFERENCES_DEFAULT)
        if not 1 <= len(refs) <= most:
            yield FieldProblem("image_references", f"{self.model.value} takes 1-{most} references, got {len(refs)}")
        seen: set[str] = set()
        for i, ref in enumerate(refs):
            field = f"image_references[{i}].ref_name"
            if not ref.ref_name.strip():
                yield FieldProblem(field, "must not be empty", errors.REQUIRED_PARAMETER_EMPTY)
                continue
            if ref.ref_name in seen:
                yield FieldProblem(field, f"'{ref.ref_name}' is used twice; names must be unique")
            seen.add(ref.ref_name)
            if rules.enforced("fusion_ref_name_length", strict=strict) and len(ref.ref_name.encode()) > 30:
                yield FieldProblem(field, "must be at most 30 UTF-8 bytes")
            if not re.search(f"@{re.escape(ref.ref_name)} ", self.prompt):
                yield FieldProblem(
                    "prompt",
                    f"must mention reference '{ref.ref_name}' as '@{ref.ref_name} ' (followed by a space)",
                )
        allowed = rules.allowed_aspect_ratios(self.model)
        if self.aspect_ratio not in allowed:
            yield FieldProblem(
                "aspect_ratio",
                f"{self.aspect_ratio.value} is not available on {self.model.value}; allowed: {rules.names(allowed)}",
            )
        yield from switch_allowed(
            "generate_audio_switch", self.generate_audio_switch, self.model, rules.FUSION_AUDIO_SWITCH_MODELS
        )
        yield from super().problems(strict)


class ExtendRequest(Generation, VideoSource):
    """Extend a generated or uploaded video."""

    endpoint = Endpoint.EXTEND
    mode = CreationMode.EXTEND
    seed: Seed
    """Required by both generations of the schema."""
    negative_prompt: StrictStr | None = None
    style: Style | None = None
    generate_audio_switch: StrictBool | None = None
    water_mark: StrictBool | None = None

    def problems(self, strict: bool) -> Problems:
        yield from switch_allowed(
            "generate_audio_switch", self.generate_audio_switch, self.model, rules.AUDIO_SWITCH_MODELS
        )
        yield from super().problems(strict)


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


# ---------------------------------------------------------------------------------------------------------
# Query strings of the list endpoints (lax: query values arrive as text)


class PageQuery(PixVerseRequest):
    """Paging of the TTS speaker and restyle lists."""

    page_num: Annotated[int, Field(ge=1)] = 1
    page_size: Annotated[int, Field(ge=1, le=100)] = 30


class TtsSpeakerQuery(PageQuery):
    endpoint = Endpoint.TTS_SPEAKERS


class RestyleListQuery(PageQuery):
    endpoint = Endpoint.RESTYLE_LIST


class TemplateListQuery(PixVerseRequest):
    """Template list paging; ``pageSize`` must be 10, 20, 50 or 100."""

    endpoint = Endpoint.TEMPLATES
    type: int | None = None
    page: Annotated[int, Field(ge=1)] = 1
    page_size: int = Field(default=50, alias="pageSize")

    def problems(self, strict: bool) -> Problems:
        if self.type is not None and self.type not in set(TemplateType):
            yield FieldProblem("type", f"must be 1 or 2 (1 video, 2 image templates), got {self.type}")
        if self.page_size not in rules.TEMPLATE_PAGE_SIZES:
            yield FieldProblem(
                "pageSize", f"must be one of {rules.names(rules.TEMPLATE_PAGE_SIZES)}, got {self.page_size}"
            )
        yield from super().problems(strict)


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
