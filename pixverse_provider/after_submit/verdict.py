"""What a video's status means for the task waiting on it; one decision for the hook, sensor and trigger.

``judge`` is pure: the trigger uses it to choose its event, the sensor's poke and the hook's polling loop use
it too, so the three cannot disagree about when a video is done or failed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import Enum

from pixverse_provider.api import VideoStatus
from pixverse_provider.exceptions import (
    PixVerseVideoDeletedError,
    PixVerseVideoError,
    PixVerseVideoFailedError,
    PixVerseVideoModerationError,
)

DEFAULT_MAX_POLL_FAILURES = 5
"""Consecutive failed status reads tolerated while waiting, before the wait fails."""


class Verdict(str, Enum):
    SUCCEEDED = "succeeded"
    WAITING = "waiting"
    FAILED = "failed"


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    status: int
    reason: str


_FAILURES: dict[int, tuple[str, type[PixVerseVideoError]]] = {
    VideoStatus.MODERATION_FAILED: (
        "failed content moderation (status 7); PixVerse refunds its credits",
        PixVerseVideoModerationError,
    ),
    VideoStatus.DELETED: ("was deleted (status 6)", PixVerseVideoDeletedError),
    VideoStatus.FAILED: ("generation failed on PixVerse's side (status 8)", PixVerseVideoFailedError),
}


@functools.lru_cache(maxsize=64)
def judge(status: int) -> Outcome:
    """Done, failed, or keep waiting; any status PixVerse has not documented means keep waiting.

    Cached (an ``Outcome`` is immutable): a trigger asks this on every poll, and the answer for a status never
    changes, so a poll allocates nothing here.
    """
    if status == VideoStatus.SUCCEEDED:
        return Outcome(Verdict.SUCCEEDED, status, "the video is ready (status 1)")
    if status in _FAILURES:
        return Outcome(Verdict.FAILED, status, _FAILURES[status][0])
    return Outcome(Verdict.WAITING, status, f"still generating (status {status})")


def failure(outcome: Outcome, *, video_id: int, trace_id: str | None = None) -> PixVerseVideoError:
    """The exception for a failed outcome."""
    reason, cls = _FAILURES[outcome.status]
    return cls(reason, video_id=video_id, trace_id=trace_id)


def should_resubmit(status: int) -> bool:
    """On a task retry that finds its earlier video: submit again only if that one failed (status 8).

    A moderated (7) or deleted (6) video would fail the same way again, so those raise instead; a video
    still generating or finished is resumed, since it is already paid for.
    """
    return judge(status).verdict == Verdict.FAILED and status == VideoStatus.FAILED
