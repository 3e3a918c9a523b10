"""``PixVerseVideoTrigger``: waits for one video in the triggerer, driving the shared ``VideoPoller``.

It only reads: no submit, no download, no side effect, so the triggerer may run it twice (after a restart
or a failover) without harm. The deadline is an absolute wall-clock time kept in the kwargs, so a trigger
recreated from its row keeps the original deadline. Every ending is an event, never an exception.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from airflow.triggers.base import BaseTrigger, TriggerEvent

from pixverse_provider.after_submit import clock
from pixverse_provider.after_submit.poller import VideoPoller
from pixverse_provider.after_submit.verdict import DEFAULT_MAX_POLL_FAILURES


class PixVerseVideoTrigger(BaseTrigger):
    """Wait for ``video_id`` to reach status 1, 6, 7 or 8, or for the deadline.

    :param video_id: the video to watch.
    :param pixverse_conn_id: connection to read with (the trigger row holds this id, never the API key).
    :param poll_interval: seconds between status reads.
    :param deadline: ISO-8601 UTC time after which the wait ends with a ``timeout`` event.
    :param max_poll_failures: consecutive failed reads tolerated; one more ends with an ``error`` event.
    :param trace_id: Ai-trace-id of the submit, carried into messages for support.
    :param started: ISO-8601 UTC time the wait began (default: now), for the elapsed times reported.
    :param exponential_backoff: double the pause after each read that finds the video still generating.
    :param max_wait: the longest pause when backing off (seconds).

    The single event it yields is ``Ending.to_event()`` (``pixverse_provider.after_submit.poller``):
    ``status`` (``succeeded``, ``failed``, ``timeout`` or ``error``), ``video_id``, ``video_status``, ``video``
    (the record, or None), ``reason``, ``elapsed`` (seconds) and ``trace_id``.
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
        exponential_backoff: bool = False,
        max_wait: float | None = None,
    ) -> None:
        super().__init__()
        self.video_id = int(video_id)
        self.pixverse_conn_id = pixverse_conn_id
        self.poll_interval = float(poll_interval)
        self.deadline = deadline
        self.max_poll_failures = int(max_poll_failures)
        self.trace_id = trace_id
        self.started = started or clock.now().isoformat()
        self.exponential_backoff = exponential_backoff
        self.max_wait = max_wait

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
                "exponential_backoff": self.exponential_backoff,
                "max_wait": self.max_wait,
            },
        )

    async def run(self) -> AsyncIterator[TriggerEvent]:
        from pixverse_provider.hooks.pixverse_async import PixVerseAsyncHook  # httpx: only where triggers run

        poller = VideoPoller(
            self.video_id,
            poll_interval=self.poll_interval,
            deadline=self.deadline,
            started=self.started,
            max_poll_failures=self.max_poll_failures,
            trace_id=self.trace_id,
            log=self.log,
            exponential_backoff=self.exponential_backoff,
            max_wait=self.max_wait,
        )
        async with PixVerseAsyncHook(self.pixverse_conn_id) as hook:
            ending = await poller.wait_async(lambda: hook.get_video(self.video_id))
        yield TriggerEvent(ending.to_event())
