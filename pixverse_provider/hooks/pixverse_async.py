"""``PixVerseAsyncHook``: the reads a trigger needs, on one ``httpx.AsyncClient`` for the trigger's life.

Use it as an async context manager. The connection is resolved with Airflow's async connection API, so
nothing blocks the triggerer's event loop; envelope and retry rules are those of the sync hook.
"""

from __future__ import annotations

import functools
import ssl
from types import TracebackType

import httpx
from airflow.sdk import BaseHook
from tenacity import AsyncRetrying

from pixverse_provider.api import Endpoint
from pixverse_provider.api.responses import CreditBalance, VideoRecord
from pixverse_provider.exceptions import PixVerseConnectionError
from pixverse_provider.hooks.settings import DEFAULT_CONN_ID, ConnectionSettings
from pixverse_provider.hooks.transport import (
    ResponseT,
    RetryPolicy,
    connection_failure,
    connection_problem,
    is_transient,
    new_trace_id,
    read_http,
    request_headers,
)


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
            try:
                response = await client.get(path, headers=request_headers(settings.api_key, trace_id))
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
            return read_http(model, response, trace_id=trace_id, path=path, base_url=settings.base_url)

        result: ResponseT = await AsyncRetrying(**policy.tenacity_kwargs(is_transient))(attempt)
        return result
