"""Trigger and hook variants for the triggerer benchmark (bench only; nothing here ships in the package).

- ``SharedClientAsyncHook`` + ``SharedClientVideoTrigger``: the design the issue suggested. Every hook on one
  event loop borrows one ``httpx.AsyncClient`` per (base URL, timeouts) from ``SHARED_CLIENTS``, a
  module-level, reference-counted registry keyed by the running loop; the last hook to leave closes it.
- ``OwnSslAsyncHook`` + ``OwnSslVideoTrigger``: the hook as it was before it shared one SSL context: httpx's
  default, a new ``ssl.SSLContext`` (CA bundle loaded) for every client, i.e. every trigger. Kept so that the
  results keep showing what the process-wide context (now in ``PixVerseAsyncHook``) saves.
- ``NaiveVideoTrigger``: the anti-pattern the issue compares against: a new hook (connection lookup and
  a new ``httpx.AsyncClient``) for every poll.

``PixVerseVideoTrigger.run`` names ``PixVerseAsyncHook`` directly, so the ``shared`` and ``own_ssl``
triggers run the package's own ``run``, recompiled at import time from its source with that one name replaced
by ``self.hook_class``: the comparison cannot drift from production.
"""

from __future__ import annotations
import __future__

import asyncio
import functools
import inspect
import ssl
import sys
import textwrap
import threading
import weakref
from collections.abc import AsyncIterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any, ClassVar

import httpx
from airflow.triggers.base import TriggerEvent
from pixverse_provider.after_submit.poller import VideoPoller
from pixverse_provider.api.responses import VideoRecord
from pixverse_provider.hooks.pixverse_async import PixVerseAsyncHook
from pixverse_provider.hooks.settings import ConnectionSettings
from pixverse_provider.triggers.pixverse import PixVerseVideoTrigger

SHARED_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)
"""Pool of the shared client, and of the floor's: httpx's defaults, as a plain port would have them.
(Other sizes were tried while writing this benchmark: 100/100, 10/10 and unlimited were no better; httpcore's
pool bookkeeping grows with pooled connections and with queued requests either way, see RESULTS.md.)"""


# ------------------------------------------------------------------------------------- per-loop shared client


@dataclass
class _Lease:
    client: httpx.AsyncClient
    refs: int = 0


class SharedAsyncClients:
    """One ``httpx.AsyncClient`` per (event loop, base URL, timeouts), lent out with reference counting.

    The API key is not part of the key: it travels in each request's headers, never in the client, so
    triggers of different connections to the same base URL share connections safely. Keyed by the loop
    itself (weakly), since an httpx client must only be used on the loop it was first used on; a loop that
    is garbage-collected takes its entries with it. Acquire is synchronous (no await between lookup and
    insert), so concurrent triggers on one loop cannot create two clients; the lock covers other threads.
    """

    def __init__(self, limits: httpx.Limits = SHARED_LIMITS) -> None:
        self.limits = limits
        self._lock = threading.Lock()
        self._loops: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[Any, ...], _Lease]] = (
            weakref.WeakKeyDictionary()
        )

    @staticmethod
    def key(settings: ConnectionSettings) -> tuple[Any, ...]:
        return (settings.base_url, settings.connect_timeout, settings.request_timeout)

    def acquire(self, settings: ConnectionSettings) -> httpx.AsyncClient:
        loop = asyncio.get_running_loop()
        key = self.key(settings)
        with self._lock:
            leases = self._loops.setdefault(loop, {})
            lease = leases.get(key)
            if lease is None or lease.client.is_closed:
                lease = leases[key] = _Lease(
                    httpx.AsyncClient(
                        base_url=settings.base_url,
                        timeout=httpx.Timeout(settings.request_timeout, connect=settings.connect_timeout),
                        limits=self.limits,
                    )
                )
            lease.refs += 1
            return lease.client

    async def release(self, settings: ConnectionSettings, client: httpx.AsyncClient) -> None:
        loop = asyncio.get_running_loop()
        key = self.key(settings)
        with self._lock:
            leases = self._loops.get(loop, {})
            lease = leases.get(key)
            if lease is not None and lease.client is client:
                lease.refs -= 1
                if lease.refs > 0:
                    return
                del leases[key]
        await client.aclose()

    def open_clients(self) -> int:
        with self._lock:
            return sum(len(leases) for leases in self._loops.values())


SHARED_CLIENTS = SharedAsyncClients()


class SharedClientAsyncHook(PixVerseAsyncHook):
    """``PixVerseAsyncHook`` that borrows the loop's shared client instead of opening its own."""

    async def __aenter__(self) -> SharedClientAsyncHook:
        settings = ConnectionSettings.from_connection(await self.aget_connection(self.pixverse_conn_id))
        self._settings = settings
        self._client = SHARED_CLIENTS.acquire(settings)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._client is not None and self._settings is not None:
            client, self._client = self._client, None
            await SHARED_CLIENTS.release(self._settings, client)


# ------------------------------------------------------------------------------------- SSL contexts


@functools.cache
def shared_ssl_context() -> ssl.SSLContext:
    """One SSLContext for the process (what ``floor_per_client`` uses; the package hook has its own)."""
    return httpx.create_ssl_context()


class OwnSslAsyncHook(PixVerseAsyncHook):
    """The hook before the process-wide SSL context: httpx builds a new SSLContext for each client."""

    async def __aenter__(self) -> OwnSslAsyncHook:
        settings = ConnectionSettings.from_connection(await self.aget_connection(self.pixverse_conn_id))
        self._settings = settings
        self._client = httpx.AsyncClient(
            base_url=settings.base_url,
            timeout=httpx.Timeout(settings.request_timeout, connect=settings.connect_timeout),
        )
        return self


# ------------------------------------------------------------------------------------- triggers


def _run_with_hook_class() -> Any:
    """``PixVerseVideoTrigger.run`` compiled from the package's own source with one change:
    ``PixVerseAsyncHook(`` becomes ``self.hook_class(``. Built at import time, so it can never drift."""
    source = textwrap.dedent(inspect.getsource(PixVerseVideoTrigger.run))
    if source.count("PixVerseAsyncHook(") != 1:
        raise RuntimeError("PixVerseVideoTrigger.run no longer opens exactly one PixVerseAsyncHook; update bench/")
    source = source.replace("PixVerseAsyncHook(", "self.hook_class(")
    module = sys.modules[PixVerseVideoTrigger.__module__]
    filename = f"{inspect.getsourcefile(PixVerseVideoTrigger)} (hook class swapped by bench/prototype.py)"
    code = compile(source, filename, "exec", flags=__future__.annotations.compiler_flag, dont_inherit=True)
    namespace: dict[str, Any] = {}
    exec(code, dict(vars(module)), namespace)
    return namespace["run"]


class _HookSwappingTrigger(PixVerseVideoTrigger):
    """``PixVerseVideoTrigger`` whose ``run`` takes the hook class from ``hook_class``."""

    hook_class: ClassVar[type[PixVerseAsyncHook]] = PixVerseAsyncHook
    run = _run_with_hook_class()


class SharedClientVideoTrigger(_HookSwappingTrigger):
    """The production trigger on the per-loop shared client (the design the issue suggested)."""

    hook_class = SharedClientAsyncHook


class OwnSslVideoTrigger(_HookSwappingTrigger):
    """The production trigger on the hook as it was before the process-wide SSL context."""

    hook_class = OwnSslAsyncHook


class NaiveVideoTrigger(PixVerseVideoTrigger):
    """Anti-pattern: a new ``PixVerseAsyncHook`` (connection lookup + new ``httpx.AsyncClient``) per poll.

    Otherwise the production trigger: the same ``VideoPoller`` decides the wait, so the two differ only in
    how long a hook lives.
    """

    async def run(self) -> AsyncIterator[TriggerEvent]:
        poller = VideoPoller(
            self.video_id,
            poll_interval=self.poll_interval,
            deadline=self.deadline,
            started=self.started,
            max_poll_failures=self.max_poll_failures,
            trace_id=self.trace_id,
            log=self.log,
        )

        async def read() -> VideoRecord:
            async with PixVerseAsyncHook(self.pixverse_conn_id) as hook:
                return await hook.get_video(self.video_id)

        ending = await poller.wait_async(read)
        yield TriggerEvent(ending.to_event())
