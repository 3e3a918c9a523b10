"""The HTTP rules both hooks share: headers, envelope reading, error mapping and the retry policy.

Kept free of requests and httpx so the sync and async hooks cannot drift apart: each hook only turns its
library's failures into ``PixVerseConnectionError`` and hands status, headers and body to ``read_answer``.
"""

from __future__ import annotations

import json
import logging
import random
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

import pendulum
from tenacity import retry_if_exception, stop_after_attempt

from pixverse_provider import __version__
from pixverse_provider.api.responses import Envelope
from pixverse_provider.exceptions import (
    PixVerseConnectionError,
    PixVerseError,
    PixVerseHTTPError,
    PixVerseProtocolError,
    PixVerseTransientError,
    api_error,
)

if TYPE_CHECKING:
    from tenacity import RetryCallState

    from pixverse_provider.hooks.settings import ApiKey

TRACE_HEADER = "Ai-trace-id"
USER_AGENT = f"airflow-provider-pixverse/{__version__}"
MAX_RETRY_AFTER = 120.0
"""Longest Retry-After honoured; a longer one is capped so a task never sleeps for hours on a header."""

log = logging.getLogger(__name__)


def new_trace_id() -> str:
    """A fresh ``Ai-trace-id``: PixVerse treats a repeated id on a generation as the same request."""
    return str(uuid.uuid4())


def request_headers(api_key: ApiKey, trace_id: str) -> dict[str, str]:
    return {"API-KEY": api_key.reveal(), TRACE_HEADER: trace_id, "Accept": "application/json", "User-Agent": USER_AGENT}


def read_answer(status: int, headers: Mapping[str, str], content: bytes, *, trace_id: str, path: str) -> Any:
    """The ``Resp`` of a successful answer; otherwise raise the error that says what went wrong.

    ErrCode ≠ 0 is an error even on HTTP 200, and an envelope on an HTTP error status (PixVerse's upload
    moderation answer is HTTP 500 with lower-case keys) is read for its ErrCode first.
    """
    envelope = _envelope(content)
    if envelope is not None and envelope.ErrCode != 0:
        raise api_error(envelope.ErrCode, envelope.ErrMsg, trace_id=trace_id, path=path)
    if status >= 400:
        retry_after = parse_retry_after(headers.get("Retry-After"))
        raise PixVerseHTTPError(status, _snippet(content), trace_id=trace_id, path=path, retry_after=retry_after)
    if envelope is None:
        raise PixVerseProtocolError(
            "the answer is not a PixVerse API envelope (check the connection's Base URL): " + _snippet(content),
            trace_id=trace_id,
            path=path,
        )
    return envelope.Resp


def _envelope(content: bytes) -> Envelope | None:
    try:
        return Envelope.parse(json.loads(content))
    except ValueError:
        return None


def _snippet(content: bytes, limit: int = 200) -> str:
    text = content[:limit].decode("utf-8", "replace").strip()
    return repr(text) if text else "empty body"


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), capped at ``MAX_RETRY_AFTER``."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = (parsedate_to_datetime(value) - pendulum.now("UTC")).total_seconds()
        except (TypeError, ValueError):
            return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def is_transient(exc: BaseException) -> bool:
    """Failures worth asking again for a read: connection trouble, 5xx, 429, 500069 and 500100."""
    if isinstance(exc, PixVerseConnectionError | PixVerseTransientError):
        return True
    return isinstance(exc, PixVerseHTTPError) and (exc.status == 429 or exc.status >= 500)


def was_not_sent(exc: BaseException) -> bool:
    """True only when the request certainly never reached the server, so even a generation may be re-sent."""
    return isinstance(exc, PixVerseConnectionError) and not exc.request_sent


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff with jitter that honours Retry-After; one policy for both hooks."""

    max_retries: int
    initial_wait: float = 1.0
    max_wait: float = 30.0

    def wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            return float(retry_after)
        backoff = min(self.max_wait, self.initial_wait * 2 ** (state.attempt_number - 1))
        return backoff * random.uniform(0.5, 1.0)

    def tenacity_kwargs(self, retryable: Callable[[BaseException], bool] = is_transient) -> dict[str, Any]:
        """Arguments for ``tenacity.Retrying`` or ``AsyncRetrying``."""
        return {
            "stop": stop_after_attempt(self.max_retries + 1),
            "wait": self.wait,
            "retry": retry_if_exception(retryable),
            "reraise": True,
            "before_sleep": _log_retry,
        }


def _log_retry(state: RetryCallState) -> None:
    exc = state.outcome.exception() if state.outcome else None
    wait = state.next_action.sleep if state.next_action else 0
    reason = str(exc) if isinstance(exc, PixVerseError) else type(exc).__name__
    log.warning("PixVerse request failed (attempt %d), retrying in %.1fs: %s", state.attempt_number, wait, reason)
