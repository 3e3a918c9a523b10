"""``PixVerseVideoTrigger``: waits for one video in the triggerer, driving the shared ``VideoPoller``.

It only reads: no submit, no download, no side effect, so the triggerer may run it twice (after a restart
or a failover) without harm. The deadline is an absolute wall-clock time: kept in the kwargs when a worker
defers, or, when the task starts in the triggerer (``start_from_trigger``), derived from Airflow's own
trigger timeout, which the scheduler fixed when it deferred the task; either way a trigger recreated from
its row keeps the original deadline. Every ending is an event, never an exception.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from airflow.triggers.base import BaseTrigger, TriggerEvent

from pixverse_provider.after_submit import clock
from pixverse_provider.after_submit.in_triggerer import end_task, success_xcoms
from pixverse_provider.after_submit.poller import SUCCEEDED, VideoPoller
from pixverse_provider.after_submit.verdict import DEFAULT_MAX_POLL_FAILURES
from pixverse_provider.after_submit.waiting import INVALID_VIDEO_ID, abandoned_wait, checked_video_id, safety_timeout
from pixverse_provider.exceptions import PixVerseInvalidRequestError


class PixVerseVideoTrigger(BaseTrigger):
    """Wait for ``video_id`` to reach status 1, 6, 7 or 8, or for the deadline.

    :param video_id: the video to watch (digits; a template when the task starts in the triggerer).
    :param pixverse_conn_id: connection to read with (the trigger row holds this id, never the API key).
    :param poll_interval: seconds between status reads.
    :param deadline: ISO-8601 UTC time after which the wait ends with a ``timeout`` event.
    :param max_poll_failures: consecutive failed reads tolerated; one more ends with an ``error`` event.
    :param trace_id: Ai-trace-id of the submit, carried into messages for support.
    :param started: ISO-8601 UTC time the wait began (default: now), for the elapsed times reported.
    :param exponential_backoff: double the pause after each read that finds the video still generating.
    :param max_wait: the longest pause when backing off (seconds).
    :param timeout: seconds to wait, when no ``deadline`` is given (a task started in the triggerer).
    :param end_from_trigger: on success, end the task here (``TaskSuccessEvent``) instead of resuming it.
    :param returns: the return value of a task ended here: ``video_id`` or ``summary``.
    :param estimated_credits: what the video is estimated to cost, quoted if the wait is killed.

    Unless it ends the task, the single event it yields is ``Ending.to_event()``
    (``pixverse_provider.after_submit.poller``): ``status`` (``succeeded``, ``failed``, ``timeout`` or
    ``error``), ``video_id``, ``video_status``, ``video`` (the record, or None), ``reason``, ``elapsed``
    (seconds) and ``trace_id``; or ``{"status": "invalid_video_id", "video_id": ...}`` when a rendered
    ``video_id`` is not an id.
    """

    def __init__(
        self,
        video_id: int | str,
        pixverse_conn_id: str,
        poll_interval: float,
        deadline: str | None = None,
        max_poll_failures: int = DEFAULT_MAX_POLL_FAILURES,
        trace_id: str | None = None,
        started: str | None = None,
        exponential_backoff: bool = False,
        max_wait: float | None = None,
        timeout: float | None = None,
        end_from_trigger: bool = False,
        returns: str = "video_id",
        estimated_credits: float | None = None,
    ) -> None:
        super().__init__()
        self.video_id = video_id  # may still be a template: rendered by the triggerer before ``run``
        self.pixverse_conn_id = pixverse_conn_id
        self.poll_interval = float(poll_interval)
        self.deadline = deadline
        self.max_poll_failures = int(max_poll_failures)
        self.trace_id = trace_id
        self.started = started or (clock.now().isoformat() if deadline is not None else None)
        self.exponential_backoff = exponential_backoff
        self.max_wait = max_wait
        self.timeout = timeout
        self.end_from_trigger = end_from_trigger
        self.returns = returns
        self.estimated_credits = estimated_credits
        if deadline is None and timeout is None:
            raise ValueError("PixVerseVideoTrigger needs a deadline or a timeout")

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
                "timeout": self.timeout,
                "end_from_trigger": self.end_from_trigger,
                "returns": self.returns,
                "estimated_credits": self.estimated_credits,
            },
        )

    async def run(self) -> AsyncIterator[TriggerEvent]:
        from pixverse_provider.hooks.pixverse_async import PixVerseAsyncHook  # httpx: only where triggers run

        try:
            video_id = checked_video_id(self.video_id)
        except PixVerseInvalidRequestError:
            yield TriggerEvent({"status": INVALID_VIDEO_ID, "video_id": str(self.video_id)})
            return
        deadline, started = self._deadline_and_start()
        poller = VideoPoller(
            video_id,
            poll_interval=self.poll_interval,
            deadline=deadline,
            started=started,
            max_poll_failures=self.max_poll_failures,
            trace_id=self.trace_id,
            log=self.log,
            exponential_backoff=self.exponential_backoff,
            max_wait=self.max_wait,
        )
        async with PixVerseAsyncHook(self.pixverse_conn_id) as hook:
            ending = await poller.wait_async(lambda: hook.get_video(video_id))
        # A trigger run outside a triggerer (dag.test runs it inline) has no task instance it could end.
        if ending.kind == SUCCEEDED and self.end_from_trigger and self.task_instance is not None:
            yield await end_task(self.task_instance, success_xcoms(ending.result(), self.returns))
        else:
            yield TriggerEvent(ending.to_event())

    def _deadline_and_start(self) -> tuple[datetime | str, str]:
        """The wall-clock deadline, and when the wait began."""
        if self.deadline is not None:
            return self.deadline, self.started or clock.now().isoformat()  # (started is set when a deadline is)
        assert self.timeout is not None
        timeout_after: datetime | None = getattr(self, "timeout_after", None)  # set by the triggerer
        if timeout_after is not None:  # the scheduler deferred the task then, with safety_timeout(timeout)
            started = clock.moment(timeout_after).subtract(seconds=safety_timeout(self.timeout).total_seconds())
        else:
            started = clock.now()
        return started.add(seconds=self.timeout), started.isoformat()

    async def on_kill(self) -> None:
        """Airflow 3.3 calls this when a user clears or marks the waiting task: the video is still paid for."""
        submitted = self.returns == "video_id"  # a generation operator's wait, not the sensor's
        self.log.warning(abandoned_wait(self.video_id, self.trace_id, self.estimated_credits, submitted))
