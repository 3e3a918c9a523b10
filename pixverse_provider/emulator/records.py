"""The emulator's records: accounts, stored uploads, jobs and mask selections, and how they answer as JSON.

Plain data that the parts of the state keep (``ledger``, ``upload_store``, ``jobs``, ``masks``); nothing here
imports another emulator module. A job's status is never stored: it is computed from the emulator clock
(``Job.status``), so a client polling sees 5 until ``ready_at`` and the final status after it, and tests
fast-forward by moving the clock.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pixverse_provider.api.enums import VideoStatus

VideoRef = tuple[str, int]
"""An input video: ``("video", video_id)`` for a generation or ``("media", media_id)`` for an upload."""


@dataclass
class Account:
    """One API key's account and its two balances (subscription credits are spent first)."""

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
class StoredUpload:
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

    def video_json(self, now: float, base_url: str) -> dict[str, Any]:
        """The video status record (``size`` is 0 here: the caller fills it in from the served file)."""
        return {
            **self._head("id", now, f"{base_url}/_emulator/media/video/{self.job_id}.mp4"),
            "negative_prompt": self.negative_prompt,
            "seed": self.seed,
            "style": self.style,
            "resolution_ratio": self.resolution,
            "outputWidth": self.width,
            "outputHeight": self.height,
            "size": 0,
            "has_audio": self.has_audio,
            **self._times(now),
        }

    def image_json(self, now: float, base_url: str) -> dict[str, Any]:
        """The image-template result record."""
        return {
            **self._head("image_id", now, f"{base_url}/_emulator/media/image/{self.job_id}.png"),
            "prompt_translate": "",
            "seed": self.seed,
            "template_id": self.template_id,
            "outputWidth": self.width,
            "outputHeight": self.height,
            "credits": self.credits,
            **self._times(now),
            "customer_paths": {"customer_img_paths": [], "gen_img_req_img_ids": []},
        }

    def _head(self, id_field: str, now: float, url: str) -> dict[str, Any]:
        """The fields both records start with; ``url`` is given only once the job succeeded."""
        status = self.status(now)
        done = status == VideoStatus.SUCCEEDED
        return {id_field: self.job_id, "status": status, "url": url if done else "", "prompt": self.prompt}

    def _times(self, now: float) -> dict[str, str]:
        return {"create_time": timestamp(self.created), "modify_time": timestamp(min(now, self.ready_at))}


@dataclass(frozen=True)
class MaskSelectionRecord:
    """The masks found in one frame of one video; swap and modify must name masks of the same video."""

    video: VideoRef
    keyframe_id: int
    mask_ids: tuple[str, ...]
    names: tuple[str, ...] = ("person", "object", "background")


def timestamp(clock: float) -> str:
    """Emulator clock → ``"2025-01-31 12:00:00"`` (UTC; PixVerse's exact format is not documented)."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(clock))
