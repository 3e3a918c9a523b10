"""Waiting for a video from a task: the defaults, the hand-over to the trigger, and what comes back.

The generation operators (``wait_for_completion=True``) and the sensor share this; how a wait goes (verdict,
tolerance, progress, deadline) is the ``VideoPoller``'s, whichever way a task waits. Where the task ends
(back on a worker, or in the triggerer on Airflow 3.3+) is ``in_triggerer``'s.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from pixverse_provider._compat import conf
from pixverse_provider.after_submit import clock
from pixverse_provider.after_submit.poller import Ending
from pixverse_provider.after_submit.verdict import DEFAULT_MAX_POLL_FAILURES
from pixverse_provider.api.validation import FieldProblem
from pixverse_provider.exceptions import PixVerseInvalidRequestError

if TYPE_CHECKING:
    from airflow.sdk import BaseOperator

    from pixverse_provider.api.responses import VideoRecord

DEFAULT_POLL_INTERVAL = 5.0
DEFAULT_TIMEOUT = 60 * 60.0
XCOM_VIDEO = "video"
INVALID_VIDEO_ID = "invalid_video_id"
"""The status of the event a trigger sends when the ``video_id`` it rendered is not an id."""


def default_deferrable() -> bool:
    return conf.getboolean("operators", "default_deferrable", fallback=False)


def safety_timeout(timeout: float) -> timedelta:
    """Airflow's own deferral timeout, set above the trigger's deadline: a net, not the mechanism.

    Airflow 3 fails a task whose deferral times out without calling ``execute_complete``, so the user's
    ``timeout`` is enforced by the trigger (with a clear message) and this only catches a lost trigger.
    """
    return timedelta(seconds=timeout + max(60.0, timeout * 0.1))


def checked_video_id(video_id: Any) -> int:
    """``video_id`` as an int, or the error naming it (a rendered ``None`` or a summary dict is not an id)."""
    text = str(video_id).strip()
    if not text.isdigit():
        problem = FieldProblem("video_id", f"must be a PixVerse video id (digits), got {video_id!r}")
        raise PixVerseInvalidRequestError("video status", [problem])
    return int(text)


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
    end_from_trigger: bool = False,
    returns: str = "video_id",
    estimated_credits: float | None = None,
) -> None:
    """Hand the wait to the triggerer; the task resumes in ``method_name`` with the trigger's event, unless
    ``end_from_trigger`` lets the trigger end a successful task itself.

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
        end_from_trigger=end_from_trigger,
        returns=returns,
        estimated_credits=estimated_credits,
    )
    task.defer(trigger=trigger, method_name=method_name, timeout=safety_timeout(timeout))


def record_from_event(event: Any) -> VideoRecord:
    """The finished video of a trigger event, or the exception its ending calls for (an unknown shape too)."""
    if isinstance(event, dict) and event.get("status") == INVALID_VIDEO_ID:
        checked_video_id(event.get("video_id"))  # raises, naming the value the trigger rendered
    return Ending.from_event(event).result()


def abandoned_wait(video_id: Any, trace_id: str | None, estimated_credits: float | None, submitted: bool) -> str:
    """What a user reads when a wait is killed (cleared, marked failed): the video is still being paid for.

    :param submitted: the task submitted the video (a generation operator, which keeps a resume record), rather
        than only waiting for it (the sensor).
    """
    cost = "an unknown number of" if estimated_credits is None else f"about {estimated_credits:g}"
    again = (
        "Its resume record is kept: running this task again resumes that video instead of paying again, as long "
        "as the request is unchanged (and durable is not False)."
        if submitted
        else "Running this sensor again waits for the same video."
    )
    return (
        f"Stopped waiting for PixVerse video {video_id} (Ai-trace-id {trace_id or 'unknown'}). PixVerse has no "
        f"cancel call: the video keeps generating and costs {cost} credits. {again}"
    )
