"""The billable POSTs: the 12 generation modes, image templates and mask selection, checked in PixVerse's order.

Each runs after its request model accepted the request, and checks, in this order: every id it names
(uploads, source videos, masks, templates, speakers, restyle presets), then the trace-id replay (a repeat
answers the first answer, free), then the price against the balance, then the concurrency slot; only then
does it charge and open a job (mask selection answers at once, without a job).
"""

from __future__ import annotations

import math
from typing import Any

from pixverse_provider.api import errors
from pixverse_provider.api import request_models as rq
from pixverse_provider.api.enums import CreationMode, Quality, TemplateType
from pixverse_provider.emulator import catalog, charges, outputs, videos
from pixverse_provider.emulator.answers import ApiError
from pixverse_provider.emulator.config import EmulatorConfig
from pixverse_provider.emulator.jobs import JobBook
from pixverse_provider.emulator.ledger import Ledger
from pixverse_provider.emulator.markers import read_markers
from pixverse_provider.emulator.masks import MaskBook
from pixverse_provider.emulator.replay import TraceReplay
from pixverse_provider.emulator.upload_store import UploadStore

__all__ = ["BillablePosts"]

RESTYLE_MAX_SOURCE_SECONDS = 16
"""Restyle takes source videos of at most 16 s (docs/api-facts.rst, 'Upload limits')."""
IMAGE_RESULT_SHORT_SIDE = 720
"""Short side of an image-template result (the real sizes are not documented)."""
PRICE_FIELD = {
    CreationMode.RESTYLE: "credits",
    CreationMode.SWAP: "credits",
    CreationMode.MULTI_TRANSITION: "credits",
    CreationMode.MIMIC: "credit",  # the mimic guide's spelling
}
"""Modes whose answer also states the price, and the field that holds it."""


class BillablePosts:
    """The billable requests of one emulator run, over its ledger, uploads, jobs, masks and replay memory.

    Not thread-safe by itself: ``EmulatorState`` calls it under its lock, after settling the jobs.
    """

    def __init__(
        self, ledger: Ledger, uploads: UploadStore, jobs: JobBook, masks: MaskBook, replay: TraceReplay
    ) -> None:
        self._ledger = ledger
        self._uploads = uploads
        self._jobs = jobs
        self._masks = masks
        self._replay = replay

    def submit(
        self, config: EmulatorConfig, account_id: int, trace_id: str, request: rq.PixVerseRequest, now: float
    ) -> dict[str, Any]:
        """A generation: ``{"video_id"}`` (and the price, for some modes), or an ApiError."""
        mode: CreationMode = type(request).mode
        inputs = self._inputs(account_id, request, mode, now)
        replay = self._replay.recall(account_id, trace_id)
        if replay is not None:
            return replay
        price = charges.generation_price(request, outputs.priced_seconds(inputs))
        self._ledger.check_affordable(account_id, price)
        self._jobs.check_slot(account_id, now, config.concurrency, config.slot_release_seconds)
        markers = read_markers(request.model_dump(mode="json"))
        width, height, resolution = outputs.frame(request, inputs)
        job = self._jobs.open(
            account_id,
            "video",
            mode.value,
            now,
            price,
            seconds=config.generation_seconds if markers.seconds is None else markers.seconds,
            release_after=config.slot_release_seconds,
            outcome=markers.outcome,
            seed=getattr(request, "seed", None),
            width=width,
            height=height,
            resolution=resolution,
            duration=outputs.duration(request, inputs.source),
            has_audio=outputs.has_audio(request, mode, inputs.source),
            prompt=outputs.prompt_text(request),
            negative_prompt=getattr(request, "negative_prompt", None) or "",
            style=outputs.enum_text(getattr(request, "style", None)),
            template_id=getattr(request, "template_id", None) or 0,
        )
        answer: dict[str, Any] = {"video_id": job.job_id}
        if mode in PRICE_FIELD:
            answer[PRICE_FIELD[mode]] = price
        return self._replay.remember(account_id, trace_id, answer)

    def select_masks(
        self, account_id: int, trace_id: str, request: rq.MaskSelectionRequest, base_url: str, now: float
    ) -> dict[str, Any]:
        """Mask selection: 3 masks (person, object, background) of one frame; billed, not a job."""
        source = self._video_source(account_id, request, now)
        keyframe = 1 if request.keyframe_id is None else request.keyframe_id
        frames = max(1, math.ceil(source.duration * videos.FRAME_RATE))
        if keyframe > frames:
            raise ApiError(errors.INVALID_PARAMETER, f"keyframe_id {keyframe} is past the video's {frames} frames")
        replay = self._paid_once(account_id, trace_id, charges.MASK_SELECTION_CREDITS)
        if replay is not None:
            return replay
        self._ledger.charge(account_id, charges.MASK_SELECTION_CREDITS)
        selection = self._masks.select(account_id, source.ref, keyframe)
        still = f"{base_url}/_emulator/media/still"
        answer = {
            "keyframe_id": keyframe,
            "keyframe_url": f"{still}/keyframe-{selection.mask_ids[0]}.png",
            "credits": charges.MASK_SELECTION_CREDITS,
            "mask_info": [
                {"mask_id": mask_id, "mask_name": name, "mask_url": f"{still}/mask-{mask_id}.png"}
                for mask_id, name in zip(selection.mask_ids, selection.names, strict=True)
            ],
        }
        return self._replay.remember(account_id, trace_id, answer)

    def submit_image_template(
        self, config: EmulatorConfig, account_id: int, trace_id: str, request: rq.ImageTemplateRequest, now: float
    ) -> dict[str, Any]:
        """Image template: an image job that finishes like a video job; ``{"image_id", "credits"}``."""
        images = [self._uploads.image(account_id, img_id) for img_id in request.img_ids]
        template = _activated_template(request.template_id)
        if template.template_type != TemplateType.IMAGE:
            raise ApiError(
                errors.INVALID_PARAMETER, f"template {template.template_id} is a video template, not an image one"
            )
        _check_image_count(template, len(images))
        price = charges.IMAGE_TEMPLATE_CREDITS
        replay = self._paid_once(account_id, trace_id, price)
        if replay is not None:
            return replay
        self._jobs.check_slot(account_id, now, config.concurrency, config.slot_release_seconds)
        first = images[0]
        width, height = outputs.output_frame(IMAGE_RESULT_SHORT_SIDE, (first.width or 1, first.height or 1))
        job = self._jobs.open(
            account_id,
            "image",
            "image_template",
            now,
            price,
            seconds=config.generation_seconds,
            release_after=config.slot_release_seconds,
            width=width,
            height=height,
            resolution=min(width, height),
            duration=0,
            prompt=template.prompt,
            template_id=template.template_id,
        )
        return self._replay.remember(account_id, trace_id, {"image_id": job.job_id, "credits": price})

    # ------------------------------------------------------------------ what a request names

    def _paid_once(self, account_id: int, trace_id: str, price: int) -> dict[str, Any] | None:
        """The replayed answer for a repeated trace id, else None once the account can afford ``price``."""
        replay = self._replay.recall(account_id, trace_id)
        if replay is None:
            self._ledger.check_affordable(account_id, price)
        return replay

    def _inputs(self, account_id: int, request: rq.PixVerseRequest, mode: CreationMode, now: float) -> outputs.Inputs:
        """Every id in the request must name something this account has; raise the code PixVerse uses."""
        images = [self._uploads.image(account_id, img_id) for img_id in outputs.image_ids(request)]
        source = self._video_source(account_id, request, now) if isinstance(request, rq.VideoSource) else None
        audio = None
        if isinstance(request, rq.LipSyncRequest) and request.audio_media_id is not None:
            audio = self._uploads.media(account_id, request.audio_media_id, "audio")
        speaker = getattr(request, "lip_sync_tts_speaker_id", None)
        if speaker and not catalog.is_speaker(speaker):
            raise ApiError(errors.INVALID_PARAMETER, f"invalid lip_sync_tts_speaker_id: {speaker!r}")
        if source is not None:
            self._masks.check(account_id, request, source)
        if mode in (CreationMode.TEXT_TO_VIDEO, CreationMode.IMAGE_TO_VIDEO, CreationMode.TRANSITION):
            _check_video_template(request, mode)
        if isinstance(request, rq.RestyleRequest):
            if request.restyle_id is not None and request.restyle_id not in catalog.RESTYLE_IDS:
                raise ApiError(errors.INVALID_PARAMETER, f"couldn't find a matching restyle_id: {request.restyle_id}")
            if source is not None and source.duration > RESTYLE_MAX_SOURCE_SECONDS:
                raise ApiError(
                    errors.INVALID_PARAMETER,
                    f"restyle takes videos of at most {RESTYLE_MAX_SOURCE_SECONDS} s, got {source.duration:g} s",
                )
        return outputs.Inputs(source=source, image=images[0] if images else None, audio=audio)

    def _video_source(self, account_id: int, request: rq.VideoSource, now: float) -> outputs.Source:
        """Resolve ``source_video_id`` (a finished video of this account) or ``video_media_id`` (a video upload)."""
        if request.source_video_id is not None:
            job = self._jobs.source_video(account_id, request.source_video_id, now)
            return outputs.Source(("video", job.job_id), job.duration, job.width, job.height, job.has_audio)
        upload = self._uploads.media(account_id, request.video_media_id, "video")
        duration = upload.duration if upload.duration is not None else charges.DEFAULT_SOURCE_SECONDS
        return outputs.Source(("media", upload.upload_id), duration, upload.width, upload.height, False)


def _activated_template(template_id: int) -> catalog.Template:
    """The catalogue's template, or 500070 when it is unknown or not activated."""
    template = catalog.TEMPLATES_BY_ID.get(template_id)
    if template is None or not template.activated:
        raise ApiError(errors.TEMPLATE_NOT_ACTIVATED, f"template not activated: {template_id}")
    return template


def _check_image_count(template: catalog.Template, given: int) -> None:
    if given != template.image_count:
        raise ApiError(
            errors.INVALID_PARAMETER,
            f"template {template.template_id} takes {template.image_count} image(s), got {given}",
        )


def _check_video_template(request: rq.PixVerseRequest, mode: CreationMode) -> None:
    """An effect: an activated video template that supports the quality and gets its number of images."""
    template_id = getattr(request, "template_id", None)
    if template_id is None:
        return
    template = _activated_template(template_id)
    if template.template_type != TemplateType.VIDEO:
        raise ApiError(errors.INVALID_PARAMETER, f"template {template_id} is an image template")
    quality: Quality = getattr(request, "quality")  # noqa: B009 - every templated request has one
    if quality not in template.qualities:
        supported = ", ".join(q.value for q in template.qualities)
        raise ApiError(errors.TEMPLATE_RESOLUTION, f"effect does not support {quality.value}; it supports {supported}")
    given = 0
    if isinstance(request, rq.ImageToVideoRequest):
        given = len(request.img_ids) if request.img_ids is not None else 1
    if mode != CreationMode.TRANSITION:
        _check_image_count(template, given)
