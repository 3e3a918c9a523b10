"""The emulator's records (accounts, uploads, jobs, mask selections) and the small rules they follow.

A job's status is never stored: it is computed from the emulator clock (``Job.status``), so a client polling
sees 5 until ``ready_at`` and the final status after it, and tests fast-forward by moving the clock.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pixverse_provider.api.enums import VideoStatus

VideoRef = tuple[str, int]
"""An input video: ``("video", video_id)`` for a generation or ``("media", media_id)`` for an upload."""


@dataclass
class Account:
    account_id: int
    credit_monthly: int
    credit_package: int

    @property
    def total(self) -> int:
        return self.credit_monthly + self.credit_package

    def charge(self, credits: int) -> tuple[int, int]:
        """Take ``credits``: monthly (subscription) credits first, then package.

        An assumption: see docs/api-facts.rst, 'Open questions'.
        """
        monthly = min(self.credit_monthly, credits)
        package = credits - monthly
        self.credit_monthly -= monthly
        self.credit_package -= package
        return monthly, package

    def refund(self, monthly: int, package: int) -> None:
        self.credit_monthly += monthly
        self.credit_package += package

    def to_json(self) -> dict[str, int]:
        return {
            "account_id": self.account_id,
            "credit_monthly": self.credit_monthly,
            "credit_package": self.credit_package,
        }


@dataclass(frozen=True)
class Upload:
    """An uploaded image or media file, stored under the media directory."""

    upload_id: int
    account_id: int
    kind: str
    """ "image", "video" or "audio"."""
    format: str
    path: Path
    size: int
    width: int | None = None
    height: int | None = None
    duration: float | None = None

    @property
    def filename(self) -> str:
        return self.path.name


@dataclass
class Job:
    """A video (or image-template) generation. ``outcome`` is the status it reaches at ``ready_at``."""

    job_id: int
    account_id: int
    kind: str
    """ "video" or "image"."""
    mode: str
    created: float
    ready_at: float
    outcome: int
    credits: int
    charged: tuple[int, int]
    """(monthly, package) credits taken, given back on moderation."""
    width: int
    height: int
    resolution: int
    duration: float
    seed: int
    has_audio: bool = False
    prompt: str = ""
    negative_prompt: str = ""
    style: str = ""
    template_id: int = 0
    settled: bool = False
    """True once the job's final status has taken effect (refund done)."""

    def status(self, now: float) -> int:
        return VideoStatus.GENERATING if now < self.ready_at else self.outcome

    def holds_slot(self, now: float, release_after: float) -> bool:
        """Whether the job counts against the plan's concurrency; a stuck job frees its slot after 10 min.

        See docs/api-facts.rst, 'Concurrency'.
        """
        return now < self.ready_at and now - self.created < release_after


@dataclass(frozen=True)
class MaskSelection:
    """The masks found in one frame of one video; swap and modify must name masks of the same video."""

    video: VideoRef
    keyframe_id: int
    mask_ids: tuple[str, ...]
    names: tuple[str, ...] = ("person", "object", "background")


@dataclass(frozen=True)
class Markers:
    """What the ``[emulate:...]`` markers in a request's text ask for."""

    outcome: int = VideoStatus.SUCCEEDED
    seconds: float | None = None


_MARKER_OUTCOMES = (
    ("[emulate:moderation]", VideoStatus.MODERATION_FAILED),
    ("[emulate:failure]", VideoStatus.FAILED),
    ("[emulate:deleted]", VideoStatus.DELETED),
)
_SECONDS_MARKER = re.compile(r"\[emulate:seconds=(\d+(?:\.\d+)?)\]")


def read_markers(values: Any) -> Markers:
    """Scan every string in ``values`` (nested dicts/lists) for markers; moderation wins over failure,
    failure over deleted; the first ``seconds`` marker sets the generation time."""
    texts = list(_strings(values))
    outcome = next(
        (status for marker, status in _MARKER_OUTCOMES if any(marker in t for t in texts)), VideoStatus.SUCCEEDED
    )
    seconds = next((float(m.group(1)) for t in texts if (m := _SECONDS_MARKER.search(t))), None)
    return Markers(int(outcome), seconds)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def quality_pixels(quality: str | None) -> int | None:
    """``"540p"`` → 540."""
    return int(quality[:-1]) if quality and quality.endswith("p") and quality[:-1].isdigit() else None


MAX_STRETCH = 21 / 9
"""The longest side of an output frame is at most this many times its short side."""


def output_frame(short_side: int, shape: tuple[int, int]) -> tuple[int, int]:
    """Scale ``shape`` (width, height or a ratio like 16, 9) so its short side is ``short_side``; even sizes.

    540p 16:9 → 960x540, 720p 9:16 → 720x1280, 540p of a 640x360 image → 960x540. Shapes longer than 21:9,
    PixVerse's widest aspect ratio, are made 21:9 (how PixVerse frames such an image is not documented).
    """
    width, height = shape
    if width <= 0 or height <= 0:
        width, height = 16, 9
    stretch = min(max(width, height) / min(width, height), MAX_STRETCH)
    long_side = round(short_side * stretch / 2) * 2
    return (long_side, short_side) if width >= height else (short_side, long_side)


def aspect(ratio: str) -> tuple[int, int]:
    """``"16:9"`` → (16, 9)."""
    left, _, right = ratio.partition(":")
    return int(left), int(right)


def timestamp(clock: float) -> str:
    """Emulator clock → ``"2025-01-31 12:00:00"`` (UTC; PixVerse's exact format is not documented)."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(clock))


@dataclass
class Counters:
    """Totals for tests and the admin API (``requests`` is keyed by ``"METHOD /path"``)."""

    requests: dict[str, int] = field(default_factory=dict)
    generations_charged: int = 0
    credits_charged: int = 0
    generations_refunded: int = 0
    credits_refunded: int = 0
    jobs_created: int = 0
    uploads: int = 0
    replays: int = 0
    faults_injected: int = 0
    max_concurrent_jobs: int = 0
