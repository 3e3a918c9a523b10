"""The HTTP rules both hooks share: headers, envelope and ``Resp`` reading, error mapping and the retry policy.

Kept free of requests and httpx so the sync and async hooks cannot drift apart: each hook only turns its
library's failures into ``PixVerseConnectionError`` (worded by ``connection_failure``) and hands status,
headers and body to ``read_response``.
"""

from __future__ import annotations

import errno
import json
import logging
import random
import socket
import ssl
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

import pendulum
from pydantic import ValidationError
from tenacity import retry_if_exception, stop_after_attempt

from pixverse_provider import __version__
from pixverse_provider.api.responses import Envelope, PixVerseResponse
from pixverse_provider.exceptions import (
    PixVerseAuthenticationError,
    PixVerseConnectionError,
    PixVerseEndpointError,
    PixVerseError,
    PixVerseHTTPError,
    PixVerseProtocolError,
    PixVerseTransientError,
    PixVerseTransportError,
    api_error,
)

if TYPE_CHECKING:
    from tenacity import RetryCallState

    from pixverse_provider.hooks.settings import ApiKey

TRACE_HEADER = "Ai-trace-id"
USER_AGENT = f"airflow-provider-pixverse/{__version__}"
MAX_RETRY_AFTER = 120.0
"""Longest Retry-After honoured; a longer one is capped so a task never sleeps for hours on a header."""

ResponseT = TypeVar("ResponseT", bound=PixVerseResponse)

log = logging.getLogger(__name__)


def new_trace_id() -> str:
    """A fresh ``Ai-trace-id``: PixVerse treats a repeated id on a generation as the same request."""
    return str(uuid.uuid4())


def request_headers(api_key: ApiKey, trace_id: str) -> dict[str, str]:
    return {"API-KEY": api_key.reveal(), TRACE_HEADER: trace_id, "Accept": "application/json", "User-Agent": USER_AGENT}


def read_response(
    model: type[ResponseT],
    status: int,
    headers: Mapping[str, str],
    content: bytes,
    *,
    trace_id: str,
    path: str,
    base_url: str,
) -> ResponseT:
    """The answer as ``model``; any answer that is not a successful one of that shape raises a ``PixVerseError``.

    Both hooks read every answer through this one function, so a malformed answer is a
    ``PixVerseProtocolError`` wherever it arrives (a trigger counts it as a failed poll instead of crashing).
    """
    resp = read_answer(status, headers, content, trace_id=trace_id, path=path, base_url=base_url)
    return parse_resp(model, resp, trace_id=trace_id, path=path)


class HTTPAnswer(Protocol):
    """What ``requests.Response`` and ``httpx.Response`` both offer."""

    @property
    def status_code(self) -> int: ...

    @property
    def headers(self) -> Any: ...

    @property
    def content(self) -> bytes: ...


def read_http(model: type[ResponseT], answer: HTTPAnswer, *, trace_id: str, path: str, base_url: str) -> ResponseT:
    """``read_response`` for a response object of either HTTP library."""
    return read_response(
        model, answer.status_code, answer.headers, answer.content, trace_id=trace_id, path=path, base_url=base_url
    )


def read_answer(
    status: int, headers: Mapping[str, str], content: bytes, *, trace_id: str, path: str, base_url: str
) -> Any:
    """The ``Resp`` of a successful answer; otherwise raise the error that says what went wrong.

    ErrCode ≠ 0 is an error even on HTTP 200, and an envelope on an HTTP error status (PixVerse's upload
    moderation answer is HTTP 500 with lower-case keys) is read for its ErrCode first. A 4xx other than 429
    without an envelope is not PixVerse's answer: ``PixVerseEndpointError``, which names ``base_url + path``.
    """
    envelope = _envelope(content)
    if envelope is not None and envelope.ErrCode != 0:
        raise api_error(envelope.ErrCode, envelope.ErrMsg, trace_id=trace_id, path=path)
    if 400 <= status < 500 and status != 429:
        raise PixVerseEndpointError(
            status, _snippet(content), trace_id=trace_id, path=path, url=base_url + path, base_url=base_url
        )
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


def parse_resp(model: type[ResponseT], resp: Any, *, trace_id: str, path: str) -> ResponseT:
    """``resp`` (an ErrCode 0 answer's ``Resp``) as ``model``; a null or ill-shaped one is a protocol error.

    The message names the fields at fault, never their values.
    """
    try:
        return model.model_validate(resp)
    except ValidationError as exc:
        if resp is None:
            problem = "Resp is null"
        else:
            problems = [
                f"{'.'.join(map(str, error['loc'])) or 'Resp'}: {error['msg']}"
                for error in exc.errors(include_url=False, include_input=False, include_context=False)
            ]
            problem = "; ".join(problems[:3]) + (f"; and {len(problems) - 3} more" if len(problems) > 3 else "")
        raise PixVerseProtocolError(
            f"PixVerse answered ErrCode 0 without a usable {model.__name__} ({problem})", trace_id=trace_id, path=path
        ) from None


class _Answer(NamedTuple):
    """An envelope's three fields, as ``read_answer`` reads them."""

    ErrCode: int
    ErrMsg: str
    Resp: Any


def _envelope(content: bytes) -> _Answer | Envelope | None:
    """The envelope of ``content``, or None when it is not one.

    The usual answer (``ErrCode`` an int, ``ErrMsg`` a string or absent) is read without building an
    ``Envelope`` model: a trigger reads one on every poll. Any other shape goes through ``Envelope.parse``,
    which decides as before (coercion, the lower-case spelling, refusal).
    """
    try:
        body = json.loads(content)
    except ValueError:
        return None
    if type(body) is dict and type(code := body.get("ErrCode")) is int:
        message = body.get("ErrMsg", "")
        if type(message) is str:
            return _Answer(code, message, body.get("Resp"))
    try:
        return Envelope.parse(body)
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


def never(exc: BaseException) -> bool:
    """Retry nothing (``test_connection`` must answer within one request's timeouts)."""
    return False


def was_not_sent(exc: BaseException) -> bool:
    """True only when the request certainly never reached the server, so even a generation may be re-sent."""
    return isinstance(exc, PixVerseConnectionError) and not exc.request_sent


def is_ambiguous_submit(exc: BaseException) -> bool:
    """Whether a failed generation POST may have been accepted, so it must not be sent again.

    The table is in ``PixVerseAmbiguousSubmitError``'s docstring and docs/troubleshooting.rst. An ErrCode
    (PixVerse refused it), a 4xx that is not PixVerse's, and a connection never made are not ambiguous;
    every other failure to read a usable answer is.
    """
    if isinstance(exc, PixVerseEndpointError):
        return False
    if isinstance(exc, PixVerseConnectionError):
        return exc.request_sent
    return isinstance(exc, PixVerseTransportError)


# --- Connection failures in words ------------------------------------------------------------------------


class ConnectionProblem(Enum):
    """What went wrong when no answer came, each with the sentence a user reads first."""

    REFUSED = "nothing is listening at {url}: check the connection's Base URL and port"
    DNS = "the host name of {url} cannot be resolved (DNS): check the connection's Base URL"
    UNREACHABLE = "the network has no route to {url}: check the connection's Base URL and the network"
    TLS = "the TLS (https) handshake with {url} failed: check the Base URL's scheme and the certificates"
    CONNECT_TIMEOUT = (
        "no connection to {url} within the connect timeout: the host is down, or a firewall or proxy drops the traffic"
    )
    READ_TIMEOUT = "{url} accepted the request but sent no answer within the request timeout"
    BROKEN = "the connection to {url} broke before the answer was complete"


def connection_problem(exc: BaseException, *, connect_timeout: bool, read_timeout: bool) -> ConnectionProblem:
    """Classify a library's connection failure; the hook says which timeout it was (only it knows its types)."""
    causes = list(_causes(exc))
    if any(isinstance(c, socket.gaierror) or type(c).__name__ == "NameResolutionError" for c in causes):
        return ConnectionProblem.DNS
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return ConnectionProblem.REFUSED
    if any(isinstance(c, OSError) and c.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH) for c in causes):
        return ConnectionProblem.UNREACHABLE
    if any(isinstance(c, ssl.SSLError) for c in causes):
        return ConnectionProblem.TLS
    if connect_timeout:
        return ConnectionProblem.CONNECT_TIMEOUT
    if read_timeout:
        return ConnectionProblem.READ_TIMEOUT
    return ConnectionProblem.BROKEN


def connection_failure(problem: ConnectionProblem, base_url: str, exc: BaseException, limit: int = 300) -> str:
    """The message of a ``PixVerseConnectionError``: what it means first, then the library's own words."""
    detail = f"{type(exc).__name__}: {exc}"
    if len(detail) > limit:
        detail = detail[:limit] + "…"
    return f"{problem.value.format(url=base_url)} ({detail})"


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and everything behind it: ``__cause__``/``__context__``, urllib3's ``reason``, requests' args,
    the members of an exception group (anyio's "All connection attempts failed")."""
    seen: set[int] = set()
    pending: list[Any] = [exc]
    while pending:
        current = pending.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending.extend([current.__cause__, current.__context__, getattr(current, "reason", None), *current.args])
        members = getattr(current, "exceptions", None)
        if isinstance(members, list | tuple):
            pending.extend(members)


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


def explain_test_failure(exc: PixVerseError, base_url: str) -> str:
    """``test_connection``'s answer: what failed, in words, then the error itself."""
    if isinstance(exc, PixVerseAuthenticationError):
        return f"PixVerse refused the API key (ErrCode {exc.code}); check the connection's password"
    if isinstance(exc, PixVerseConnectionError):
        return f"Cannot reach PixVerse: {exc}"
    if isinstance(exc, PixVerseEndpointError):
        return str(exc)
    if isinstance(exc, PixVerseProtocolError):
        return f"{base_url} did not answer like the PixVerse API; check the Base URL ({exc})"
    if isinstance(exc, PixVerseHTTPError):
        return f"PixVerse at {base_url} answered with an error; try again later ({exc})"
    return str(exc)
