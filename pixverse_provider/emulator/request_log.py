"""The request log and request counts: what clients sent, for tests and the admin API.

An entry never holds headers, so the API key stays out; the app adds the JSON body or the form's field
names and the answer's ErrCode, the middleware the injected fault. The log keeps the last
``REQUEST_LOG_SIZE`` requests; the counts keep them all.
"""

from __future__ import annotations

import fnmatch
import itertools
from collections import deque
from typing import Any

__all__ = ["REQUEST_LOG_SIZE", "RequestLog"]

REQUEST_LOG_SIZE = 2000


class RequestLog:
    """Logged requests, oldest first, and a count per ``"METHOD /path"``.

    Not thread-safe by itself: ``EmulatorState`` calls it under its lock.
    """

    def __init__(self) -> None:
        self._entries: deque[dict[str, Any]] = deque(maxlen=REQUEST_LOG_SIZE)
        self._seq = itertools.count(1)
        self.counts: dict[str, int] = {}

    def record(self, method: str, path: str, trace_id: str | None, query: str, now: float) -> dict[str, Any]:
        """Count a request and start its log entry, which the caller may fill in later."""
        key = f"{method} {path}"
        self.counts[key] = self.counts.get(key, 0) + 1
        entry: dict[str, Any] = {
            "seq": next(self._seq),
            "time": now,
            "method": method,
            "path": path,
            "query": query,
            "trace_id": trace_id,
            "body": None,
            "form_fields": None,
            "err_code": None,
            "fault": None,
        }
        self._entries.append(entry)
        return entry

    def entries(self, path: str | None = None) -> list[dict[str, Any]]:
        """Copies of the logged requests, oldest first; ``path`` is a path or glob."""
        return [
            dict(e) for e in self._entries if path is None or e["path"] == path or fnmatch.fnmatchcase(e["path"], path)
        ]
