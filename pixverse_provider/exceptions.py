"""Errors a PixVerse task can fail with, one class per failure a user must tell apart.

Everything derives from ``PixVerseError``. Classes that also derive from ``AirflowFailException`` fail the
task without using its retries: retrying cannot help (a refused parameter, a moderated video).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pixverse_provider._compat import AirflowException, AirflowFailException
from pixverse_provider.api import DEFAULT_BASE_URL, ErrorKind, describe

if TYPE_CHECKING:
    from pixverse_provider.api.validation import FieldProblem


class PixVerseError(AirflowException):
    """Base of every error raised by this provider."""


class PixVerseConfigurationError(PixVerseError, AirflowFailException):
    """The ``pixverse`` connection is unusable (no API key, a bad base URL, a bad extra)."""


class PixVerseInvalidRequestError(PixVerseError, AirflowFailException):
    """A request PixVerse would refuse, caught before anything was sent. ``problems`` names the fields."""

    def __init__(self, mode: str, problems: list[FieldProblem]) -> None:
        self.mode = mode
        self.problems = problems
        super().__init__(f"Invalid {mode} request: " + "; ".join(map(str, problems)))


class PixVerseCreditGuardError(PixVerseError, AirflowFailException):
    """A generation was not submitted because it would cost more than allowed or than the balance holds."""


# --- The API answered with a non-zero ErrCode ------------------------------------------------------------


class PixVerseAPIError(PixVerseError):
    """PixVerse answered with ErrCode ≠ 0. ``code``, ``api_message`` and ``trace_id`` identify the call."""

    def __init__(self, code: int, api_message: str, *, trace_id: str, path: str) -> None:
        self.code = code
        self.api_message = api_message
        self.trace_id = trace_id
        self.path = path
        meaning = describe(code).message
        super().__init__(f"PixVerse error {code} ({meaning}) on {path}: {api_message} [Ai-trace-id {trace_id}]")


class PixVerseAuthenticationError(PixVerseAPIError, AirflowFailException):
    """The API key was refused."""


class PixVerseRequestRejectedError(PixVerseAPIError, AirflowFailException):
    """The server refused a parameter (400xxx, upload format or size errors)."""


class PixVerseNotFoundError(PixVerseAPIError, AirflowFailException):
    """An id (video, image, media) does not exist for this account."""


class PixVersePermissionError(PixVerseAPIError, AirflowFailException):
    """The account may not do this."""


class PixVerseContentModerationError(PixVerseAPIError, AirflowFailException):
    """An input (prompt, image, video) was refused by moderation at submit time."""


class PixVerseTemplateError(PixVerseAPIError, AirflowFailException):
    """An effect template is not activated, or does not support the requested quality."""


class PixVerseInsufficientCreditsError(PixVerseAPIError, AirflowFailException):
    """The account has too few credits for this generation."""


class PixVerseConcurrencyLimitError(PixVerseAPIError):
    """The plan's limit of concurrent generations is reached (500044); a slot frees when a job ends."""


class PixVerseTransientError(PixVerseAPIError):
    """PixVerse is overloaded or had an internal error (500069, 500100); asking again later can work."""


_ERRORS_BY_KIND: dict[ErrorKind, type[PixVerseAPIError]] = {
    ErrorKind.AUTHENTICATION: PixVerseAuthenticationError,
    ErrorKind.INVALID_REQUEST: PixVerseRequestRejectedError,
    ErrorKind.NOT_FOUND: PixVerseNotFoundError,
    ErrorKind.PERMISSION: PixVersePermissionError,
    ErrorKind.MODERATION: PixVerseContentModerationError,
    ErrorKind.TEMPLATE: PixVerseTemplateError,
    ErrorKind.CONCURRENCY_LIMIT: PixVerseConcurrencyLimitError,
    ErrorKind.INSUFFICIENT_CREDITS: PixVerseInsufficientCreditsError,
    ErrorKind.TRANSIENT: PixVerseTransientError,
    ErrorKind.UNKNOWN: PixVerseAPIError,
}


def api_error(code: int, api_message: str, *, trace_id: str, path: str) -> PixVerseAPIError:
    """The exception for an ErrCode, by its kind in the error table."""
    cls = _ERRORS_BY_KIND[describe(code).kind]
    return cls(code, api_message, trace_id=trace_id, path=path)


# --- Transport: the answer never came, or was not a PixVerse answer ---------------------------------------


class PixVerseTransportError(PixVerseError):
    """No usable answer: connection failure, timeout, HTTP error or a body that is not PixVerse's envelope."""

    def __init__(self, message: str, *, trace_id: str, path: str, retry_after: float | None = None) -> None:
        self.trace_id = trace_id
        self.path = path
        self.retry_after = retry_after
        super().__init__(f"{message} on {path} [Ai-trace-id {trace_id}]")


class PixVerseConnectionError(PixVerseTransportError):
    """The connection failed or broke; ``request_sent`` is False only when nothing can have reached PixVerse."""

    def __init__(self, message: str, *, trace_id: str, path: str, request_sent: bool = True) -> None:
        self.request_sent = request_sent
        super().__init__(message, trace_id=trace_id, path=path)


class PixVerseHTTPError(PixVerseTransportError):
    """An HTTP error status without a PixVerse envelope (5xx, 429); asking again later can work."""

    def __init__(self, status: int, message: str, *, trace_id: str, path: str, retry_after: float | None = None):
        self.status = status
        super().__init__(f"HTTP {status}: {message}", trace_id=trace_id, path=path, retry_after=retry_after)


class PixVerseEndpointError(PixVerseHTTPError, AirflowFailException):
    """An HTTP 4xx (other than 429) without a PixVerse envelope: the answer is not PixVerse's.

    The request reached something that is not the PixVerse API: usually a wrong path in the connection's Base
    URL, sometimes a proxy that refuses it. Asking again gets the same answer, so neither the hook nor
    Airflow retries; ``url`` is the full URL that was asked, and the message names it.
    """

    def __init__(self, status: int, message: str, *, trace_id: str, path: str, url: str, base_url: str) -> None:
        self.url = url
        self.base_url = base_url
        super().__init__(
            status,
            f"{url} did not answer like the PixVerse API; check the connection's Base URL "
            f"(now {base_url}; PixVerse's is {DEFAULT_BASE_URL}). Answer: {message}",
            trace_id=trace_id,
            path=path,
        )


class PixVerseProtocolError(PixVerseTransportError):
    """The answer is not usable: not a PixVerse API envelope (malformed JSON, no ErrCode: a wrong host or a
    broken proxy), or an ErrCode 0 envelope whose ``Resp`` is null or not the shape the endpoint returns."""


class PixVerseAmbiguousSubmitError(PixVerseTransportError, AirflowFailException):
    """A generation request failed in a way that does not tell whether PixVerse accepted it.

    It is not retried, since a retry could pay twice; look the trace id up with PixVerse support, or check
    the account's recent videos, before running the task again. The answers to a generation POST (video,
    image template, mask selection) and what each one raises:

    - ErrCode 0 with a valid Resp: success, no error.
    - ErrCode 0 with a null or ill-shaped Resp: ambiguous.
    - A non-zero ErrCode (any HTTP status): not ambiguous, the PixVerseAPIError of the code.
    - HTTP 2xx or 3xx without a PixVerse envelope: ambiguous.
    - HTTP 429 without a PixVerse envelope: ambiguous.
    - HTTP 5xx without a PixVerse envelope: ambiguous.
    - HTTP 4xx other than 429 without a PixVerse envelope: not ambiguous, PixVerseEndpointError.
    - No connection (refused, DNS failure, connect timeout): not ambiguous, PixVerseConnectionError.
    - A read timeout or a connection broken after sending: ambiguous.

    Only "no connection" is sent again by the hook (with the same trace id, nothing reached PixVerse).
    """


# --- A video reached a final state other than success ------------------------------------------------------


class PixVerseVideoError(PixVerseError):
    """A video ended without a result. ``video_id`` and the submit's ``trace_id`` identify it."""

    def __init__(self, message: str, *, video_id: int, trace_id: str | None = None) -> None:
        self.video_id = video_id
        self.trace_id = trace_id
        suffix = f" [submit Ai-trace-id {trace_id}]" if trace_id else ""
        super().__init__(f"Video {video_id}: {message}{suffix}")


class PixVerseVideoModerationError(PixVerseVideoError, AirflowFailException):
    """Status 7: the result failed content moderation; PixVerse refunds its credits."""


class PixVerseVideoDeletedError(PixVerseVideoError, AirflowFailException):
    """Status 6: the video was deleted."""


class PixVerseVideoFailedError(PixVerseVideoError):
    """Status 8: generation failed on PixVerse's side; a task retry submits again."""


class PixVerseVideoTimeoutError(PixVerseVideoError):
    """The video did not finish before the deadline."""


class PixVerseTriggerError(PixVerseVideoError):
    """The trigger could not read the video's status (too many failed polls in a row)."""


class PixVerseTriggerEventError(PixVerseError):
    """A task resumed with a trigger event of an unknown shape (e.g. one written by another version of this
    provider). Nothing about the video is concluded from it; a retry waits for the video again (and a
    generation task resumes the video it paid for instead of submitting a new one)."""
