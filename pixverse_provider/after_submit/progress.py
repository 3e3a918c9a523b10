"""Progress lines while a video is waited for: one per status change, a heartbeat at most once a minute.

Shared by the trigger (async) and the in-task polling loops, so both logs read the same.
"""

from __future__ import annotations

from datetime import datetime

from pixverse_provider.after_submit import clock
from pixverse_provider.api import VideoStatus

HEARTBEAT_SECONDS = 60.0

_NAMES: dict[int, str] = {
    VideoStatus.SUCCEEDED: "ready",
    VideoStatus.GENERATING: "generating",
    VideoStatus.DELETED: "deleted",
    VideoStatus.MODERATION_FAILED: "moderation failed",
    VideoStatus.FAILED: "failed",
}


def seconds_between(later: datetime, earlier: datetime) -> float:
    """``(later - earlier).total_seconds()`` without pendulum's ``Interval``: a poll computes this every time,
    and pendulum's subtraction builds an object worth ~100 times the plain ``timedelta`` (bench/RESULTS.md)."""
    return datetime.__sub__(later, earlier).total_seconds()


def describe_status(status: int | None) -> str:
    if status is None:
        return "status unknown"
    return f"status {status} ({_NAMES.get(status, 'undocumented, still waiting')})"


class Progress:
    """Decides which progress lines to log for one video."""

    def __init__(self, video_id: int, started: datetime, heartbeat: float = HEARTBEAT_SECONDS) -> None:
        self.video_id = video_id
        self.started = started
        self.heartbeat = heartbeat
        self._last_status: int | None = None
        self._last_line: datetime | None = None

    def lines(self, status: int | None, now: datetime | None = None) -> list[str]:
        now = now or clock.now()
        if status is not None and status != self._last_status:
            self._last_status, self._last_line = status, now
            return [f"PixVerse video {self.video_id}: {describe_status(status)} after {self._elapsed(now)}"]
        if self._last_line is None or seconds_between(now, self._last_line) >= self.heartbeat:
            self._last_line = now
            return [
                f"PixVerse video {self.video_id}: still waiting after {self._elapsed(now)} ({describe_status(status)})"
            ]
        return []

    def _elapsed(self, now: datetime) -> str:
        return _duration(seconds_between(now, self.started))


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes}m {secs:02d}s" if minutes else f"{secs}s"
