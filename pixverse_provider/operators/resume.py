"""Resume instead of paying twice: the record a try leaves in ``task_state_store``, tied to its request.

A generation task that submitted a video records ``{video_id, trace_id, fingerprint}`` under ``STATE_KEY``.
A later try of the same task instance (an Airflow retry, or a run after a worker died) resumes that video
only when it would send the same request: same mode, same fields, same input files. A changed prompt or
a replaced input file is a new request, so it is submitted and paid for; the log says why.

``durable`` (a generation operator's argument, default ``True``) has the meaning of the same flag on
Airflow 3.3's ``ResumableJobMixin``: keep the job's id in ``task_state_store`` and reconnect to it on a retry.
``durable=False`` reads and writes no record: every try submits, so a retry pays again, and the log says so.

Airflow 3.3+ keeps ``task_state_store`` across tries of a task instance, and across a clear of it (3.3.2 has
no switch to drop it on clear); a new DAG run is a new scope. Before 3.3 there is no store, and a retry
submits again.

Why not ``airflow.sdk.bases.resumablejobmixin.ResumableJobMixin`` itself: it does not fit, for four reasons.

a. It stores only the job's id, so a retry whose request changed (another prompt, a replaced input file)
   would reconnect to the old video; the record here carries the request's fingerprint and submits anew.
b. It submits again after *any* terminal failure. A moderated (status 7) or deleted (6) video would be
   submitted again and fail the same way; here only status 8 (failed on PixVerse's side) submits again, and
   7 and 6 fail the task.
c. It does not exist on Airflow 3.1 and 3.2, which this provider supports (``apache-airflow-providers-common-
   compat`` has a stand-in there that always submits, as this module does without a store).
d. Its ``execute_resumable`` owns the whole try: submit, record, then wait on the worker. Here a submit that
   meets the plan's concurrency limit (500044) may defer and happen in a later run (``resume_submit``),
   outside ``execute``, and the wait may be deferred to the triggerer; so the record is written where the
   submit really happens, in whichever run that is.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pixverse_provider.exceptions import PixVerseConfigurationError

STATE_KEY = "pixverse_submission"
"""task_state_store key of the video a try submitted."""
NOT_DURABLE = (
    "durable=False: no earlier try's video is looked for and this one is not recorded, so every try (a retry "
    "too) submits a new video and pays for it"
)
"""What a task with ``durable=False`` logs before it submits."""


def checked_durable(task_id: str, durable: Any) -> bool:
    """``durable`` if it is a literal ``True`` or ``False``, checked when the DAG is parsed: whether a retry may
    pay again is no template's to decide, and a truthy string (``"False"``) must not pass for ``True``."""
    if not isinstance(durable, bool):
        raise PixVerseConfigurationError(
            f"Task {task_id!r}: durable must be True or False, got {durable!r}. Nothing was sent to PixVerse."
        )
    return durable


def request_fingerprint(mode: str, values: Mapping[str, Any]) -> str:
    """A digest of what a submit would send: the mode, every field, and the identity of each input file.

    A local file is identified by its resolved path, size and modification time (reading a large video
    twice to hash it would cost more than it protects); any other source by its text (URL, URI).
    """
    canonical = json.dumps({"mode": mode, "values": _identities(values)}, sort_keys=True, default=_identity)
    return hashlib.sha256(canonical.encode()).hexdigest()


def remember(store: Any, *, video_id: int, trace_id: str | None, fingerprint: str, durable: bool = True) -> None:
    """Record the submitted video for later tries (nothing without a store, or with ``durable=False``)."""
    if store is not None and durable:
        store.set(STATE_KEY, {"video_id": video_id, "trace_id": trace_id, "fingerprint": fingerprint})


def earlier_submission(
    store: Any, fingerprint: str, log: Any, *, durable: bool = True
) -> tuple[int, str | None] | None:
    """The video an earlier try submitted for this same request, if any (``video_id``, ``trace_id``)."""
    if not durable:
        log.info(NOT_DURABLE)
        return None
    if store is None:
        log.info("No task_state_store (Airflow < 3.3): a retry after a crash submits again")
        return None
    earlier: Any = store.get(STATE_KEY)
    if not isinstance(earlier, dict) or "video_id" not in earlier:
        return None
    if earlier.get("fingerprint") != fingerprint:
        log.info(
            "An earlier try submitted video %s for a different request (the mode, a field or an input file "
            "changed since): submitting this one",
            earlier["video_id"],
        )
        return None
    return int(earlier["video_id"]), earlier.get("trace_id")


def _identities(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _identities(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_identities(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return _local_file(value) if isinstance(value, str) else value
    return _identity(value)


def _identity(value: Any) -> str:
    if isinstance(value, os.PathLike) and not hasattr(value, "protocol"):
        return _local_file(os.fspath(value))
    return f"{type(value).__name__}:{getattr(value, 'name', value)}"


def _local_file(text: str) -> str:
    """A string that names an existing local file carries its size and mtime; any other string is itself."""
    if "://" in text or len(text) > 4096:
        return text
    try:
        stat = Path(text).stat()
    except (OSError, ValueError):
        return text
    if not Path(text).is_file():
        return text
    return f"file:{Path(text).resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
