"""``PixVerseAsyncHook``: the reads a trigger needs, on one ``httpx.AsyncClient`` for the trigger's life.

Use it as an async context manager. The connection is resolved with Airflow's async connection API, so
nothing blocks the triggerer's event loop; envelope and retry rules are those of the sync hook.
"""

from __future__ import annotations

import functools
import ssl
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import TypeVar

import httpx
from airflow.sdk import BaseHook
from tenacity import AsyncRetrying

from pixverse_provider.api import Endpoint
from pixverse_provider.api.responses import CreditBalance, VideoRecord
from pixverse_provider.exceptions import PixVerseConnectionError
from pixverse_provider.hooks.settings import DEFAULT_CONN_ID, ConnectionSettings
from pixverse_provider.hooks.transport import (
    TRACE_HEADER,
    ResponseT,
    RetryPolicy,
    connection_failure,
    connection_problem,
    is_transient,
    new_trace_id,
    read_http,
    request_headers,
)

T = TypeVar("T")


@functools.cache
def shared_ssl_context() -> ssl.SSLContext:
    """One SSL context for every client of the process.

    httpx otherwise builds a context (loading the whole CA bundle) per client; with a client per trigger
    that was most of a triggerer's CPU and ~0.8 MB per waiting trigger (bench/RESULTS.md, section 1).
    """
    return httpx.create_ssl_context()


class PixVerseAsyncHook(BaseHook):
    """Async PixVerse reads: ``async with PixVerseAsyncHook(conn_id) as hook: await hook.get_video(id)``."""

    conn_name_attr = "pixverse_conn_id"
    default_conn_name = DEFAULT_CONN_ID
    conn_type = "pixverse"
    hook_name = "PixVerse (async)"

    def __init__(self, pixverse_conn_id: str = DEFAULT_CONN_ID, *, retry_wait: float = 1.0) -> None:
        super().__init__()
        self.pixverse_conn_id = pixverse_conn_id
        self.retry_wait = retry_wait
        self._settings: ConnectionSettings | None = None
        self._client: httpx.AsyncClient | None = None
        self._idle_requests: dict[str, httpx.Request] = {}

    def __repr__(self) -> str:
        return f"PixVerseAsyncHook(pixverse_conn_id={self.pixverse_conn_id!r})"

    async def __aenter__(self) -> PixVerseAsyncHook:
        settings = ConnectionSettings.from_connection(await self.aget_connection(self.pixverse_conn_id))
        self._settings = settings
        self._client = httpx.AsyncClient(
            base_url=settings.base_url,
            timeout=httpx.Timeout(settings.request_timeout, connect=settings.connect_timeout),
            verify=shared_ssl_context(),
        )
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._idle_requests.clear()
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def get_video(self, video_id: int) -> VideoRecord:
        return await self._read(VideoRecord, Endpoint.VIDEO_RESULT.format(video_id=video_id))

    async def get_credit_balance(self) -> CreditBalance:
        return await self._read(CreditBalance, Endpoint.BALANCE.value)

    async def _read(self, model: type[ResponseT], path: str) -> ResponseT:
        if self._client is None or self._settings is None:
            raise RuntimeError("use PixVerseAsyncHook as 'async with PixVerseAsyncHook(...) as hook'")
        client, settings = self._client, self._settings
        policy = RetryPolicy(settings.max_retries, initial_wait=self.retry_wait)

        async def attempt() -> ResponseT:
            trace_id = new_trace_id()
            self.log.debug("PixVerse GET %s Ai-trace-id=%s", path, trace_id)
            request = self._request(client, settings, path, trace_id)
            try:
                response = await client.send(request)
            except httpx.TransportError as exc:
                problem = connection_problem(
                    exc,
                    connect_timeout=isinstance(exc, httpx.ConnectTimeout),
                    read_timeout=isinstance(exc, httpx.ReadTimeout),
                )
                raise PixVerseConnectionError(
                    connection_failure(problem, settings.base_url, exc),
                    trace_id=trace_id,
                    path=path,
                    request_sent=not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout),
                ) from None
            finally:
                self._idle_requests[path] = request
            return read_http(model, response, trace_id=trace_id, path=path, base_url=settings.base_url)

        return await retrying(attempt, policy, is_transient)

    def _request(
        self, client: httpx.AsyncClient, settings: ConnectionSettings, path: str, trace_id: str
    ) -> httpx.Request:
        """``client.build_request("GET", path, headers=...)``, built once per path and re-sent with a new trace id.

        ``client.get`` would build the request (URL merge, header merge) on every poll: with a thousand
        triggers that was a good share of the CPU and of the garbage a poll leaves (bench/RESULTS.md). A
        request is taken while in flight, so concurrent reads on one hook each get their own; it is rebuilt
        whenever the client holds cookies, which a built request would not pick up.
        """
        request = self._idle_requests.pop(path, None)
        if request is None or client.cookies:
            return client.build_request("GET", path, headers=request_headers(settings.api_key, trace_id))
        request.headers[TRACE_HEADER] = trace_id
        return request


async def retrying(
    attempt: Callable[[], Awaitable[T]], policy: RetryPolicy, retryable: Callable[[BaseException], bool]
) -> T:
    """``AsyncRetrying(**policy.tenacity_kwargs(retryable))(attempt)``, with the first attempt made without it.

    Nearly every read succeeds at once, and tenacity's retry state costs more than the rest of a poll's
    Python work; only a failure worth retrying builds it, and the retrying run then starts by raising that
    same failure as its first attempt, so attempt numbers, waits and log lines are tenacity's own.
    """
    try:
        return await attempt()
    except BaseException as exc:
        if policy.max_retries < 1 or not retryable(exc):
            raise
        first: list[BaseException] = [exc]

    async def again() -> T:
        if first:
            raise first.pop()
        return await attempt()

    result: T = await AsyncRetrying(**policy.tenacity_kwargs(retryable))(again)
    return result
