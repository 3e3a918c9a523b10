"""The transport rules shared by both hooks, without a network: envelopes, error mapping, Retry-After, multipart."""

from __future__ import annotations

import email.parser
import io
import json

import pytest

from pixverse_provider.api import ERROR_CODES, ErrorKind
from pixverse_provider.exceptions import (
    PixVerseAPIError,
    PixVerseAuthenticationError,
    PixVerseConcurrencyLimitError,
    PixVerseContentModerationError,
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
from pixverse_provider.hooks.transport import is_transient, parse_retry_after, read_answer


def answer(status: int, body: object, headers: dict[str, str] | None = None) -> object:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return read_answer(status, headers or {}, content, trace_id="t-1", path="/openapi/v2/x")


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
    assert err.value.retry_after == 3.0


def test_http_401_is_not_transient() -> None:
    with pytest.raises(PixVerseHTTPError) as err:
        answer(401, b"no")
    assert not is_transient(err.value)


@pytest.mark.parametrize("body", [b"<html>hi</html>", b"", b'{"status": "ok"}', b"[1, 2]"])
def test_a_body_that_is_not_an_envelope_is_a_protocol_error(body: bytes) -> None:
    with pytest.raises(PixVerseProtocolError, match="not a PixVerse API envelope"):
        answer(200, body)


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
