"""One poller for every wait: the hook's loop, the sensor's pokes and the trigger only drive it.

``VideoPoller`` owns everything that decides how a wait goes: the status verdict (``outcome.judge``), the
tolerance of consecutive failed reads, the progress lines, and the deadline, on one wall clock (UTC). The
drivers only read a video's status and sleep for as long as the poller says:

- ``wait_sync`` (the hook's ``wait_for_video`` and ``wait_for_completion`` on a worker) and ``wait_async``
  (the trigger) read until the wait ends;
- ``poke`` (the sensor in ``poke`` or ``reschedule`` mode) reads until it learns the status once, so a
  failed read is retried within the poke, exactly as the loops retry it.

Every wait ends in one ``Ending``. The trigger sends it as its event; ``Ending.result()`` turns it into the
finished record or the exception a user reads, so a video fails with the same class and message whichever
way it was waited for.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, NoReturn

from pixverse_provider.after_submit import clock
from pixverse_provider.after_submit.progress import Progress, seconds_between
from pixverse_provider.after_submit.verdict import DEFAULT_MAX_POLL_FAILURES, Outcome, Verdict, failure, judge
from pixverse_provider.exceptions import (
    PixVerseError,
    PixVerseTriggerError,
    PixVerseTriggerEventError,
    PixVerseVideoTimeoutError,
)

if TYPE_CHECKING:
    from pixverse_provider.api.responses import VideoRecord

SUCCEEDED, FAILED, TIMEOUT, ERROR = "succeeded", "failed", "timeout", "error"
_KINDS = (SUCCEEDED, FAILED, TIMEOUT, ERROR)


@dataclass(frozen=True)
class Ending:
    """How a wait ended: ``kind`` is ``succeeded``, ``failed`` (status 6, 7 or 8), ``timeout`` or ``error``
    (too many failed reads in a row). ``video`` is the finished record's fields on success."""

    kind: str
    video_id: int
    video_status: int | None
    reason: str
    elapsed: float
    trace_id: str | None = None
    video: dict[str, Any] | None = None

    def to_event(self) -> dict[str, Any]:
        """The trigger's event payload (JSON-serialisable)."""
        return {
            "status": self.kind,
            "video_id": self.video_id,
            "video_status": self.video_status,
            "video": self.video,
            "reason": self.reason,
            "elapsed": self.elapsed,
            "trace_id": self.trace_id,
        }

    @classmethod
    def from_event(cls, event: Any) -> Ending:
        """The ending a trigger event reports; a payload of any other shape is an error, never guessed at."""
        if not isinstance(event, dict) or event.get("status") not in _KINDS or "video_id" not in event:
            raise _unknown_event("an event this provider does not know", event)
        try:
            ending = cls(
                kind=event["status"],
                video_id=int(event["video_id"]),
                video_status=None if event.get("video_status") is None else int(event["video_status"]),
                reason=str(event.get("reason", "")),
                elapsed=float(event.get("elapsed") or 0.0),
                trace_id=event.get("trace_id"),
                video=event.get("video"),
            )
        except (TypeError, ValueError):
            raise _unknown_event("a malformed event", event) from None
        if ending.kind == SUCCEEDED and not isinstance(ending.video, dict):
            raise _unknown_event("success without the video's record", event)
        if ending.kind == FAILED and judge(ending.video_status or 0).verdict != Verdict.FAILED:
            raise _unknown_event("a failure without a failed status", event)
        return ending

    def result(self) -> VideoRecord:
        """The finished video, or the exception this ending calls for."""
        if self.kind == SUCCEEDED:
            from pixverse_provider.api.responses import VideoRecord  # the model: on first use, not at DAG parse

            return VideoRecord.model_validate(self.video)
        if self.kind == FAILED:
            assert self.video_status is not None
            outcome = Outcome(Verdict.FAILED, self.video_status, self.reason)
            raise failure(outcome, video_id=self.video_id, trace_id=self.trace_id)
        if self.kind == TIMEOUT:
            raise PixVerseVideoTimeoutError(
                f"not finished after {self.elapsed:.0f}s (last status {self.video_status})",
                video_id=self.video_id,
                trace_id=self.trace_id,
            )
        raise PixVerseTriggerError(f"waiting failed: {self.reason}", video_id=self.video_id, trace_id=self.trace_id)


class VideoPoller:
    """The state of one wait for ``video_id``; drive it with ``wait_sync``, ``wait_async`` or ``poke``.

    :param video_id: the video waited for.
    :param poll_interval: seconds between two status reads (also between a failed read and the next one).
    :param deadline: when the wait gives up (aware datetime or ISO-8601 text).
    :param started: when the wait began, for the elapsed times it reports (default: now).
    :param max_poll_failures: consecutive failed reads tolerated; one more ends the wait with an error.
    :param trace_id: Ai-trace-id of the submit, quoted in every failure.
    :param log: where progress lines go (the task's, the trigger's or the hook's logger).
    :param exponential_backoff: double the pause after each read that finds the video still generating.
    :param max_wait: the longest pause when backing off (seconds).
    """

    def __init__(
        self,
        video_id: int,
        *,
        poll_interval: float,
        deadline: datetime | str,
        started: datetime | str | None = None,
        max_poll_failures: int = DEFAULT_MAX_POLL_FAILURES,
        trace_id: str | None = None,
        log: Any,
        exponential_backoff: bool = False,
        max_wait: float | None = None,
    ) -> None:
        self.video_id = int(video_id)
        self.poll_interval = float(poll_interval)
        self.deadline = clock.moment(deadline)
        self.started = clock.now() if started is None else clock.moment(started)
        self.max_poll_failures = int(max_poll_failures)
        self.trace_id = trace_id
        self.log = log
        self.exponential_backoff = exponential_backoff
        self.max_wait = max_wait
        self.failures = 0
        self.status: int | None = None
        self._generating_reads = 0
        self._progress = Progress(self.video_id, self.started)

    # --- one read at a time ---------------------------------------------------------------------------------

    def observe(self, read: VideoRecord | PixVerseError) -> Ending | None:
        """Take one status read (a record, or the error reading it raised); the ending when the wait is over."""
        if isinstance(read, PixVerseError):
            self.failures += 1
            if self.failures > self.max_poll_failures:
                reason = (
                    f"{self.failures} status reads in a row failed "
                    f"(max_poll_failures={self.max_poll_failures}); last: {read}"
                )
                return self._ending(ERROR, None, reason)
            self.log.warning(
                "Reading PixVerse video %s failed (%d in a row, %d tolerated): %s",
                self.video_id, self.failures, self.max_poll_failures, read,
            )  # fmt: skip
            return self._timed_out(clock.now())
        self.failures, self.status = 0, read.status
        outcome = judge(read.status)
        if outcome.verdict == Verdict.SUCCEEDED:
            return self._ending(SUCCEEDED, read.status, outcome.reason, read.model_dump())
        if outcome.verdict == Verdict.FAILED:
            return self._ending(FAILED, read.status, outcome.reason)
        self._generating_reads += 1
        now = clock.now()  # one clock read per poll: progress and deadline alike
        for line in self._progress.lines(read.status, now):
            self.log.info(line)
        return self._timed_out(now)

    def delay(self) -> float:
        """Seconds until the next read: the poll interval (backed off if asked), never past the deadline."""
        pause = self.poll_interval
        if self.exponential_backoff and self.failures == 0 and self._generating_reads > 1:
            pause = self.poll_interval * 2 ** min(self._generating_reads - 1, 30)
            pause = min(pause, self.max_wait) if self.max_wait is not None else pause
        left = seconds_between(self.deadline, clock.now())
        return max(0.0, min(pause, left))

    # --- the drivers ----------------------------------------------------------------------------------------

    def wait_sync(self, read: Callable[[], VideoRecord]) -> VideoRecord:
        """Read and sleep in this process until the wait ends; the finished record, or its exception."""
        while (ending := self.observe(_attempt(read))) is None:
            time.sleep(self.delay())
        return ending.result()

    async def wait_async(self, read: Callable[[], Awaitable[VideoRecord]]) -> Ending:
        """The same wait, for the triggerer's event loop; returns the ending instead of raising."""
        while (ending := await self._observe_async(read)) is None:
            await asyncio.sleep(self.delay())
        return ending

    async def _observe_async(self, read: Callable[[], Awaitable[VideoRecord]]) -> Ending | None:
        # A method of its own, so the read's record is garbage before the sleep: with a thousand triggers,
        # whatever a poll keeps across its sleep is promoted to the oldest GC generation and fills it.
        try:
            answer: VideoRecord | PixVerseError = await read()
        except PixVerseError as exc:
            answer = exc
        return self.observe(answer)

    def poke(self, read: Callable[[], VideoRecord]) -> VideoRecord | None:
        """One sensor poke: the finished record, None while the video is generating, or the exception.

        A failed read is retried after the poll interval within the poke, up to ``max_poll_failures`` times,
        so reschedule mode (a new process per poke) tolerates failures exactly as the loops do.
        """
        while True:
            answer = _attempt(read)
            ending = self.observe(answer)
            if ending is not None:
                return ending.result()
            if not isinstance(answer, PixVerseError):  # the status was read: the video is still generating
                return None
            time.sleep(self.delay())

    # --- endings --------------------------------------------------------------------------------------------

    def fail_at_deadline(self) -> NoReturn:
        """Raise the timeout this wait ends with (for a driver whose own clock ran out first)."""
        self._ending(TIMEOUT, self.status, f"not finished by the deadline (last status {self.status})").result()
        raise AssertionError("unreachable: a timeout ending always raises")

    def elapsed(self) -> float:
        return round(seconds_between(clock.now(), self.started), 1)

    def _timed_out(self, now: datetime) -> Ending | None:
        if now < self.deadline:
            return None
        return self._ending(TIMEOUT, self.status, f"not finished by the deadline (last status {self.status})")

    def _ending(self, kind: str, status: int | None, reason: str, video: dict[str, Any] | None = None) -> Ending:
        return Ending(kind, self.video_id, status, reason, self.elapsed(), self.trace_id, video)


def _attempt(read: Callable[[], VideoRecord]) -> VideoRecord | PixVerseError:
    try:
        return read()
    except PixVerseError as exc:
        return exc


def _unknown_event(what: str, event: Any) -> PixVerseTriggerEventError:
    text = repr(event)
    return PixVerseTriggerEventError(f"the trigger sent {what}: {text if len(text) <= 200 else text[:200] + '…'}")
