"""Transport rules under injected faults: reads are retried a bounded number of times, generations never."""

from __future__ import annotations

import time

import pytest

from pixverse_provider._compat import AirflowFailException
from pixverse_provider.api import Endpoint
from pixverse_provider.exceptions import (
    PixVerseAmbiguousSubmitError,
    PixVerseConcurrencyLimitError,
    PixVerseConnectionError,
    PixVerseEndpointError,
    PixVerseHTTPError,
    PixVerseProtocolError,
    PixVerseTransientError,
)
from pixverse_provider.hooks import PixVerseHook
from tests.integration.conftest import connection_json
from tests.integration.helpers import T2V, sent

BALANCE = Endpoint.BALANCE.value
T2V_PATH = Endpoint.TEXT_TO_VIDEO.value


@pytest.fixture
def hook() -> PixVerseHook:
    return PixVerseHook(retry_wait=0.01)


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("status", {"status": 503}),
        ("err_code", {"err_code": 500069}),
        ("err_code", {"err_code": 500100}),
        ("drop", {}),
        ("slow", {"delay": 3.0}),  # longer than the connection's 2 s request timeout
    ],
)
def test_reads_survive_a_burst_of_transient_faults(kind, params, hook, emulator) -> None:
    emulator.inject(BALANCE, kind, count=2, **params)
    assert hook.get_credit_balance().total == 100_000
    assert sent(emulator, "GET", BALANCE) == 3


def test_retry_after_is_honoured(hook, emulator) -> None:
    emulator.inject(BALANCE, "retry_after", count=1, retry_after=1)
    started = time.monotonic()
    hook.get_credit_balance()
    assert time.monotonic() - started >= 1.0
    assert sent(emulator, "GET", BALANCE) == 2


def test_reads_give_up_after_max_retries(emulator, monkeypatch) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json(emulator.base_url, max_retries=2))
    emulator.inject(BALANCE, "status", count=10, status=502)
    with pytest.raises(PixVerseHTTPError) as err:
        PixVerseHook(retry_wait=0.01).get_credit_balance()
    assert err.value.status == 502
    assert sent(emulator, "GET", BALANCE) == 3


def test_malformed_json_is_not_retried_and_says_so(hook, emulator) -> None:
    emulator.inject(BALANCE, "malformed", count=1)
    with pytest.raises(PixVerseProtocolError, match="not a PixVerse API envelope"):
        hook.get_credit_balance()
    assert sent(emulator, "GET", BALANCE) == 1


def test_a_null_resp_on_a_read_is_a_protocol_error_not_a_crash(hook, emulator) -> None:
    video_id = hook.submit("text_to_video", T2V)
    result = Endpoint.VIDEO_RESULT.format(video_id=video_id)
    emulator.inject(result, "null_resp", count=1)
    with pytest.raises(PixVerseProtocolError, match="ErrCode 0 without a usable VideoRecord") as err:
        hook.get_video(video_id)
    assert "Resp is null" in str(err.value)
    assert sent(emulator, "GET", result) == 1
    assert hook.get_video(video_id).id == video_id


@pytest.mark.parametrize(
    ("kind", "params"),
    [("status", {"status": 500}), ("drop", {}), ("malformed", {}), ("slow", {"delay": 3.0}), ("null_resp", {})],
)
def test_ambiguous_generation_failure_is_never_retried(kind, params, hook, emulator) -> None:
    emulator.inject(T2V_PATH, kind, count=1, **params)
    with pytest.raises(PixVerseAmbiguousSubmitError) as err:
        hook.submit("text_to_video", T2V)
    assert "may have been accepted" in str(err.value)
    assert err.value.trace_id in str(err.value)
    assert sent(emulator, "POST", T2V_PATH) == 1


@pytest.mark.parametrize(
    ("err_code", "error"), [(500044, PixVerseConcurrencyLimitError), (500069, PixVerseTransientError)]
)
def test_generation_error_codes_raise_typed_errors_after_one_post(err_code, error, hook, emulator) -> None:
    emulator.inject(T2V_PATH, "err_code", count=1, err_code=err_code)
    with pytest.raises(error) as err:
        hook.submit("text_to_video", T2V)
    assert err.value.code == err_code
    assert sent(emulator, "POST", T2V_PATH) == 1
    assert emulator.counters()["generations_charged"] == 0


def test_generation_to_an_unreachable_host_reports_nothing_was_sent(monkeypatch) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json("http://127.0.0.1:9", max_retries=1))
    with pytest.raises(PixVerseConnectionError) as err:
        PixVerseHook(retry_wait=0.01).submit("text_to_video", T2V)
    assert err.value.request_sent is False
    assert not isinstance(err.value, PixVerseAmbiguousSubmitError)
    message = str(err.value)
    assert message.startswith("nothing is listening at http://127.0.0.1:9: check the connection's Base URL")
    assert "(ConnectionError: HTTPConnectionPool(host='127.0.0.1', port=9)" in message  # the detail is kept


def test_an_unresolvable_host_says_dns(monkeypatch) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json("https://pixverse.invalid", max_retries=0))
    with pytest.raises(PixVerseConnectionError) as err:
        PixVerseHook().get_credit_balance()
    assert str(err.value).startswith("the host name of https://pixverse.invalid cannot be resolved (DNS)")


def test_a_read_timeout_says_so(emulator, monkeypatch) -> None:
    monkeypatch.setenv(
        "AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json(emulator.base_url, request_timeout=1, max_retries=0)
    )
    emulator.inject(BALANCE, "slow", count=1, delay=2.0)
    with pytest.raises(PixVerseConnectionError) as err:
        PixVerseHook().get_credit_balance()
    assert str(err.value).startswith(f"{emulator.base_url} accepted the request but sent no answer")


WRONG_PREFIX = "/wrongprefix"


@pytest.fixture
def wrong_prefix(emulator, monkeypatch) -> str:
    """``pixverse_default`` with a path in its Base URL that the API does not have."""
    base_url = emulator.base_url + WRONG_PREFIX
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json(base_url))
    return base_url


def test_a_wrong_base_url_path_fails_a_generation_at_once_naming_the_full_url(wrong_prefix, emulator) -> None:
    with pytest.raises(PixVerseEndpointError) as err:
        PixVerseHook(retry_wait=0.01).submit("text_to_video", T2V)
    assert isinstance(err.value, AirflowFailException)  # no Airflow retry either: it would get the same answer
    assert not isinstance(err.value, PixVerseAmbiguousSubmitError)
    assert err.value.status == 404
    assert f"{wrong_prefix}{T2V_PATH}" in str(err.value)
    assert "check the connection's Base URL" in str(err.value)
    assert sent(emulator, "POST", WRONG_PREFIX + T2V_PATH) == 1
    assert emulator.counters()["generations_charged"] == 0


def test_a_wrong_base_url_path_fails_a_read_without_retries(wrong_prefix, emulator) -> None:
    with pytest.raises(PixVerseEndpointError, match="check the connection's Base URL"):
        PixVerseHook(retry_wait=0.01).get_credit_balance()
    assert sent(emulator, "GET", WRONG_PREFIX + BALANCE) == 1


def test_429_stays_retryable_for_reads(hook, emulator) -> None:
    emulator.inject(BALANCE, "retry_after", count=2, retry_after=0)
    assert hook.get_credit_balance().total == 100_000
    assert sent(emulator, "GET", BALANCE) == 3


def test_each_request_gets_a_fresh_trace_id(hook, emulator) -> None:
    for _ in range(3):
        hook.get_credit_balance()
    trace_ids = [entry["trace_id"] for entry in emulator.state.request_log(path=BALANCE)]
    assert len(trace_ids) == 3 and len(set(trace_ids)) == 3
