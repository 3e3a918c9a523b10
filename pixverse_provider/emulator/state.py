"""Everything the emulator knows and does, as plain Python without HTTP (so it is unit-testable).

One lock guards all of it: uvicorn runs the app on one thread while tests read counters from another.
Time is ``time.time()`` plus an adjustable offset, so tests fast-forward generations instead of sleeping;
job statuses and refunds are settled lazily from that clock on every call.

Choices where PixVerse's behaviour is unknown (docs/api-facts.rst, 'Open questions'), all made here:

- Each API key is its own account (``config.account_id`` + key index); another account's uploads and
  videos look unknown (400032 / 400017 / 500008), as if they did not exist.
- A trace id that already created something on a billable POST (the 12 generation modes, image template,
  mask selection) answers the first answer again: no new job, no charge
  (``rules.UNCERTAIN_RULES["trace_id_replay"]``). Only successful answers are remembered, and the replay is
  checked after the request itself has been validated.
- Ids never repeat, across ``reset()`` and across restarts (see ``ids``): files named after them never clash.
- Credits come from ``credit_monthly`` first, then ``credit_package``; moderation (status 7) refunds, a
  failure (status 8) does not (unknown; the docs only promise refunds for moderation).
- Image-template jobs occupy a concurrency slot like video jobs; mask selection is not a job.
- ``[emulate:moderation]``, ``[emulate:failure]``, ``[emulate:deleted]`` and ``[emulate:seconds=N]`` anywhere
  in a request's text make its job end in status 7, 8 or 6, or take N seconds.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import hmac
import itertools
import math
import random
import shutil
import tempfile
import threading
import time
import uuid
from collections import deque
from pathlib import Path
from typing import Any

from pixverse_provider.api import errors, rules
from pixverse_provider.api import request_models as rq
from pixverse_provider.api.enums import CreationMode, Quality, TemplateType, VideoStatus
from pixverse_provider.emulator import catalog, charges, outputs, videos
from pixverse_provider.emulator.answers import ApiError
from pixverse_provider.emulator.config import EmulatorConfig
from pixverse_provider.emulator.faults import Fault
from pixverse_provider.emulator.ids import IdSource
from pixverse_provider.emulator.records import (
    Account,
    Counters,
    Job,
    MaskSelection,
    Upload,
    output_frame,
    read_markers,
    timestamp,
)

REQUEST_LOG_SIZE = 2000
RESTYLE_MAX_SOURCE_SECONDS = 16
"""Restyle takes source videos of at most 16 s (docs/api-facts.rst, 'Upload limits')."""
IMAGE_RESULT_SHORT_SIDE = 720
"""Short side of an image-template result (the real sizes are not documented)."""


class EmulatorState:
    """Accounts, uploads, jobs, trace-id replay, counters, request log, pending faults and the clock."""

    def __init__(self, config: EmulatorConfig) -> None:
        self._initial = config
        self._config = config
        self._lock = threading.RLock()
        self._ids = IdSource()
        self._owned_dir: Path | None = None
        if config.media_dir is None:
            self._owned_dir = Path(tempfile.mkdtemp(prefix="pixverse-emulator-"))
        self.media_dir = self._owned_dir or Path(config.media_dir or ".")
        self._closed = False
        self._clear()

    # ------------------------------------------------------------------ lifecycle, clock, settings

    def _clear(self) -> None:
        """Forget everything and start from ``self._initial`` (called with the lock held, or at init)."""
        self._config = self._initial
        self._offset = 0.0
        self._accounts = {
            key: Account(self._initial.account_id + i, self._initial.credit_monthly, self._initial.credits)
            for i, key in enumerate(self._initial.api_keys)
        }
        self._uploads: dict[int, Upload] = {}
        self._jobs: dict[int, Job] = {}
        self._unsettled: list[Job] = []
        self._masks: dict[str, tuple[int, MaskSelection]] = {}
        self._replays: dict[tuple[int, str], dict[str, Any]] = {}
        self._faults: list[list[Any]] = []  # [Fault, remaining]
        self._log: deque[dict[str, Any]] = deque(maxlen=REQUEST_LOG_SIZE)
        self._log_seq = itertools.count(1)
        self._counters = Counters()
        uploads = self.media_dir / "uploads"
        shutil.rmtree(uploads, ignore_errors=True)
        uploads.mkdir(parents=True, exist_ok=True)
        (self.media_dir / "incoming").mkdir(parents=True, exist_ok=True)

    def reset(self) -> None:
        """Back to how the emulator started: jobs, uploads, counters, faults, log, credits, clock, settings."""
        with self._lock:
            self._clear()

    def close(self) -> None:
        """Remove the media directory if this state created it."""
        with self._lock:
            if self._owned_dir is not None and not self._closed:
                shutil.rmtree(self._owned_dir, ignore_errors=True)
            self._closed = True

    @property
    def config(self) -> EmulatorConfig:
        """The settings in effect (``update_config`` changes them until the next ``reset``)."""
        with self._lock:
            return self._config

    def update_config(self, **changes: Any) -> EmulatorConfig:
        """Change run-time settings; ``credits``/``credit_monthly`` also set every account's balance now."""
        allowed = {
            "generation_seconds",
            "concurrency",
            "credits",
            "credit_monthly",
            "max_image_side",
            "slot_release_seconds",
        }
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"cannot change {', '.join(sorted(unknown))}; changeable: {', '.join(sorted(allowed))}")
        whole = ("concurrency", "credits", "credit_monthly", "max_image_side")
        for name, value in changes.items():
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise ValueError(f"{name} must be a number")
            if name in whole and value != int(value):
                raise ValueError(f"{name} must be a whole number")
        typed: dict[str, Any] = {k: (int(v) if k in whole else v) for k, v in changes.items()}
        with self._lock:
            self._config = dataclasses.replace(self._config, **typed)
            for account in self._accounts.values():
                if "credits" in typed:
                    account.credit_package = typed["credits"]
                if "credit_monthly" in typed:
                    account.credit_monthly = typed["credit_monthly"]
            return self._config

    def now(self) -> float:
        with self._lock:
            return time.time() + self._offset

    def advance(self, seconds: float) -> float:
        """Move the clock forward; returns the total offset. Jobs finish as if the time had passed."""
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or not 0 <= seconds < math.inf:
            raise ValueError("seconds must be a finite number >= 0")
        with self._lock:
            self._offset += seconds
            self._settle()
            return self._offset

    # ------------------------------------------------------------------ accounts

    def authenticate(self, api_key: str | None) -> int:
        """The account id behind ``api_key``; a missing or unknown key answers ``config.auth_error_code``."""
        with self._lock:
            for key, account in self._accounts.items():
                if api_key is not None and hmac.compare_digest(key.encode(), api_key.encode()):
                    return account.account_id
            raise ApiError(self._config.auth_error_code, "invalid API-KEY")

    def balance(self, account_id: int | None = None) -> dict[str, int]:
        """``{account_id, credit_monthly, credit_package}`` (the first key's account by default)."""
        with self._lock:
            self._settle()
            return self._account(account_id).to_json()

    def _account(self, account_id: int | None) -> Account:
        accounts = list(self._accounts.values())
        if account_id is None:
            return accounts[0]
        return next(a for a in accounts if a.account_id == account_id)

    # ------------------------------------------------------------------ uploads

    def incoming_path(self) -> Path:
        """A fresh file name for an upload being received (moved into place by ``add_upload``)."""
        return self.media_dir / "incoming" / uuid.uuid4().hex

    def add_upload(
        self,
        account_id: int,
        kind: str,
        fmt: str,
        received: Path,
        size: int,
        *,
        width: int | None = None,
        height: int | None = None,
        duration: float | None = None,
    ) -> Upload:
        """Keep an accepted upload: give it an id (``img_id`` or ``media_id``) and move the file into place."""
        with self._lock:
            upload_id = self._ids.next("image" if kind == "image" else "media")
            path = self.media_dir / "uploads" / f"{upload_id}.{fmt}"
            received.replace(path)
            upload = Upload(upload_id, account_id, kind, fmt, path, size, width, height, duration)
            self._uploads[upload_id] = upload
            self._counters.uploads += 1
            return upload

    def upload(self, upload_id: int) -> Upload | None:
        with self._lock:
            return self._uploads.get(upload_id)

    # ------------------------------------------------------------------ generation

    def submit(self, account_id: int, trace_id: str, request: rq.PixVerseRequest) -> dict[str, Any]:
        """Run a generation POST after its request model accepted it; returns ``Resp`` or raises ApiError."""
        mode: CreationMode = type(request).mode
        with self._lock:
            now = self._settle()
            inputs = self._check_inputs(account_id, request, mode, now)
            replay = self._replay(account_id, trace_id)
            if replay is not None:
                return replay
            source_seconds = outputs.priced_seconds(inputs)
            price = charges.generation_price(request, source_seconds)
            self._check_affordable(account_id, price)
            self._check_slot(account_id, now)
            job = self._create_job(account_id, request, mode, inputs, price, now)
            answer: dict[str, Any] = {"video_id": job.job_id}
            if mode in (CreationMode.RESTYLE, CreationMode.SWAP, CreationMode.MULTI_TRANSITION):
                answer["credits"] = price
            elif mode == CreationMode.MIMIC:
                answer["credit"] = price  # the mimic guide's spelling
            return self._remember(account_id, trace_id, answer)

    def select_masks(
        self, account_id: int, trace_id: str, request: rq.MaskSelectionRequest, base_url: str
    ) -> dict[str, Any]:
        """Mask selection: 3 masks (person, object, background) of one frame; billed, not a job."""
        with self._lock:
            now = self._settle()
            source = self._video_source(account_id, request, now)
            keyframe = 1 if request.keyframe_id is None else request.keyframe_id
            frames = max(1, math.ceil(source.duration * videos.FRAME_RATE))
            if keyframe > frames:
                raise ApiError(errors.INVALID_PARAMETER, f"keyframe_id {keyframe} is past the video's {frames} frames")
            replay = self._replay(account_id, trace_id)
            if replay is not None:
                return replay
            price = charges.MASK_SELECTION_CREDITS
            self._check_affordable(account_id, price)
            self._charge(account_id, price)
            selection = MaskSelection(source.ref, keyframe, tuple(str(self._ids.next("mask")) for _ in range(3)))
            for mask_id in selection.mask_ids:
                self._masks[mask_id] = (account_id, selection)
            still = f"{base_url}/_emulator/media/still"
            answer = {
                "keyframe_id": keyframe,
                "keyframe_url": f"{still}/keyframe-{selection.mask_ids[0]}.png",
                "credits": price,
                "mask_info": [
                    {"mask_id": mask_id, "mask_name": name, "mask_url": f"{still}/mask-{mask_id}.png"}
                    for mask_id, name in zip(selection.mask_ids, selection.names, strict=True)
                ],
            }
            return self._remember(account_id, trace_id, answer)

    def submit_image_template(self, account_id: int, trace_id: str, request: rq.ImageTemplateRequest) -> dict[str, Any]:
        """Image template: an image job that finishes like a video job."""
        with self._lock:
            now = self._settle()
            images = [self._image(account_id, img_id) for img_id in request.img_ids]
            template = catalog.TEMPLATES_BY_ID.get(request.template_id)
            if template is None or not template.activated:
                raise ApiError(errors.TEMPLATE_NOT_ACTIVATED, f"template not activated: {request.template_id}")
            if template.template_type != TemplateType.IMAGE:
                raise ApiError(
                    errors.INVALID_PARAMETER, f"template {template.template_id} is a video template, not an image one"
                )
            if len(images) != template.image_count:
                raise ApiError(
                    errors.INVALID_PARAMETER,
                    f"template {template.template_id} takes {template.image_count} image(s), got {len(images)}",
                )
            replay = self._replay(account_id, trace_id)
            if replay is not None:
                return replay
            price = charges.IMAGE_TEMPLATE_CREDITS
            self._check_affordable(account_id, price)
            self._check_slot(account_id, now)
            first = images[0]
            width, height = output_frame(IMAGE_RESULT_SHORT_SIDE, (first.width or 1, first.height or 1))
            job = self._add_job(
                account_id,
                "image",
                "image_template",
                now,
                price,
                width=width,
                height=height,
                resolution=min(width, height),
                duration=0,
                prompt=template.prompt,
                template_id=template.template_id,
            )
            return self._remember(account_id, trace_id, {"image_id": job.job_id, "credits": price})

    # ------------------------------------------------------------------ records

    def video_record(self, account_id: int, video_id: int, base_url: str) -> dict[str, Any]:
        """Status record; unknown ids (or another account's) answer 500008.

        ``size`` is the byte size of the file the URL serves; the file is made (and cached) outside the lock.
        """
        with self._lock:
            now = self._settle()
            job = self._own_job(account_id, video_id, "video")
            status = job.status(now)
            done = status == VideoStatus.SUCCEEDED
            record: dict[str, Any] = {
                "id": job.job_id,
                "status": status,
                "url": f"{base_url}/_emulator/media/video/{job.job_id}.mp4" if done else "",
                "prompt": job.prompt,
                "negative_prompt": job.negative_prompt,
                "seed": job.seed,
                "style": job.style,
                "resolution_ratio": job.resolution,
                "outputWidth": job.width,
                "outputHeight": job.height,
                "size": 0,
                "has_audio": job.has_audio,
                "create_time": timestamp(job.created),
                "modify_time": timestamp(min(now, job.ready_at)),
            }
        if done:
            record["size"] = len(videos.job_video(job))
        return record

    def _own_job(self, account_id: int, job_id: int, kind: str) -> Job:
        """The account's job of that kind; anything else (unknown, another account's) answers 500008."""
        job = self._jobs.get(job_id)
        if job is None or job.account_id != account_id or job.kind != kind:
            raise ApiError(errors.NOT_FOUND, f"requested data not found: {kind} {job_id}")
        return job

    def image_record(self, account_id: int, image_id: int, base_url: str) -> dict[str, Any]:
        """Image result; unknown ids answer 500008."""
        with self._lock:
            now = self._settle()
            job = self._own_job(account_id, image_id, "image")
            status = job.status(now)
            done = status == VideoStatus.SUCCEEDED
            return {
                "image_id": job.job_id,
                "status": status,
                "url": f"{base_url}/_emulator/media/image/{job.job_id}.png" if done else "",
                "prompt": job.prompt,
                "prompt_translate": "",
                "seed": job.seed,
                "template_id": job.template_id,
                "outputWidth": job.width,
                "outputHeight": job.height,
                "credits": job.credits,
                "create_time": timestamp(job.created),
                "modify_time": timestamp(min(now, job.ready_at)),
                "customer_paths": {"customer_img_paths": [], "gen_img_req_img_ids": []},
            }

    def finished(self, kind: str, job_id: int) -> Job | None:
        """The job if it is a ``kind`` job in status 1 (media is served only then)."""
        with self._lock:
            now = self._settle()
            job = self._jobs.get(job_id)
            if job is None or job.kind != kind or job.status(now) != VideoStatus.SUCCEEDED:
                return None
            return job

    # ------------------------------------------------------------------ request log, counters, faults

    def record_request(self, method: str, path: str, trace_id: str | None, query: str = "") -> dict[str, Any]:
        """Count a request and start its log entry (never with headers: the API key stays out)."""
        with self._lock:
            key = f"{method} {path}"
            self._counters.requests[key] = self._counters.requests.get(key, 0) + 1
            entry: dict[str, Any] = {
                "seq": next(self._log_seq),
                "time": time.time() + self._offset,
                "method": method,
                "path": path,
                "query": query,
                "trace_id": trace_id,
                "body": None,
                "form_fields": None,
                "err_code": None,
                "fault": None,
            }
            self._log.append(entry)
            return entry

    def annotate(self, entry: dict[str, Any], **fields: Any) -> None:
        with self._lock:
            entry.update(fields)

    def request_log(self, path: str | None = None) -> list[dict[str, Any]]:
        """Logged requests, oldest first; ``path`` is a path or glob."""
        with self._lock:
            return [
                dict(e) for e in self._log if path is None or e["path"] == path or fnmatch.fnmatchcase(e["path"], path)
            ]

    def counters(self) -> dict[str, Any]:
        with self._lock:
            now = self._settle()
            c = self._counters
            release = self._config.slot_release_seconds
            return {
                "requests": dict(c.requests),
                "requests_total": sum(c.requests.values()),
                "generations_charged": c.generations_charged,
                "credits_charged": c.credits_charged,
                "generations_refunded": c.generations_refunded,
                "credits_refunded": c.credits_refunded,
                "jobs_created": c.jobs_created,
                "uploads": c.uploads,
                "replays": c.replays,
                "max_concurrent_jobs": c.max_concurrent_jobs,
                "active_jobs": sum(j.holds_slot(now, release) for j in self._jobs.values()),
                "faults_pending": sum(remaining for _, remaining in self._faults),
                "faults_injected": c.faults_injected,
            }

    def add_fault(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append([fault, fault.count])

    def take_fault(self, method: str, path: str) -> Fault | None:
        """The first pending fault for this request, counting it down (None: answer normally)."""
        with self._lock:
            for pending in self._faults:
                fault, remaining = pending
                if fault.matches(method, path):
                    pending[1] = remaining - 1
                    if pending[1] <= 0:
                        self._faults.remove(pending)
                    self._counters.faults_injected += 1
                    return fault
            return None

    def pending_faults(self) -> list[dict[str, Any]]:
        with self._lock:
            return [{**fault.to_json(), "remaining": remaining} for fault, remaining in self._faults]

    def clear_faults(self) -> int:
        with self._lock:
            cleared = sum(remaining for _, remaining in self._faults)
            self._faults.clear()
            return cleared

    # ------------------------------------------------------------------ internals: settling and charging

    def _settle(self) -> float:
        """Apply the final status of every job whose time has come (refunds on moderation)."""
        now = time.time() + self._offset
        still: list[Job] = []
        for job in self._unsettled:
            if now < job.ready_at:
                still.append(job)
                continue
            job.settled = True
            if job.outcome == VideoStatus.MODERATION_FAILED:
                self._account(job.account_id).refund(*job.charged)
                self._counters.generations_refunded += 1
                self._counters.credits_refunded += job.credits
        self._unsettled = still
        return now

    def _replay(self, account_id: int, trace_id: str) -> dict[str, Any] | None:
        answer = self._replays.get((account_id, trace_id))
        if answer is None:
            return None
        self._counters.replays += 1
        return dict(answer)

    def _remember(self, account_id: int, trace_id: str, answer: dict[str, Any]) -> dict[str, Any]:
        self._replays[(account_id, trace_id)] = answer
        return dict(answer)

    def _check_affordable(self, account_id: int, price: int) -> None:
        account = self._account(account_id)
        if account.total < price:
            raise ApiError(
                errors.INSUFFICIENT_BALANCE,
                f"insufficient balance: this request costs {price} credits, the account has {account.total}",
            )

    def _active(self, account_id: int, now: float) -> int:
        release = self._config.slot_release_seconds
        return sum(j.account_id == account_id and j.holds_slot(now, release) for j in self._jobs.values())

    def _check_slot(self, account_id: int, now: float) -> None:
        limit = self._config.concurrency
        if self._active(account_id, now) >= limit:
            raise ApiError(
                errors.CONCURRENCY_LIMIT,
                f"concurrent generation limit of {limit} reached; wait for a running generation to finish",
            )

    def _charge(self, account_id: int, price: int) -> tuple[int, int]:
        self._counters.credits_charged += price
        return self._account(account_id).charge(price)

    def _add_job(self, account_id: int, kind: str, mode: str, now: float, price: int, **fields: Any) -> Job:
        """Charge, create and register a job (checks are done by the caller)."""
        job_id = self._ids.next("video" if kind == "video" else "image_job")
        seconds = fields.pop("seconds", None)
        seconds = self._config.generation_seconds if seconds is None else seconds
        seed = fields.pop("seed", None)
        job = Job(
            job_id=job_id,
            account_id=account_id,
            kind=kind,
            mode=mode,
            created=now,
            ready_at=now + seconds,
            outcome=fields.pop("outcome", VideoStatus.SUCCEEDED),
            credits=price,
            charged=self._charge(account_id, price),
            seed=random.Random(job_id).randrange(rules.SEED_MAX) if seed is None else seed,
            **fields,
        )
        self._jobs[job_id] = job
        self._unsettled.append(job)
        self._counters.generations_charged += 1
        self._counters.jobs_created += 1
        self._counters.max_concurrent_jobs = max(self._counters.max_concurrent_jobs, self._active(account_id, now))
        return job

    def _create_job(
        self,
        account_id: int,
        request: rq.PixVerseRequest,
        mode: CreationMode,
        inputs: outputs.Inputs,
        price: int,
        now: float,
    ) -> Job:
        markers = read_markers(request.model_dump(mode="json"))
        width, height, resolution = outputs.frame(request, inputs)
        source = inputs.source
        return self._add_job(
            account_id,
            "video",
            mode.value,
            now,
            price,
            seconds=markers.seconds,
            outcome=markers.outcome,
            seed=getattr(request, "seed", None),
            width=width,
            height=height,
            resolution=resolution,
            duration=outputs.duration(request, source),
            has_audio=outputs.has_audio(request, mode, source),
            prompt=outputs.prompt_text(request),
            negative_prompt=getattr(request, "negative_prompt", None) or "",
            style=outputs.enum_text(getattr(request, "style", None)),
            template_id=getattr(request, "template_id", None) or 0,
        )

    # ------------------------------------------------------------------ internals: resource checks

    def _check_inputs(
        self, account_id: int, request: rq.PixVerseRequest, mode: CreationMode, now: float
    ) -> outputs.Inputs:
        """Every id in the request must name something this account has; raise the code PixVerse uses."""
        images = [self._image(account_id, img_id) for img_id in outputs.image_ids(request)]
        source = self._video_source(account_id, request, now) if isinstance(request, rq.VideoSource) else None
        audio = None
        if isinstance(request, rq.LipSyncRequest) and request.audio_media_id is not None:
            audio = self._audio(account_id, request.audio_media_id)
        speaker = getattr(request, "lip_sync_tts_speaker_id", None)
        if speaker and not catalog.is_speaker(speaker):
            raise ApiError(errors.INVALID_PARAMETER, f"invalid lip_sync_tts_speaker_id: {speaker!r}")
        if source is not None:
            self._check_masks(account_id, request, source)
        if mode in (CreationMode.TEXT_TO_VIDEO, CreationMode.IMAGE_TO_VIDEO, CreationMode.TRANSITION):
            self._check_template(request, mode)
        if isinstance(request, rq.RestyleRequest):
            if request.restyle_id is not None and request.restyle_id not in catalog.RESTYLE_IDS:
                raise ApiError(errors.INVALID_PARAMETER, f"couldn't find a matching restyle_id: {request.restyle_id}")
            if source is not None and source.duration > RESTYLE_MAX_SOURCE_SECONDS:
                raise ApiError(
                    errors.INVALID_PARAMETER,
                    f"restyle takes videos of at most {RESTYLE_MAX_SOURCE_SECONDS} s, got {source.duration:g} s",
                )
        return outputs.Inputs(source=source, image=images[0] if images else None, audio=audio)

    def _image(self, account_id: int, img_id: int) -> Upload:
        upload = self._uploads.get(img_id)
        if upload is None or upload.account_id != account_id or upload.kind != "image":
            raise ApiError(errors.INVALID_IMAGE_ID, f"invalid image id: {img_id}")
        return upload

    def _video_source(self, account_id: int, request: rq.VideoSource, now: float) -> outputs.Source:
        """Resolve ``source_video_id`` (a finished video of this account) or ``video_media_id`` (a video upload)."""
        if request.source_video_id is not None:
            job = self._jobs.get(request.source_video_id)
            if (
                job is None
                or job.account_id != account_id
                or job.kind != "video"
                or job.status(now) != VideoStatus.SUCCEEDED
            ):
                raise ApiError(
                    errors.INVALID_PARAMETER, f"couldn't find a matching source video: {request.source_video_id}"
                )
            return outputs.Source(("video", job.job_id), job.duration, job.width, job.height, job.has_audio)
        media_id = request.video_media_id
        upload = self._uploads.get(media_id) if media_id is not None else None
        if upload is None or upload.account_id != account_id or upload.kind == "image":
            raise ApiError(errors.INVALID_PARAMETER, f"couldn't find a matching video media: {media_id}")
        if upload.kind != "video":
            raise ApiError(errors.INVALID_PARAMETER, f"Invalid media_type: video_media_id {media_id} is audio")
        duration = upload.duration if upload.duration is not None else charges.DEFAULT_SOURCE_SECONDS
        return outputs.Source(("media", upload.upload_id), duration, upload.width, upload.height, False)

    def _audio(self, account_id: int, media_id: int) -> Upload:
        upload = self._uploads.get(media_id)
        if upload is None or upload.account_id != account_id or upload.kind == "image":
            raise ApiError(errors.INVALID_PARAMETER, f"couldn't find a matching audio media: {media_id}")
        if upload.kind != "audio":
            raise ApiError(errors.INVALID_PARAMETER, f"Invalid media_type: audio_media_id {media_id} is a video")
        return upload

    def _check_masks(self, account_id: int, request: rq.PixVerseRequest, source: outputs.Source) -> None:
        """Swap and modify may only use masks selected on the same video (swap: and the same keyframe)."""
        mask_ids: list[str] = []
        if isinstance(request, rq.SwapRequest):
            mask_ids = [request.mask_id]
        elif isinstance(request, rq.ModifyRequest):
            mask_ids = list(request.mask_ids or ())
        for mask_id in mask_ids:
            found = self._masks.get(mask_id)
            if found is None or found[0] != account_id or found[1].video != source.ref:
                raise ApiError(errors.INVALID_PARAMETER, f"couldn't find a matching mask for this video: {mask_id!r}")
            if isinstance(request, rq.SwapRequest) and request.keyframe_id != found[1].keyframe_id:
                raise ApiError(
                    errors.INVALID_PARAMETER,
                    f"keyframe_id {request.keyframe_id} does not match the mask selection's {found[1].keyframe_id}",
                )

    def _check_template(self, request: rq.PixVerseRequest, mode: CreationMode) -> None:
        template_id = getattr(request, "template_id", None)
        if template_id is None:
            return
        template = catalog.TEMPLATES_BY_ID.get(template_id)
        if template is None or not template.activated:
            raise ApiError(errors.TEMPLATE_NOT_ACTIVATED, f"template not activated: {template_id}")
        if template.template_type != TemplateType.VIDEO:
            raise ApiError(errors.INVALID_PARAMETER, f"template {template_id} is an image template")
        quality: Quality = getattr(request, "quality")  # noqa: B009 - every templated request has one
        if quality not in template.qualities:
            supported = ", ".join(q.value for q in template.qualities)
            raise ApiError(
                errors.TEMPLATE_RESOLUTION, f"effect does not support {quality.value}; it supports {supported}"
            )
        given = 0
        if isinstance(request, rq.ImageToVideoRequest):
            given = len(request.img_ids) if request.img_ids is not None else 1
        if mode != CreationMode.TRANSITION and given != template.image_count:
            raise ApiError(
                errors.INVALID_PARAMETER,
                f"template {template_id} takes {template.image_count} image(s), got {given}",
            )
