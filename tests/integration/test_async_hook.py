"""PixVerseAsyncHook over real HTTP: the reads a trigger needs, with the sync hook's retry rules."""

from __future__ import annotations

import asyncio

import pytest

from pixverse_provider.api import Endpoint, VideoStatus
from pixverse_provider.exceptions import (
    PixVerseConfigurationError,
    PixVerseConnectionError,
    PixVerseEndpointError,
    PixVerseNotFoundError,
    PixVerseProtocolError,
)
from pixverse_provider.hooks import PixVerseAsyncHook, PixVerseHook
from tests.integration.conftest import connection_json
from tests.integration.helpers import T2V, sent

RESULT = "/openapi/v2/video/result/{}"


def run(coro):
    return asyncio.run(coro)


def test_reads_video_status_and_balance(emulator) -> None:
    video_id = PixVerseHook().submit("text_to_video", T2V)

    async def read() -> tuple[int, int, int]:
        async with PixVerseAsyncHook() as hook:
            before = (await hook.get_video(video_id)).status
            emulator.advance(3600)
            after = (await hook.get_video(video_id)).status
            return before, after, (await hook.get_credit_balance()).total

    before, after, balance = run(read())
    assert (before, after) == (VideoStatus.GENERATING, VideoStatus.SUCCEEDED)
    assert balance == 100_000 - 45


def test_one_client_serves_every_read_of_a_hook(emulator) -> None:
    video_id = PixVerseHook().submit("text_to_video", T2V)

    async def read() -> set[int]:
        async with PixVerseAsyncHook() as hook:
            clients = set()
            for _ in range(3):
                await hook.get_video(video_id)
                clients.add(id(hook._client))
            return clients

    assert len(run(read())) == 1


def test_every_read_carries_a_fresh_trace_id(emulator) -> None:
    """The hook re-sends one built request per path; each read still gets its own Ai-trace-id."""
    video_id = PixVerseHook().submit("text_to_video", T2V)
    path = RESULT.format(video_id)

    async def read() -> None:
        async with PixVerseAsyncHook() as hook:
            for _ in range(3):
                await hook.get_video(video_id)

    run(read())
    trace_ids = [entry["trace_id"] for entry in emulator.state.request_log(path)]
    assert len(trace_ids) == 3 and len(set(trace_ids)) == 3 and all(trace_ids)


def test_concurrent_reads_on_one_hook_each_get_their_answer(emulator) -> None:
    hook_client = PixVerseHook()
    video_ids = [hook_client.submit("text_to_video", T2V) for _ in range(3)]

    async def read() -> list[int]:
        async with PixVerseAsyncHook() as hook:
            records = await asyncio.gather(*(hook.get_video(video_id) for video_id in video_ids * 2))
            return [record.id for record in records]

    assert run(read()) == video_ids * 2
    trace_ids = [entry["trace_id"] for entry in emulator.state.request_log("/openapi/v2/video/result/*")]
    assert len(set(trace_ids)) == len(trace_ids) == 6


@pytest.mark.parametrize(
    ("kind", "params"), [("status", {"status": 503}), ("drop", {}), ("err_code", {"err_code": 500069})]
)
def test_transient_faults_are_retried(kind, params, emulator) -> None:
    video_id = PixVerseHook().submit("text_to_video", T2V)
    path = RESULT.format(video_id)
    emulator.inject(path, kind, count=2, **params)

    async def read() -> int:
        async with PixVerseAsyncHook(retry_wait=0.01) as hook:
            return (await hook.get_video(video_id)).status

    assert run(read()) == VideoStatus.GENERATING
    assert sent(emulator, "GET", path) == 3


def test_malformed_answer_and_unknown_video_are_typed(emulator) -> None:
    emulator.inject(Endpoint.BALANCE.value, "malformed", count=1)

    async def read() -> None:
        async with PixVerseAsyncHook(retry_wait=0.01) as hook:
            with pytest.raises(PixVerseProtocolError):
                await hook.get_credit_balance()
            with pytest.raises(PixVerseNotFoundError):
                await hook.get_video(12345)

    run(read())


def test_a_null_resp_is_a_protocol_error_not_a_crash(emulator) -> None:
    video_id = PixVerseHook().submit("text_to_video", T2V)
    path = RESULT.format(video_id)
    emulator.inject(path, "null_resp", count=1)

    async def read() -> int:
        async with PixVerseAsyncHook(retry_wait=0.01) as hook:
            with pytest.raises(PixVerseProtocolError, match="ErrCode 0 without a usable VideoRecord"):
                await hook.get_video(video_id)
            return (await hook.get_video(video_id)).status  # the next poll reads normally

    assert run(read()) == VideoStatus.GENERATING
    assert sent(emulator, "GET", path) == 2


def test_a_wrong_base_url_path_fails_at_once_naming_the_full_url(emulator, monkeypatch) -> None:
    base_url = emulator.base_url + "/wrongprefix"
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json(base_url))

    async def read() -> None:
        async with PixVerseAsyncHook(retry_wait=0.01) as hook:
            await hook.get_credit_balance()

    with pytest.raises(PixVerseEndpointError, match="check the connection's Base URL") as err:
        run(read())
    assert f"{base_url}{Endpoint.BALANCE.value}" in str(err.value)
    assert sent(emulator, "GET", "/wrongprefix" + Endpoint.BALANCE.value) == 1


def test_a_refused_port_says_nothing_is_listening(monkeypatch) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json("http://127.0.0.1:9", max_retries=0))

    async def read() -> None:
        async with PixVerseAsyncHook() as hook:
            await hook.get_credit_balance()

    with pytest.raises(PixVerseConnectionError) as err:
        run(read())
    message = str(err.value)
    assert message.startswith("nothing is listening at http://127.0.0.1:9: check the connection's Base URL")
    assert "(ConnectError: " in message  # httpx's own words follow
    assert err.value.request_sent is False


def test_bad_connection_fails_on_enter(monkeypatch) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json("ftp://x"))

    async def enter() -> None:
        async with PixVerseAsyncHook():
            pass

    with pytest.raises(PixVerseConfigurationError, match="pixverse_default"):
        run(enter())


def test_use_outside_the_context_manager_is_a_clear_error() -> None:
    with pytest.raises(RuntimeError, match="async with"):
        run(PixVerseAsyncHook().get_video(1))
