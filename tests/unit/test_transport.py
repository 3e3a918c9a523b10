"""The transport rules shared by both hooks, without a network: envelopes, error mapping, Retry-After, multipart,
the classification of failed generation requests and the words for connection failures."""

from __future__ import annotations

import email.parser
import errno
import inspect
import io
import json
import socket
import ssl
from collections.abc import Callable
from pathlib import Path

import pytest

from pixverse_provider._compat import AirflowFailException
from pixverse_provider.api import ERROR_CODES, ErrorKind
from pixverse_provider.api.responses import CreditBalance, SubmittedVideo, VideoRecord
from pixverse_provider.exceptions import (
    PixVerseAmbiguousSubmitError,
    PixVerseAPIError,
    PixVerseAuthenticationError,
    PixVerseConcurrencyLimitError,
    PixVerseConnectionError,
    PixVerseContentModerationError,
    PixVerseEndpointError,
    PixVerseError,
    PixVerseHTTPError,
    PixVerseInsufficientCreditsError,
    PixVerseNotFoundError,
    PixVerseProtocolError,
    PixVerseRequestRejectedError,
    PixVerseTemplateError,
    PixVerseTransientError,
    api_error,
)
from pixverse_provider.hooks.multipart import StreamingMultipart
from pixverse_provider.hooks.transport import (
    ConnectionProblem,
    connection_failure,
    connection_problem,
    is_ambiguous_submit,
    is_transient,
    parse_retry_after,
    read_answer,
    read_response,
)

BASE_URL = "http://127.0.0.1:8787/wrongprefix"
REPO_ROOT = Path(__file__).resolve().parents[2]


def content_of(body: object) -> bytes:
    return body if isinstance(body, bytes) else json.dumps(body).encode()


def answer(status: int, body: object, headers: dict[str, str] | None = None) -> object:
    return read_answer(status, headers or {}, content_of(body), trace_id="t-1", path="/openapi/v2/x", base_url=BASE_URL)


def answer_as(model: type, status: int, body: object) -> object:
    return read_response(model, status, {}, content_of(body), trace_id="t-1", path="/openapi/v2/x", base_url=BASE_URL)


def test_success_returns_resp() -> None:
    assert answer(200, {"ErrCode": 0, "ErrMsg": "success", "Resp": {"video_id": 1}}) == {"video_id": 1}


def test_error_code_on_http_200_is_an_error() -> None:
    with pytest.raises(PixVerseInsufficientCreditsError) as err:
        answer(200, {"ErrCode": 500090, "ErrMsg": "balance not enough", "Resp": None})
    assert err.value.code == 500090 and err.value.trace_id == "t-1"
    assert "balance not enough" in str(err.value) and "t-1" in str(err.value)


def test_lower_case_envelope_on_http_500_is_read_for_its_code() -> None:
    with pytest.raises(PixVerseContentModerationError) as err:
        answer(500, {"err_code": 500052, "err_msg": "image failed review", "resp": ""})
    assert err.value.code == 500052


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_http_errors_without_envelope_are_transient(status: int) -> None:
    with pytest.raises(PixVerseHTTPError) as err:
        answer(status, b"upstream unavailable", {"Retry-After": "3"})
    assert err.value.status == status
    assert is_transient(err.value)
    assert not isinstance(err.value, AirflowFailException | PixVerseEndpointError)
    assert err.value.retry_after == 3.0


@pytest.mark.parametrize("status", [400, 401, 403, 404, 405, 418])
def test_a_4xx_without_envelope_is_not_pixverse_and_fails_at_once(status: int) -> None:
    with pytest.raises(PixVerseEndpointError) as err:
        answer(status, {"detail": "Not Found"})
    assert err.value.status == status
    assert not is_transient(err.value)
    assert isinstance(err.value, AirflowFailException)  # Airflow does not retry the task either
    message = str(err.value)
    assert f"{BASE_URL}/openapi/v2/x" in message  # the full URL, prefix included
    assert "check the connection's Base URL" in message


def test_a_4xx_with_an_envelope_is_pixverses_error() -> None:
    with pytest.raises(PixVerseNotFoundError):
        answer(404, {"ErrCode": 500008, "ErrMsg": "not found", "Resp": None})


@pytest.mark.parametrize("body", [b"<html>hi</html>", b"", b'{"status": "ok"}', b"[1, 2]"])
def test_a_body_that_is_not_an_envelope_is_a_protocol_error(body: bytes) -> None:
    with pytest.raises(PixVerseProtocolError, match="not a PixVerse API envelope"):
        answer(200, body)


@pytest.mark.parametrize(
    ("model", "resp", "named"),
    [
        (VideoRecord, None, "Resp is null"),
        (VideoRecord, [], "VideoRecord"),
        (VideoRecord, "ok", "VideoRecord"),
        (VideoRecord, {"id": 1}, "status"),
        (VideoRecord, {"id": "x", "status": 1}, "id"),
        (CreditBalance, {}, "account_id"),
        (SubmittedVideo, {"credits": 45}, "video_id"),
    ],
)
def test_errcode_0_with_a_null_or_ill_shaped_resp_is_a_protocol_error(model: type, resp: object, named: str) -> None:
    with pytest.raises(PixVerseProtocolError) as err:
        answer_as(model, 200, {"ErrCode": 0, "ErrMsg": "success", "Resp": resp})
    assert "ErrCode 0" in str(err.value) and named in str(err.value)
    assert err.value.trace_id == "t-1" and "t-1" in str(err.value)
    assert not is_transient(err.value)


def test_a_bad_resp_message_names_fields_never_values() -> None:
    with pytest.raises(PixVerseProtocolError) as err:
        answer_as(VideoRecord, 200, {"ErrCode": 0, "Resp": {"id": "secret-looking-value", "status": 1}})
    assert "secret-looking-value" not in str(err.value)


def test_a_well_shaped_resp_is_read_as_the_model() -> None:
    record = answer_as(VideoRecord, 200, {"ErrCode": 0, "ErrMsg": "success", "Resp": {"id": 7, "status": 5}})
    assert isinstance(record, VideoRecord) and (record.id, record.status) == (7, 5)


EXPECTED_CLASS = {
    ErrorKind.AUTHENTICATION: PixVerseAuthenticationError,
    ErrorKind.INVALID_REQUEST: PixVerseRequestRejectedError,
    ErrorKind.NOT_FOUND: PixVerseNotFoundError,
    ErrorKind.MODERATION: PixVerseContentModerationError,
    ErrorKind.TEMPLATE: PixVerseTemplateError,
    ErrorKind.CONCURRENCY_LIMIT: PixVerseConcurrencyLimitError,
    ErrorKind.INSUFFICIENT_CREDITS: PixVerseInsufficientCreditsError,
    ErrorKind.TRANSIENT: PixVerseTransientError,
}


@pytest.mark.parametrize("code", sorted(ERROR_CODES))
def test_every_documented_error_code_maps_to_its_class(code: int) -> None:
    error = api_error(code, "msg", trace_id="t", path="/p")
    expected = EXPECTED_CLASS.get(ERROR_CODES[code].kind, PixVerseAPIError)
    assert type(error) is expected or (expected is PixVerseAPIError and isinstance(error, PixVerseAPIError))
    assert error.code == code


def test_transient_codes_are_retried_and_others_not() -> None:
    assert is_transient(api_error(500069, "", trace_id="t", path="/p"))
    assert is_transient(api_error(500100, "", trace_id="t", path="/p"))
    assert not is_transient(api_error(500044, "", trace_id="t", path="/p"))
    assert not is_transient(api_error(400017, "", trace_id="t", path="/p"))


@pytest.mark.parametrize(
    ("header", "seconds"), [("2", 2.0), ("0.5", 0.5), ("-3", 0.0), ("9999", 120.0), ("soon", None), (None, None)]
)
def test_retry_after_parsing(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header) == seconds


def test_retry_after_as_http_date_in_the_past_means_now() -> None:
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_streaming_multipart_is_a_valid_form_read_in_small_chunks() -> None:
    payload = bytes(range(256)) * 1000
    body = StreamingMultipart({"note": "hi"}, "file", 'clip "1".mp4', io.BytesIO(payload), len(payload), "video/mp4")
    chunks = []
    while chunk := body.read(4096):
        assert len(chunk) <= 4096
        chunks.append(chunk)
    raw = b"".join(chunks)
    assert len(raw) == len(body)
    message = email.parser.BytesParser().parsebytes(b"Content-Type: " + body.content_type.encode() + b"\r\n\r\n" + raw)
    parts = {part.get_param("name", header="content-disposition"): part for part in message.get_payload()}
    assert parts["note"].get_payload(decode=True) == b"hi"
    assert parts["file"].get_payload(decode=True) == payload
    assert parts["file"].get_content_type() == "video/mp4"


# --- Which failed generation requests are ambiguous ---------------------------------------------------------


def failure_of(status: int, body: object) -> Callable[[], PixVerseError | None]:
    def produce() -> PixVerseError | None:
        try:
            answer_as(SubmittedVideo, status, body)
        except PixVerseError as exc:
            return exc
        return None

    return produce


def connection_failure_of(request_sent: bool) -> Callable[[], PixVerseError]:
    return lambda: PixVerseConnectionError("x", trace_id="t-1", path="/p", request_sent=request_sent)


SUBMIT_ANSWERS: dict[str, tuple[Callable[[], PixVerseError | None], type[PixVerseError] | None, bool]] = {
    # case, as worded in PixVerseAmbiguousSubmitError's docstring and troubleshooting.rst: (answer, raised, ambiguous)
    "ErrCode 0 with a valid Resp": (failure_of(200, {"ErrCode": 0, "Resp": {"video_id": 1}}), None, False),
    "ErrCode 0 with a null or ill-shaped Resp": (
        failure_of(200, {"ErrCode": 0, "ErrMsg": "success", "Resp": None}),
        PixVerseProtocolError,
        True,
    ),
    "A non-zero ErrCode (any HTTP status)": (
        failure_of(500, {"err_code": 500052, "err_msg": "review", "resp": ""}),
        PixVerseAPIError,
        False,
    ),
    "HTTP 2xx or 3xx without a PixVerse envelope": (failure_of(200, b"<html></html>"), PixVerseProtocolError, True),
    "HTTP 429 without a PixVerse envelope": (failure_of(429, b"slow down"), PixVerseHTTPError, True),
    "HTTP 5xx without a PixVerse envelope": (failure_of(502, b"bad gateway"), PixVerseHTTPError, True),
    "HTTP 4xx other than 429 without a PixVerse envelope": (
        failure_of(404, {"detail": "Not Found"}),
        PixVerseEndpointError,
        False,
    ),
    "No connection (refused, DNS failure, connect timeout)": (
        connection_failure_of(False),
        PixVerseConnectionError,
        False,
    ),
    "A read timeout or a connection broken after sending": (connection_failure_of(True), PixVerseConnectionError, True),
}


@pytest.mark.parametrize("case", list(SUBMIT_ANSWERS))
def test_submit_failure_classification(case: str) -> None:
    produce, raised, ambiguous = SUBMIT_ANSWERS[case]
    failure = produce()
    if raised is None:
        assert failure is None
        return
    assert isinstance(failure, raised)
    assert is_ambiguous_submit(failure) is ambiguous


def documented_cases(lines: list[str]) -> dict[str, bool]:
    """``- <case>: <verdict>`` bullets: case → whether the verdict says ambiguous."""
    cases = {}
    for line in lines:
        if line.startswith("- ") and ": " in line:
            case, verdict = line[2:].split(": ", 1)
            cases[case] = verdict.startswith("ambiguous")
    return cases


def test_the_ambiguous_submit_docstring_lists_the_classification() -> None:
    doc = inspect.getdoc(PixVerseAmbiguousSubmitError) or ""
    expected = {case: ambiguous for case, (_, _, ambiguous) in SUBMIT_ANSWERS.items()}
    assert documented_cases(doc.splitlines()) == expected


def rst_table_after(text: str, label: str) -> list[list[str]]:
    """The rows (lists of cell texts) of the first list-table after ``label`` in an rst text."""
    lines = text.split(label, 1)[1].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(".. list-table::"))
    rows: list[list[str]] = []
    for line in lines[start + 1 :]:
        if line.strip() and not line.startswith(" "):
            break  # the end of the directive's body
        stripped = line.strip()
        if stripped.startswith("* - "):
            rows.append([stripped[4:]])
        elif stripped.startswith("- ") and rows:
            rows[-1].append(stripped[2:])
        elif stripped and rows and not stripped.startswith(":"):
            rows[-1][-1] += " " + stripped  # a cell continued on the next line
    return rows


def test_troubleshooting_lists_the_same_classification() -> None:
    text = (REPO_ROOT / "docs" / "troubleshooting.rst").read_text(encoding="utf-8")
    header, *rows = rst_table_after(text, ".. _ambiguous-submit:")
    assert header[:2] == ["Answer to a generation POST", "Ambiguous?"]
    documented = {row[0]: row[1].lower().startswith("yes") for row in rows}
    assert documented == {case: ambiguous for case, (_, _, ambiguous) in SUBMIT_ANSWERS.items()}


# --- Connection failures in words ---------------------------------------------------------------------------


def chained(outer: BaseException, inner: BaseException) -> BaseException:
    outer.__cause__ = inner
    return outer


@pytest.mark.parametrize(
    ("failure", "timeouts", "problem"),
    [
        (chained(OSError("pool"), ConnectionRefusedError(errno.ECONNREFUSED, "refused")), {}, "REFUSED"),
        (chained(OSError("pool"), socket.gaierror(-2, "Name or service not known")), {}, "DNS"),
        (chained(OSError("pool"), OSError(errno.EHOSTUNREACH, "No route to host")), {}, "UNREACHABLE"),
        (chained(OSError("pool"), ssl.SSLError(1, "CERTIFICATE_VERIFY_FAILED")), {}, "TLS"),
        (TimeoutError("timed out"), {"connect_timeout": True}, "CONNECT_TIMEOUT"),
        (TimeoutError("timed out"), {"read_timeout": True}, "READ_TIMEOUT"),
        (ConnectionResetError(errno.ECONNRESET, "reset"), {}, "BROKEN"),
    ],
)
def test_connection_problems_are_told_apart(failure: BaseException, timeouts: dict[str, bool], problem: str) -> None:
    found = connection_problem(failure, **{"connect_timeout": False, "read_timeout": False, **timeouts})
    assert found is ConnectionProblem[problem]


def test_connection_failure_says_what_it_means_first_then_keeps_the_detail() -> None:
    failure = chained(
        OSError("HTTPConnectionPool(host='127.0.0.1', port=1): Max retries exceeded"), ConnectionRefusedError()
    )
    problem = connection_problem(failure, connect_timeout=False, read_timeout=False)
    message = connection_failure(problem, "http://127.0.0.1:1", failure)
    assert message.startswith("nothing is listening at http://127.0.0.1:1: check the connection's Base URL")
    assert "Max retries exceeded" in message
