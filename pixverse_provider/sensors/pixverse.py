"""``PixVerseVideoSensor``: wait for a submitted video, in the triggerer (deferrable) or by poking."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from airflow.sdk import BaseSensorOperator, PokeReturnValue

from pixverse_provider import clock
from pixverse_provider._compat import AirflowSensorTimeout
from pixverse_provider.exceptions import PixVerseVideoTimeoutError
from pixverse_provider.hooks.settings import DEFAULT_CONN_ID
from pixverse_provider.links import PixVerseVideoLink
from pixverse_provider.outcome import DEFAULT_MAX_POLL_FAILURES, Verdict, failure, judge
from pixverse_provider.results import DeliversVideo
from pixverse_provider.waiting import (
    DEFAULT_POLL_INTERVAL,
    DEFAULT_TIMEOUT,
    default_deferrable,
    defer_until_done,
    record_from_event,
)

if TYPE_CHECKING:
    from airflow.sdk import Context

    from pixverse_provider.api.responses import VideoRecord
    from pixverse_provider.hooks import PixVerseHook


class PixVerseVideoSensor(DeliversVideo, BaseSensorOperator):
    """Wait until a PixVerse video is ready; return its record (video_id, url, width, height, seed, size).

    Fails without retry on moderation (status 7) or deletion (status 6), and retryably on a generation
    failure (status 8) or when ``timeout`` passes.

    :param video_id: the video, usually ``generate_task.output``.
    :param pixverse_conn_id: the ``pixverse`` connection.
    :param deferrable: wait in the triggerer, freeing the worker (default: ``[operators] default_deferrable``).
    :param poll_interval: seconds between status reads (PixVerse suggests 3-5).
    :param timeout: seconds to wait in all before failing (default one hour).
    :param max_poll_failures: consecutive failed reads the trigger tolerates.
    :param trace_id: Ai-trace-id of the submit, quoted in failure messages.
    :param output_path: where to download the finished video (local path or ObjectStoragePath URI); XCom
        ``video_path`` says where it landed.
    :param output_conn_id: connection of the object store of ``output_path``.

    Example::

        from airflow.sdk import DAG
        from pixverse_provider.operators import PixVerseTextToVideoOperator
        from pixverse_provider.sensors import PixVerseVideoSensor

        with DAG("pixverse_sensor_example", schedule=None) as dag:
            fox = PixVerseTextToVideoOperator(task_id="fox", prompt="A red fox in the snow")
            ready = PixVerseVideoSensor(task_id="fox_ready", video_id=fox.output, poll_interval=1)
    """

    template_fields: Sequence[str] = ("video_id", "pixverse_conn_id", "trace_id", "output_path", "output_conn_id")
    operator_extra_links = (PixVerseVideoLink(),)
    ui_color = "#d7ccff"

    def __init__(
        self,
        *,
        video_id: int | str,
        pixverse_conn_id: str = DEFAULT_CONN_ID,
        deferrable: bool | None = None,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        timeout: float = DEFAULT_TIMEOUT,
        max_poll_failures: int = DEFAULT_MAX_POLL_FAILURES,
        trace_id: str | None = None,
        output_path: str | None = None,
        output_conn_id: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(poke_interval=poll_interval, timeout=timeout, **kwargs)
        self.output_path = output_path
        self.output_conn_id = output_conn_id
        self._record: VideoRecord | None = None
        self.video_id = video_id
        self.pixverse_conn_id = pixverse_conn_id
        self.deferrable = default_deferrable() if deferrable is None else deferrable
        self.poll_interval = poll_interval
        self.max_poll_failures = max_poll_failures
        self.trace_id = trace_id
        self._last_status: int | None = None

    @cached_property
    def hook(self) -> PixVerseHook:
        from pixverse_provider.hooks import PixVerseHook  # heavy (requests): loaded when a task runs

        return PixVerseHook(pixverse_conn_id=self.pixverse_conn_id)

    @property
    def checked_video_id(self) -> int:
        text = str(self.video_id).strip()
        if not text.isdigit():
            raise ValueError(f"video_id must be a PixVerse video id (digits), got {self.video_id!r}")
        return int(text)

    def execute(self, context: Context) -> Any:
        video_id = self.checked_video_id
        if not self.deferrable:
            started: datetime = clock.now()
            if self.reschedule:  # each poke is a new run: count from the first one, as Airflow does
                started = context["ti"].get_first_reschedule_date(context) or started
            try:
                super().execute(context)
                return self._delivered(context)
            except AirflowSensorTimeout:
                elapsed = clock.now().timestamp() - started.timestamp()
                raise PixVerseVideoTimeoutError(
                    f"not finished after {elapsed:.0f}s (last status {self._last_status})",
                    video_id=video_id,
                    trace_id=self.trace_id,
                ) from None
        if self.poke(context).is_done:  # already finished: no need to defer at all
            return self._delivered(context)
        defer_until_done(
            self,
            video_id=video_id,
            pixverse_conn_id=self.pixverse_conn_id,
            poll_interval=self.poll_interval,
            timeout=self.timeout,
            max_poll_failures=self.max_poll_failures,
            trace_id=self.trace_id,
        )
        return None  # not reached: defer raises

    def poke(self, context: Context) -> PokeReturnValue:
        video_id = self.checked_video_id
        record = self.hook.get_video(video_id)
        if record.status != self._last_status:
            self.log.info("PixVerse video %s: status %s", video_id, record.status)
            self._last_status = record.status
        outcome = judge(record.status)
        if outcome.verdict == Verdict.FAILED:
            raise failure(outcome, video_id=video_id, trace_id=self.trace_id)
        self._record = record
        return PokeReturnValue(is_done=outcome.verdict == Verdict.SUCCEEDED)

    def execute_complete(self, context: Context, event: dict[str, Any]) -> dict[str, Any]:
        self._record = record_from_event(event)
        return self._delivered(context)

    def _delivered(self, context: Context) -> dict[str, Any]:
        """Land the video of the last successful read; the summary is the return value."""
        assert self._record is not None
        self.log.info("PixVerse video %s is ready: %s", self._record.id, self._record.url)
        return self.deliver(context, self._record, {})
