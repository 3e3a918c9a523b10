"""Resume instead of paying twice: the record a try leaves in ``task_state_store``, tied to its request.

A generation task that submitted a video records ``{video_id, trace_id, fingerprint}`` under ``STATE_KEY``.
A later try of the same task instance (an Airflow retry, or a run after a worker died) resumes that video
only when it would send the same request: same mode, same fields, same input files. A changed prompt or
a replaced input file is a new request, so it is submitted and paid for; the log says why.

Airflow 3.3+ keeps ``task_state_store`` across tries of a task instance. Clearing the task instance keeps it
too unless the clear asks otherwise (``keep_task_state``); before 3.3 there is no store, and a retry submits
again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

STATE_KEY = "pixverse_submission"
"""task_state_store key of the video a try submitted."""


def request_fingerprint(mode: str, values: Mapping[str, Any]) -> str:
    """A digest of what a submit would send: the mode, every field, and the identity of each input file.

    A local file is identified by its resolved path, size and modification time (reading a large video
    twice to hash it would cost more than it protects); any other source by its text (URL, URI).
    """
    canonical = json.dumps({"mode": mode, "values": _identities(values)}, sort_keys=True, default=_identity)
    return hashlib.sha256(canonical.encode()).hexdigest()


def remember(store: Any, *, video_id: int, trace_id: str | None, fingerprint: str) -> None:
    if store is not None:
        store.set(STATE_KEY, {"video_id": video_id, "trace_id": trace_id, "fingerprint": fingerprint})


def earlier_submission(store: Any, fingerprint: str, log: Any) -> tuple[int, str | None] | None:
    """The video an earlier try submitted for this same request, if any (``video_id``, ``trace_id``)."""
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
