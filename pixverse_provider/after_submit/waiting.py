"""Waiting for a video from a task: the defaults, the hand-over to the trigger, and what comes back.

The generation operators (``wait_for_completion=True``) and the sensor share this; how a wait goes (verdict,
tolerance, progress, deadline) is the ``VideoPoller``'s, whichever way a task waits.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from pixverse_provider._compat import conf
from pixverse_provider.after_submit import clock
from pixverse_provider.after_submit.poller import Ending
from pixverse_provider.after_submit.verdict import DEFAULT_MAX_POLL_FAILURES

if TYPE_CHECKING:
    from airflow.sdk import BaseOperator

    from pixverse_provider.api.responses import VideoRecord

DEFAULT_POLL_INTERVAL = 5.0
DEFAULT_TIMEOUT = 60 * 60.0
XCOM_VIDEO = "video"


def default_deferrable() -> bool:
    return conf.getboolean("operators", "default_deferrable", fallback=False)


def safety_timeout(timeout: float) -> timedelta:
    """Airflow's own deferral timeout, set above the trigger's deadline: a net, not the mechanism.

    Airflow 3 fails a task whose deferral times out without calling ``execute_complete``, so the user's
    ``timeout`` is enforced by the trigger (with a clear message) and this only catches a lost trigger.
    """
    return timedelta(seconds=timeout + max(60.0, timeout * 0.1))


def video_summary(record: VideoRecord) -> dict[str, Any]:
    """What a finished video looks like in XCom: small, JSON-serialisable, no prompt text."""
    return {
        "video_id": record.id,
        "status": record.status,
        "url": record.url,
        "width": record.outputWidth,
        "height": record.outputHeight,
        "seed": record.seed,
        "size": record.size,
    }


def defer_until_done(
    task: BaseOperator,
    *,
    video_id: int,
    pixverse_conn_id: str,
    poll_interval: float,
    timeout: float,
    max_poll_failures: int = DEFAULT_MAX_POLL_FAILURES,
    trace_id: str | None = None,
    started: datetime | None = None,
    exponential_backoff: bool = False,
    max_wait: float | None = None,
    method_name: str = "execute_complete",
) -> None:
    """Hand the wait to the triggerer; the task resumes in ``method_name`` with the trigger's event.

    A task's ``execution_timeout`` bounds the wait too, as it did in Airflow 2: Airflow 3 applies it only
    while the task runs on a worker, so the trigger's deadline carries it.
    """
    from pixverse_provider.triggers.pixverse import PixVerseVideoTrigger  # triggers load where they run

    started = started or clock.now()
    if task.execution_timeout is not None and task.execution_timeout.total_seconds() < timeout:
        timeout = task.execution_timeout.total_seconds()
        task.log.info("Waiting at most %.0fs for video %s: the task's execution_timeout", timeout, video_id)
    trigger = PixVerseVideoTrigger(
        video_id=video_id,
        pixverse_conn_id=pixverse_conn_id,
        poll_interval=poll_interval,
        deadline=clock.moment(started).add(seconds=timeout).isoformat(),
        max_poll_failures=max_poll_failures,
        trace_id=trace_id,
        started=started.isoformat(),
        exponential_backoff=exponential_backoff,
        max_wait=max_wait,
    )
    task.defer(trigger=trigger, method_name=method_name, timeout=safety_timeout(timeout))


def record_from_event(event: Any) -> VideoRecord:
    """The finished video of a trigger event, or the exception its ending calls for (an unknown shape too)."""
    return Ending.from_event(event).result()
