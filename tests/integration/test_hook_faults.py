"""Transport rules under injected faults: reads are retried a bounded number of times, generations never."""

from __future__ import annotations

import time

import pytest

from pixverse_provider.api import Endpoint
from pixverse_provider.exceptions import (
    PixVerseAmbiguousSubmitError,
    PixVerseConcurrencyLimitError,
    PixVerseConnectionError,
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


@pytest.mark.parametrize(
    ("kind", "params"),
    [("status", {"status": 500}), ("drop", {}), ("malformed", {}), ("slow", {"delay": 3.0})],
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


def test_each_request_gets_a_fresh_trace_id(hook, emulator) -> None:
    for _ in range(3):
        hook.get_credit_balance()
    trace_ids = [entry["trace_id"] for entry in emulator.state.request_log(path=BALANCE)]
    assert len(trace_ids) == 3 and len(set(trace_ids)) == 3
