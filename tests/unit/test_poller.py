"""``VideoPoller``, the one decision behind every wait: driven here by scripted reads, no HTTP."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pixverse_provider.after_submit import clock
from pixverse_provider.after_submit.poller import Ending, VideoPoller
from pixverse_provider.api.responses import VideoRecord
from pixverse_provider.exceptions import (
    PixVerseConnectionError,
    PixVerseTriggerError,
    PixVerseVideoFailedError,
    PixVerseVideoTimeoutError,
)

LOG = logging.getLogger("test.poller")
BROKEN = PixVerseConnectionError("connection refused", trace_id="t", path="/result")


def record(status: int) -> VideoRecord:
    return VideoRecord(id=7, status=status, url="https://media.example/7.mp4" if status == 1 else "")


def scripted(*answers: int | Exception) -> Callable[[], VideoRecord]:
    """A read that answers each status (or raises each error) in turn."""
    queue: Iterator[int | Exception] = iter(answers)

    def read() -> VideoRecord:
        answer = next(queue)
        if isinstance(answer, Exception):
            raise answer
        return record(answer)

    return read


def poller(**kwargs: Any) -> VideoPoller:
    options: dict[str, Any] = {"poll_interval": 0.0, "deadline": clock.now().add(seconds=60), "log": LOG}
    return VideoPoller(7, **{**options, **kwargs}, trace_id="submit-trace")


def drive_async(p: VideoPoller, read: Callable[[], VideoRecord]) -> Ending:
    async def aread() -> VideoRecord:
        return read()

    return asyncio.run(p.wait_async(aread))


def to_the_end(drive: str, p: VideoPoller, read: Callable[[], VideoRecord]) -> VideoRecord:
    """Wait with one driver until the wait ends: the record, or the exception it raises."""
    if drive == "sync":
        return p.wait_sync(read)
    if drive == "async":
        return drive_async(p, read).result()
    while (finished := p.poke(read)) is None:
        pass
    return finished


@pytest.mark.parametrize("drive", ["sync", "async", "poke"])
def test_tolerated_failures_then_success(drive: str) -> None:
    read = scripted(BROKEN, BROKEN, 5, BROKEN, BROKEN, 1)
    p = poller(max_poll_failures=2)
    if drive == "sync":
        assert p.wait_sync(read).status == 1
    elif drive == "async":
        assert drive_async(p, read).kind == "succeeded"
    else:
        assert p.poke(read) is None  # two failed reads, then status 5: not done yet
        assert p.poke(read) is not None


@pytest.mark.parametrize("drive", ["sync", "async", "poke"])
def test_one_failure_too_many_ends_the_wait_with_the_same_error(drive: str) -> None:
    read = scripted(5, BROKEN, BROKEN, BROKEN)
    p = poller(max_poll_failures=2)
    with pytest.raises(PixVerseTriggerError) as err:
        to_the_end(drive, p, read)
    assert str(err.value).startswith("Video 7: waiting failed: 3 status reads in a row failed (max_poll_failures=2)")
    assert str(err.value).endswith("[submit Ai-trace-id submit-trace]")


def test_a_failed_video_raises_its_exception_from_every_driver() -> None:
    messages = set()
    for drive in ("sync", "async", "poke"):
        with pytest.raises(PixVerseVideoFailedError) as err:
            to_the_end(drive, poller(), scripted(5, 8))
        messages.add(str(err.value))
    assert messages == {"Video 7: generation failed on PixVerse's side (status 8) [submit Ai-trace-id submit-trace]"}


def test_the_deadline_ends_the_wait_on_the_wall_clock() -> None:
    p = poller(deadline=clock.now().add(seconds=-1))
    with pytest.raises(PixVerseVideoTimeoutError, match=r"not finished after \d+s \(last status 5\)"):
        p.wait_sync(scripted(5, 5, 5))


def test_the_pause_never_passes_the_deadline_and_backs_off_when_asked() -> None:
    p = poller(poll_interval=2, exponential_backoff=True, max_wait=5)
    p.observe(record(5))
    assert p.delay() == 2
    p.observe(record(5))
    assert p.delay() == 4
    p.observe(record(5))
    assert p.delay() == 5  # capped by max_wait
    near = poller(poll_interval=30, deadline=clock.now().add(seconds=1))
    assert near.delay() <= 1


def test_an_ending_survives_the_trigger_row_and_gives_the_same_result() -> None:
    p = poller()
    ending = p.observe(record(1))
    assert ending is not None
    again = Ending.from_event(ending.to_event())
    assert again == ending and again.result() == record(1)
