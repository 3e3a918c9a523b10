"""Faults to inject: make the next N matching requests fail the way networks and overloaded servers do.

``Fault`` says what to do to which requests; ``FaultQueue`` holds the pending ones and hands out the first
that matches a request, counting it down. The ``middleware`` applies them; the admin API and
``EmulatorServer.inject`` add them.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from pixverse_provider.api import errors

__all__ = ["FAULT_KINDS", "Fault", "FaultQueue"]

FAULT_KINDS = ("status", "retry_after", "slow", "drop", "malformed", "err_code", "null_resp")


@dataclass(frozen=True)
class Fault:
    """One fault to inject into the next ``count`` requests whose path matches ``path`` (a path or glob).

    - ``status``: HTTP ``status`` with a plain-text body (no envelope);
    - ``retry_after``: HTTP 429 with a ``Retry-After: <retry_after>`` header;
    - ``slow``: wait ``delay`` seconds, then answer normally;
    - ``drop``: announce a Content-Length, send part of the body and close the connection;
    - ``malformed``: HTTP 200 with a body that claims to be JSON but is not;
    - ``err_code``: HTTP 200 envelope with ErrCode ``err_code``; the request has no other effect.
    - ``null_resp``: HTTP 200 ``{"ErrCode": 0, "ErrMsg": "success", "Resp": null}``: success without the
      answer's content; the request has no other effect.
    """

    path: str
    kind: str
    count: int = 1
    method: str | None = None
    status: int = 503
    retry_after: int = 1
    delay: float = 1.0
    err_code: int = errors.HIGH_LOAD

    def __post_init__(self) -> None:
        problem = self._problem()
        if problem:
            raise ValueError(problem)

    def _problem(self) -> str:
        if not isinstance(self.path, str) or not self.path.startswith(("/", "*")):
            return "path must be a path or glob starting with '/' or '*'"
        if self.kind not in FAULT_KINDS:
            return f"kind must be one of {', '.join(FAULT_KINDS)}"
        if not isinstance(self.count, int) or isinstance(self.count, bool) or self.count < 1:
            return "count must be a positive integer"
        if self.method is not None and (not isinstance(self.method, str) or not self.method.isalpha()):
            return "method must be an HTTP method such as GET or POST"
        if not isinstance(self.status, int) or not 100 <= self.status <= 599:
            return "status must be an HTTP status code (100-599)"
        if not isinstance(self.retry_after, int) or isinstance(self.retry_after, bool) or self.retry_after < 0:
            return "retry_after must be a whole number of seconds >= 0"
        if not isinstance(self.delay, (int, float)) or isinstance(self.delay, bool) or not 0 <= self.delay <= 600:
            return "delay must be a number of seconds between 0 and 600"
        if not isinstance(self.err_code, int) or isinstance(self.err_code, bool) or self.err_code == 0:
            return "err_code must be a non-zero integer"
        return ""

    @classmethod
    def from_json(cls, data: Any) -> Fault:
        """Build a fault from the admin API's JSON; ``ValueError`` names what is wrong."""
        if not isinstance(data, Mapping):
            raise ValueError("the body must be a JSON object")
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown fault field(s): {', '.join(sorted(unknown))}")
        if "path" not in data or "kind" not in data:
            raise ValueError("path and kind are required")
        return cls(**dict(data))

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return path == self.path or fnmatch.fnmatchcase(path, self.path)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class FaultQueue:
    """The pending faults, each with how many more requests it will hit, and how many were injected.

    Not thread-safe by itself: ``EmulatorState`` calls it under its lock.
    """

    def __init__(self) -> None:
        self._pending: list[list[Any]] = []  # [Fault, remaining]
        self.injected = 0

    def add(self, fault: Fault) -> None:
        self._pending.append([fault, fault.count])

    def take(self, method: str, path: str) -> Fault | None:
        """The first pending fault for this request, counting it down (None: answer normally)."""
        for pending in self._pending:
            fault, remaining = pending
            if fault.matches(method, path):
                pending[1] = remaining - 1
                if pending[1] <= 0:
                    self._pending.remove(pending)
                self.injected += 1
                return fault
        return None

    def remaining(self) -> int:
        """How many more requests the pending faults will hit."""
        return sum(remaining for _, remaining in self._pending)

    def pending(self) -> list[dict[str, Any]]:
        """The pending faults as JSON, each with ``remaining``."""
        return [{**fault.to_json(), "remaining": remaining} for fault, remaining in self._pending]

    def clear(self) -> int:
        """Drop every pending fault; returns how many requests they would still have hit."""
        cleared = self.remaining()
        self._pending.clear()
        return cleared
