"""Progress lines while a video is waited for: one per status change, a heartbeat at most once a minute."""

from __future__ import annotations

import pendulum
import pytest

from pixverse_provider.after_submit import clock
from pixverse_provider.after_submit.progress import HEARTBEAT_SECONDS, Progress, describe_status

START = pendulum.datetime(2025, 6, 1, 12, 0, 0, tz="UTC")
VIDEO = 300_000_000_000_001


def at(seconds: float) -> pendulum.DateTime:
    return START.add(seconds=seconds)


def test_heartbeat_is_a_minute() -> None:
    assert HEARTBEAT_SECONDS == 60


def test_first_status_is_logged_at_once() -> None:
    progress = Progress(VIDEO, START)
    assert progress.lines(5, now=at(0)) == [f"PixVerse video {VIDEO}: status 5 (generating) after 0s"]


def test_same_status_is_quiet_until_a_minute_has_passed() -> None:
    progress = Progress(VIDEO, START)
    progress.lines(5, now=at(0))
    assert all(progress.lines(5, now=at(s)) == [] for s in (1, 5, 30, 59, 59.9))
    assert progress.lines(5, now=at(60)) == [
        f"PixVerse video {VIDEO}: still waiting after 1m 00s (status 5 (generating))"
    ]
    assert progress.lines(5, now=at(61)) == []
    assert progress.lines(5, now=at(119)) == []
    assert progress.lines(5, now=at(125)) == [
        f"PixVerse video {VIDEO}: still waiting after 2m 05s (status 5 (generating))"
    ]


def test_every_status_change_is_logged_and_restarts_the_heartbeat() -> None:
    progress = Progress(VIDEO, START)
    assert len(progress.lines(5, now=at(0))) == 1
    assert progress.lines(2, now=at(10)) == [
        f"PixVerse video {VIDEO}: status 2 (undocumented, still waiting) after 10s"
    ]
    assert progress.lines(5, now=at(20)) == [f"PixVerse video {VIDEO}: status 5 (generating) after 20s"]
    assert progress.lines(5, now=at(70)) == []  # 50 s since the last line
    assert len(progress.lines(5, now=at(80))) == 1  # 60 s since the last line
    assert progress.lines(1, now=at(81)) == [f"PixVerse video {VIDEO}: status 1 (ready) after 1m 21s"]


def test_ten_minutes_of_polling_every_second_log_eleven_lines() -> None:
    progress = Progress(VIDEO, START)
    lines = [line for second in range(601) for line in progress.lines(5, now=at(second))]
    assert len(lines) == 1 + 10  # the status, then one heartbeat per minute
    assert lines[0].endswith("status 5 (generating) after 0s")
    assert [line.split("after ")[1].split(" ")[0] for line in lines[1:]] == [f"{m}m" for m in range(1, 11)]


def test_status_changes_are_never_held_back_by_the_heartbeat() -> None:
    progress = Progress(VIDEO, START)
    statuses = [5, 2, 3, 5, 1]
    lines = [progress.lines(status, now=at(i * 0.5)) for i, status in enumerate(statuses)]
    assert [len(chunk) for chunk in lines] == [1] * len(statuses)


def test_a_failed_read_is_not_a_status_change() -> None:
    """The trigger passes None while it has no status (a failed poll): only heartbeats, never 'status None'."""
    progress = Progress(VIDEO, START)
    assert progress.lines(None, now=at(0)) == [f"PixVerse video {VIDEO}: still waiting after 0s (status unknown)"]
    assert progress.lines(None, now=at(30)) == []
    assert progress.lines(5, now=at(31)) == [f"PixVerse video {VIDEO}: status 5 (generating) after 31s"]
    assert progress.lines(None, now=at(40)) == []
    assert progress.lines(5, now=at(50)) == []  # the failed read in between changed nothing
    assert all("None" not in line for line in progress.lines(None, now=at(200)))


@pytest.mark.parametrize(
    ("status", "text"),
    [
        (1, "status 1 (ready)"),
        (5, "status 5 (generating)"),
        (6, "status 6 (deleted)"),
        (7, "status 7 (moderation failed)"),
        (8, "status 8 (failed)"),
        (2, "status 2 (undocumented, still waiting)"),
        (99, "status 99 (undocumented, still waiting)"),
        (None, "status unknown"),
    ],
)
def test_describe_status(status: int | None, text: str) -> None:
    assert describe_status(status) == text


def test_now_defaults_to_the_clock() -> None:
    progress = Progress(VIDEO, clock.now().subtract(seconds=75))
    assert progress.lines(5) == [f"PixVerse video {VIDEO}: status 5 (generating) after 1m 15s"]


def test_custom_heartbeat() -> None:
    progress = Progress(VIDEO, START, heartbeat=10)
    progress.lines(5, now=at(0))
    assert progress.lines(5, now=at(9)) == []
    assert len(progress.lines(5, now=at(10))) == 1
