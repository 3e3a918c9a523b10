"""``PixVerseVideoSensor``: wait for a submitted video, in the triggerer (deferrable) or by poking."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any

from airflow.sdk import BaseSensorOperator, PokeReturnValue

from pixverse_provider._compat import AirflowSensorTimeout, AirflowSkipException
from pixverse_provider.after_submit import clock
from pixverse_provider.after_submit.delivery import DeliversVideo
from pixverse_provider.after_submit.in_triggerer import (
    AIRFLOW_3_3_PLUS,
    NOT_FOR_THE_TRIGGERER,
    as_trigger_kwarg,
    mapped,
    nothing_left_for_a_worker,
)
from pixverse_provider.after_submit.poller import VideoPoller
from pixverse_provider.after_submit.verdict import DEFAULT_MAX_POLL_FAILURES
from pixverse_provider.after_submit.waiting import (
    DEFAULT_POLL_INTERVAL,
    DEFAULT_TIMEOUT,
    checked_video_id,
    default_deferrable,
    defer_until_done,
    record_from_event,
    safety_timeout,
)
from pixverse_provider.exceptions import PixVerseConfigurationError, PixVerseVideoError
from pixverse_provider.hooks.settings import DEFAULT_CONN_ID
from pixverse_provider.links import PixVerseVideoLink
from pixverse_provider.operators.task_settings import checked_settings, is_unrendered

if TYPE_CHECKING:
    from airflow.sdk import Context, XComArg

    from pixverse_provider.api.responses import VideoRecord
    from pixverse_provider.hooks import PixVerseHook


class PixVerseVideoSensor(DeliversVideo, BaseSensorOperator):
    """Wait until a PixVerse video is ready; return its summary (video_id, url, width, height, seed, size).

    Fails without retry on moderation (status 7) or deletion (status 6), and retryably on a generation
    failure (status 8), on ``timeout``, or when more than ``max_poll_failures`` status reads in a row fail.
    However it waits (deferrable, ``mode="poke"`` or ``mode="reschedule"``), the same ``VideoPoller`` judges
    the video, so each ending raises the same exception with the same message.

    All of ``BaseSensorOperator``'s arguments keep their documented meaning: ``poke_interval``, ``timeout``
    (seconds or a timedelta; the default here is one hour, not Airflow's seven days, since no video takes
    that long), ``mode``, ``exponential_backoff``, ``max_wait``, ``soft_fail`` (any failure or timeout skips
    the task, whichever way it waits), ``silent_fail`` and ``never_fail``.

    :param video_id: the video, usually ``generate_task.output``.
    :param pixverse_conn_id: the ``pixverse`` connection.
    :param deferrable: wait in the triggerer, freeing the worker (default: ``[operators] default_deferrable``).
    :param poke_interval: seconds between status reads (at least 1; PixVerse suggests 3-5; default 5).
    :param poll_interval: the same setting under the name the generation operators use (they are operators,
        not sensors, so they cannot take ``poke_interval``); give one or the other.
    :param timeout: seconds to wait in all before failing (default one hour).
    :param max_poll_failures: consecutive failed status reads tolerated before the wait fails.
    :param trace_id: Ai-trace-id of the submit, quoted in failure messages.
    :param output_path: where to download the finished video (local path or ObjectStoragePath URI); XCom
        ``video_path`` says where it landed.
    :param output_conn_id: connection of the object store of ``output_path``.
    :param start_from_trigger: begin the wait in the triggerer, so the task never runs on a worker unless it
        lands a file, fills ``outlets`` or fails (Airflow 3.3+). Default: whenever ``deferrable`` and
        ``video_id``, ``trace_id`` and ``pixverse_conn_id`` are literals or tasks' outputs. ``True`` also hands
        your own templates to the triggerer (an ``xcom_pull`` there needs ``map_indexes=-1`` on 3.3.2);
        ``False`` starts on a worker, as on Airflow 3.1 and 3.2, where ``True`` is ignored with a warning.

    Example::

        from airflow.sdk import DAG
        from pixverse_provider.operators import PixVerseTextToVideoOperator
        from pixverse_provider.sensors import PixVerseVideoSensor

        with DAG("pixverse_sensor_example", schedule=None) as dag:
            fox = PixVerseTextToVideoOperator(task_id="fox", prompt="A red fox in the snow")
            ready = PixVerseVideoSensor(task_id="fox_ready", video_id=fox.output, poke_interval=1)
    """

    template_fields: Sequence[str] = ("video_id", "pixverse_conn_id", "trace_id", "output_path", "output_conn_id")
    operator_extra_links = (PixVerseVideoLink(),)
    ui_color = "#d7ccff"

    def __init__(
        self,
        *,
        video_id: int | str | XComArg,
        pixverse_conn_id: str = DEFAULT_CONN_ID,
        deferrable: bool | None = None,
        poke_interval: float | timedelta | None = None,
        poll_interval: float | timedelta | None = None,
        timeout: float | timedelta = DEFAULT_TIMEOUT,
        max_poll_failures: int = DEFAULT_MAX_POLL_FAILURES,
        trace_id: str | None = None,
        output_path: str | None = None,
        output_conn_id: str | None = None,
        start_from_trigger: bool | None = None,
        **kwargs: Any,
    ) -> None:
        task_id = str(kwargs.get("task_id"))
        interval = _one_interval(task_id, poke_interval, poll_interval)
        settings = checked_settings(
            task_id,
            {
                "poke_interval": interval,
                "timeout": timeout,
                "max_poll_failures": max_poll_failures,
                "max_wait": kwargs.get("max_wait"),
            },
        )
        super().__init__(poke_interval=settings["poke_interval"], timeout=settings["timeout"], **kwargs)
        if not is_unrendered(video_id):
            checked_video_id(video_id)
        self.video_id = video_id
        self.pixverse_conn_id = pixverse_conn_id
        self.deferrable = default_deferrable() if deferrable is None else deferrable
        self.max_poll_failures = int(settings["max_poll_failures"])
        self.trace_id = trace_id
        self.output_path = output_path
        self.output_conn_id = output_conn_id
        self._record: VideoRecord | None = None
        self._poller: VideoPoller | None = None
        self._start_in_triggerer(start_from_trigger)

    def _start_in_triggerer(self, wanted: bool | None) -> None:
        """Set Airflow's ``start_from_trigger``/``start_trigger_args`` when the wait can begin in the triggerer."""
        if wanted is False:
            return
        if not self.deferrable:
            if wanted:
                raise PixVerseConfigurationError(
                    f"Task {self.task_id!r}: start_from_trigger=True needs deferrable=True (the triggerer waits)"
                )
            return
        rendered_there = {
            name: as_trigger_kwarg(getattr(self, name), trust_templates=bool(wanted))
            for name in ("video_id", "trace_id", "pixverse_conn_id")
        }
        unrenderable = [name for name, value in rendered_there.items() if value is NOT_FOR_THE_TRIGGERER]
        if not AIRFLOW_3_3_PLUS or unrenderable or mapped(self):
            if wanted:
                why = "needs Airflow 3.3+" if not AIRFLOW_3_3_PLUS else f"cannot hand {unrenderable} to the triggerer"
                self.log.warning("Task %r: start_from_trigger %s; starting on a worker", self.task_id, why)
            return
        from airflow.triggers.base import StartTriggerArgs

        timeout = float(self.timeout)
        if self.execution_timeout is not None:  # Airflow caps its trigger timeout with it: the deadline follows
            timeout = min(timeout, self.execution_timeout.total_seconds())
        self.start_from_trigger = True
        self.start_trigger_args = StartTriggerArgs(
            trigger_cls="pixverse_provider.triggers.pixverse.PixVerseVideoTrigger",
            trigger_kwargs={
                **rendered_there,
                "poll_interval": self.poke_interval,
                "timeout": timeout,
                "max_poll_failures": self.max_poll_failures,
                "exponential_backoff": self.exponential_backoff,
                "max_wait": self.max_wait.total_seconds() if self.max_wait is not None else None,
                "end_from_trigger": nothing_left_for_a_worker(self),
                "returns": "summary",
            },
            next_method="execute_complete",
            timeout=safety_timeout(timeout),
        )

    @property
    def poll_interval(self) -> float:
        """``poke_interval`` under the generation operators' name."""
        return float(self.poke_interval)

    @cached_property
    def hook(self) -> PixVerseHook:
        from pixverse_provider.hooks import PixVerseHook  # heavy (requests): loaded when a task runs

        return PixVerseHook(pixverse_conn_id=self.pixverse_conn_id)

    def execute(self, context: Context) -> Any:
        with self._skipped_on_failure():
            return self._wait(context)

    @contextmanager
    def _skipped_on_failure(self) -> Iterator[None]:
        """``soft_fail``/``never_fail``: a failed or timed-out video skips the task, however the sensor waits
        (Airflow applies them to its poke loop, and not on every version to a deferred sensor's resume)."""
        try:
            yield
        except PixVerseVideoError as exc:
            flag = "soft_fail" if self.soft_fail else "never_fail" if getattr(self, "never_fail", False) else None
            if flag:
                raise AirflowSkipException(f"{flag}=True: {exc}") from exc
            raise

    def _wait(self, context: Context) -> Any:
        started: datetime = clock.now()
        if self.reschedule:  # each poke is a new run: count from the first one, as Airflow does
            started = context["ti"].get_first_reschedule_date(context) or started
        poller = self._poller = self._new_poller(started)
        if not self.deferrable:
            try:
                super().execute(context)  # Airflow's poke loop: poke_interval, mode, backoff, silent_fail ...
            except AirflowSensorTimeout:  # its clock ran out before a poke saw ours do: same message either way
                poller.fail_at_deadline()
            return self._delivered(context)
        if self.poke(context).is_done:  # already finished: no need to defer at all
            return self._delivered(context)
        defer_until_done(
            self,
            video_id=poller.video_id,
            pixverse_conn_id=self.pixverse_conn_id,
            poll_interval=self.poke_interval,
            timeout=self.timeout,
            max_poll_failures=self.max_poll_failures,
            trace_id=self.trace_id,
            started=started,
            exponential_backoff=self.exponential_backoff,
            max_wait=self.max_wait.total_seconds() if self.max_wait is not None else None,
            end_from_trigger=nothing_left_for_a_worker(self),
            returns="summary",
        )
        return None  # not reached: defer raises

    def _new_poller(self, started: datetime) -> VideoPoller:
        return VideoPoller(
            checked_video_id(self.video_id),
            poll_interval=self.poke_interval,
            deadline=clock.moment(started).add(seconds=self.timeout),
            started=started,
            max_poll_failures=self.max_poll_failures,
            trace_id=self.trace_id,
            log=self.log,
        )

    def poke(self, context: Context) -> PokeReturnValue:
        poller = self._poller = self._poller or self._new_poller(clock.now())
        record = poller.poke(lambda: self.hook.get_video(poller.video_id))
        self._record = record or self._record
        return PokeReturnValue(is_done=record is not None)

    def execute_complete(self, context: Context, event: dict[str, Any]) -> dict[str, Any]:
        """Back from the trigger (only when there is something left to do here: land, fill outlets, or fail)."""
        with self._skipped_on_failure():
            self._record = record_from_event(event)
        return self._delivered(context)

    def _delivered(self, context: Context) -> dict[str, Any]:
        """Land the video of the last successful read; the summary is the return value."""
        assert self._record is not None
        self.log.info("PixVerse video %s is ready: %s", self._record.id, self._record.url)
        return self.deliver(context, self._record, {})


def _one_interval(task_id: str, poke_interval: Any, poll_interval: Any) -> Any:
    """``poke_interval`` and its alias ``poll_interval``: either, or both when they agree."""
    if poke_interval is None:
        return DEFAULT_POLL_INTERVAL if poll_interval is None else poll_interval
    if poll_interval is not None and _seconds(poll_interval) != _seconds(poke_interval):
        raise PixVerseConfigurationError(
            f"Task {task_id!r}: poke_interval={poke_interval!r} and poll_interval={poll_interval!r} disagree; "
            "poll_interval is another name for poke_interval: give only one"
        )
    return poke_interval


def _seconds(value: Any) -> Any:
    return value.total_seconds() if isinstance(value, timedelta) else value
