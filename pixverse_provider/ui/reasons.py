"""Why a video failed, in PixVerse's words: read from the log of the task that waited for it.

A failed video (status 7 moderation, 8 failure, 6 deleted) or a wait that timed out fails its task with one of
``PixVerseVideoModerationError``, ``PixVerseVideoFailedError``, ``PixVerseVideoDeletedError`` or
``PixVerseVideoTimeoutError``, whose message carries PixVerse's reason; Airflow writes it into the task log.
The view reads it from there, through Airflow's own log reader (local or remote logs alike), only when a page
asks for one failed video: no store of our own, and nothing added to what the tasks record.
"""

from __future__ import annotations

import json
from typing import Any

from airflow.models.taskinstance import TaskInstance
from sqlalchemy import select
from sqlalchemy.orm import Session

from pixverse_provider.exceptions import (
    PixVerseVideoDeletedError,
    PixVerseVideoFailedError,
    PixVerseVideoModerationError,
    PixVerseVideoTimeoutError,
)
from pixverse_provider.ui.records import TaskRef

VIDEO_ERRORS = {
    cls.__name__: label
    for cls, label in (
        (PixVerseVideoModerationError, "moderation (status 7)"),
        (PixVerseVideoFailedError, "generation failed (status 8)"),
        (PixVerseVideoDeletedError, "deleted (status 6)"),
        (PixVerseVideoTimeoutError, "the wait timed out"),
    )
}
MAX_REASON = 500


def _messages(logs: Any) -> list[Any]:
    """The log's messages, however this Airflow version hands them over (a list per try, or a stream)."""
    if isinstance(logs, (list, tuple)) and logs and isinstance(logs[0], (list, tuple)):
        return [message for chunk in logs for message in chunk]
    return list(logs) if not isinstance(logs, (str, bytes)) else [logs]


def _as_dict(message: Any) -> dict[str, Any]:
    if hasattr(message, "model_dump"):
        return dict(message.model_dump())
    if isinstance(message, dict):
        return message
    try:
        return dict(json.loads(str(message)))
    except (ValueError, TypeError):
        return {"event": str(message)}


def _find(value: Any) -> tuple[str, str] | None:
    """``(error class, message)`` of a PixVerse video error anywhere in one log message."""
    if isinstance(value, dict):
        kind = value.get("exc_type")
        if kind in VIDEO_ERRORS and value.get("exc_value"):
            return str(kind), str(value["exc_value"])
        for item in value.values():
            if (found := _find(item)) is not None:
                return found
    elif isinstance(value, list):
        for item in value:
            if (found := _find(item)) is not None:
                return found
    elif isinstance(value, str):
        for kind in VIDEO_ERRORS:
            if f"{kind}: " in value:
                return kind, value.split(f"{kind}: ", 1)[1].splitlines()[0]
    return None


def failure_reason(session: Session, ref: TaskRef) -> dict[str, str] | None:
    """``{"kind", "reason"}`` of the PixVerse video error that failed ``ref``'s last try, if its log has one."""
    from airflow.utils.log.log_reader import TaskLogReader

    ti = session.scalar(
        select(TaskInstance).where(
            TaskInstance.dag_id == ref.dag_id,
            TaskInstance.run_id == ref.run_id,
            TaskInstance.task_id == ref.task_id,
            TaskInstance.map_index == ref.map_index,
        )
    )
    if ti is None or not ti.try_number:
        return None
    metadata: Any = {"download_logs": True}  # the whole log, as the REST API's full_content=true asks
    logs, _ = TaskLogReader().read_log_chunks(ti, ti.try_number, metadata)
    for message in reversed(_messages(logs)):
        found = _find(_as_dict(message))
        if found is not None:
            kind, reason = found
            return {"kind": VIDEO_ERRORS[kind], "reason": reason[:MAX_REASON]}
    return None
