"""The prompt-driven generations (see docs/api-facts.rst, 'Generation fields' and 'Modes'): text, image,
transition, multi-transition, fusion and extend, with the field groups they share."""

from __future__ import annotations

import re
from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr

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
    ThinkingType,
)
from pixverse_provider.api.request_models.base import (
    Duration,
    Id,
    PixVerseRequest,
    Problems,
    Seed,
    VideoSource,
    aspect_ratio_allowed,
    available_on,
    duration_allowed,
    exactly_one,
    model_allowed,
    not_blank,
    prompt_length,
)
from pixverse_provider.api.validation import FieldProblem


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
        yield from available_on("generate_audio_switch", self.generate_audio_switch, model, rules.AUDIO_SWITCH_MODELS)
        yield from available_on(
            "generate_multi_clip_switch", self.generate_multi_clip_switch, model, rules.MULTI_CLIP_MODELS
        )
        camera = self.camera_movement is not None
        yield from available_on("camera_movement", camera, model, rules.CAMERA_MOVEMENT_MODELS)
        yield from super().problems(strict)


# ---------------------------------------------------------------------------------------------------------
# Generation endpoints


class TextToVideoRequest(Generation, PromptOptions, LegacyAudioAddOns):
    """Text-to-video (also effects, with ``template_id``)."""

    endpoint = Endpoint.TEXT_TO_VIDEO
    mode = CreationMode.TEXT_TO_VIDEO
    aspect_ratio: AspectRatio

    def problems(self, strict: bool) -> Problems:
        yield from aspect_ratio_allowed(self.model, self.aspect_ratio)
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
        yield from available_on(
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
        yield from aspect_ratio_allowed(self.model, self.aspect_ratio)
        yield from available_on(
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
        yield from available_on(
            "generate_audio_switch", self.generate_audio_switch, self.model, rules.AUDIO_SWITCH_MODELS
        )
        yield from super().problems(strict)
