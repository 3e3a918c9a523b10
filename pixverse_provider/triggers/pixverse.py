"""``PixVerseVideoTrigger``: polls one video's status in the triggerer until it ends or its deadline passes.

It only reads: no submit, no download, no side effect, so the triggerer may run it twice (after a restart
or a failover) without harm. The deadline is an absolute wall-clock time kept in the kwargs, so a trigger
recreated from its row keeps the original deadline. Expected outcomes are events, never exceptions.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from airflow.triggers.base import BaseTrigger, TriggerEvent

from pixverse_provider import clock
from pixverse_provider.exceptions import PixVerseError
from pixverse_provider.outcome import DEFAULT_MAX_POLL_FAILURES, Verdict, judge
from pixverse_provider.progress import Progress


class PixVerseVideoTrigger(BaseTrigger):
    """Wait for ``video_id`` to reach status 1, 6, 7 or 8.

    :param video_id: the video to watch.
    :param pixverse_conn_id: connection to read with (the trigger row holds this id, never the API key).
    :param poll_interval: seconds between status reads.
    :param deadline: ISO-8601 UTC time after which the trigger gives up with a ``timeout`` event.
    :param max_poll_failures: consecutive failed reads tolerated before an ``error`` event.
    :param trace_id: Ai-trace-id of the submit, carried into messages for support.

    The single event it yields has ``status`` (``succeeded``, ``failed``, ``timeout`` or ``error``),
    ``video_id``, ``video_status``, ``video`` (the record, or None), ``reason`` and ``elapsed`` (seconds).
    PixVerse has no cancel endpoint, so ``on_kill`` of the task has nothing to stop here.
    """

    def __init__(
        self,
        video_id: int,
        pixverse_conn_id: str,
        poll_interval: float,
        deadline: str,
        max_poll_failures: int = DEFAULT_MAX_POLL_FAILURES,
        trace_id: str | None = None,
        started: str | None = None,
    ) -> None:
        super().__init__()
        self.video_id = int(video_id)
        self.pixverse_conn_id = pixverse_conn_id
        self.poll_interval = float(poll_interval)
        self.deadline = deadline
        self.max_poll_failures = int(max_poll_failures)
        self.trace_id = trace_id
        self.started = started or clock.now().isoformat()

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            f"{type(self).__module__}.{type(self).__qualname__}",
            {
                "video_id": self.video_id,
                "pixverse_conn_id": self.pixverse_conn_id,
                "poll_interval": self.poll_interval,
                "deadline": self.deadline,
                "max_poll_failures": self.max_poll_failures,
                "trace_id": self.trace_id,
                "started": self.started,
            },
        )

    async def run(self) -> AsyncIterator[TriggerEvent]:
        deadline = clock.parse(self.deadline)
        progress = Progress(self.video_id, clock.parse(self.started))
        failures, status = 0, None
        from pixverse_provider.hooks.pixverse_async import PixVerseAsyncHook  # httpx: only where triggers run

        async with PixVerseAsyncHook(self.pixverse_conn_id) as hook:
            while True:
                try:
                    record = await hook.get_video(self.video_id)
                except PixVerseError as exc:
                    failures += 1
                    self.log.warning("Poll %d/%d of video %s failed: %s", failures, self.max_poll_failures + 1,
                                     self.video_id, exc)  # fmt: skip
                    if failures > self.max_poll_failures:
                        yield self._event("error", status, None, f"{failures} polls in a row failed; last: {exc}")
                        return
                else:
                    failures, status = 0, record.status
                    outcome = judge(status)
                    if outcome.verdict != Verdict.WAITING:
                        yield self._event(outcome.verdict.value, status, record.model_dump(), outcome.reason)
                        return
                for line in progress.lines(status):
                    self.log.info(line)
                now = clock.now()
                if now >= deadline:
                    reason = f"not finished by the deadline {self.deadline} (last status {status})"
                    yield self._event("timeout", status, None, reason)
                    return
                await asyncio.sleep(min(self.poll_interval, (deadline - now).total_seconds()))

    def _event(self, status: str, video_status: int | None, video: dict[str, Any] | None, reason: str) -> TriggerEvent:
        elapsed = (clock.now() - clock.parse(self.started)).total_seconds()
        return TriggerEvent(
            {
                "status": status,
                "video_id": self.video_id,
                "video_status": video_status,
                "video": video,
                "reason": reason,
                "elapsed": round(elapsed, 1),
                "trace_id": self.trace_id,
            }
        )
