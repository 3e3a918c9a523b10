"""The worker process of benchmark 1: one variant's triggers in one event loop, measured from inside.

``python bench/triggers_worker.py VARIANT`` (started by ``triggers_bench.run_one``) imports what the variant
needs, answers ``READY``, reads the window's settings (one JSON line) and answers the figures (one JSON
line). See triggers_bench for the variants.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import os
import sys
import time
import uuid
from typing import Any

import benchutil as bu
from triggers_bench import RESULT_PATH, TERMINAL, VARIANTS


def _worker(variant: str) -> int:
    # Our protocol uses the real stdout; anything else written to stdout (logs) goes to stderr.
    proto = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    import greenback  # noqa: F401 - the triggerer imports it; so do we, before the window
    import httpx  # noqa: F401
    from airflow._shared.module_loading import import_string
    from pixverse_provider.after_submit import clock
    from pixverse_provider.hooks.transport import USER_AGENT

    classpath = VARIANTS[variant]
    if classpath:
        import_string(classpath)  # the triggerer caches trigger classes; load it before the window
    proto.write("READY\n")
    go = json.loads(sys.stdin.readline())
    gc.collect()
    if "+gcfreeze" in variant:
        gc.freeze()
    result = asyncio.run(_window(variant, classpath, go, clock, USER_AGENT))
    proto.write(json.dumps(result) + "\n")
    proto.close()
    return 0


async def _window(variant: str, classpath: str | None, go: dict[str, Any], clock: Any, user_agent: str) -> dict:
    import greenback
    import httpx
    from airflow._shared.module_loading import import_string

    video_ids: list[int] = go["video_ids"]
    n, poll, stagger, t0 = len(video_ids), float(go["poll"]), float(go["stagger"]), float(go["t0"])
    api_key: str = go["api_key"]
    loop = asyncio.get_running_loop()
    await asyncio.sleep(max(0.0, t0 - time.time()))

    pool = _PoolMeter()
    peak = bu.PeakRss().start()
    rss0 = bu.rss_kb()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    lags: list[float] = []
    lag_at: list[float] = []
    done = asyncio.Event()
    rss_waiting: list[int] = []

    async def ticker() -> None:
        while not done.is_set():
            start = time.perf_counter()
            await asyncio.sleep(0.05)
            lags.append(time.perf_counter() - start - 0.05)
            lag_at.append(start)

    async def waiting_sample() -> None:
        await asyncio.sleep(stagger + 2 * poll)
        rss_waiting.append(bu.rss_kb())

    gc_pauses: list[tuple[int, float, float]] = []  # (generation, start, end)
    gc_started: list[float] = [0.0]

    def on_gc(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            gc_started[0] = time.perf_counter()
        else:
            gc_pauses.append((info["generation"], gc_started[0], time.perf_counter()))

    gc.callbacks.append(on_gc)
    tick_task = loop.create_task(ticker())
    sample_task = loop.create_task(waiting_sample())
    events: list[dict[str, Any]] = []
    shared_client: httpx.AsyncClient | None = None

    if classpath is None:
        from prototype import SHARED_LIMITS, shared_ssl_context

        timeout = httpx.Timeout(60.0, connect=10.0)
        base_headers = {"API-KEY": api_key, "Accept": "application/json", "User-Agent": user_agent}
        if variant == "floor":
            shared_client = httpx.AsyncClient(base_url=go["base_url"], timeout=timeout, limits=SHARED_LIMITS)

        async def one(i: int) -> None:
            path = f"{RESULT_PATH}{video_ids[i]}"
            own = (
                None
                if shared_client
                else httpx.AsyncClient(base_url=go["base_url"], timeout=timeout, verify=shared_ssl_context())
            )
            client = shared_client or own
            assert client is not None
            try:
                while True:
                    response = await client.get(path, headers={**base_headers, "Ai-trace-id": str(uuid.uuid4())})
                    status = json.loads(response.content)["Resp"]["status"]
                    if status in TERMINAL:
                        events.append({"status": "succeeded" if status == 1 else "failed"})
                        return
                    await asyncio.sleep(poll)
            finally:
                if own is not None:
                    await own.aclose()

    else:
        trigger_cache: dict[str, Any] = {}
        deadline = clock.after(3600)
        disable_portal = (
            os.environ.get("AIRFLOW_DISABLE_GREENBACK_PORTAL", "").lower() == "true" or "+nogreenback" in variant
        )

        async def one(i: int) -> None:
            # TriggerRunner.create_triggers: class from the row's classpath, instance from its kwargs ...
            cls = trigger_cache.get(classpath) or trigger_cache.setdefault(classpath, import_string(classpath))
            kwargs = {
                "video_id": video_ids[i],
                "pixverse_conn_id": "pixverse_default",
                "poll_interval": poll,
                "deadline": deadline,
                "trace_id": str(uuid.uuid4()),
            }
            trigger = cls(**kwargs)
            trigger.trigger_id = i
            # ... TriggerRunner.run_trigger: a greenback portal, then drain the async generator.
            if not disable_portal:
                await greenback.ensure_portal()
            try:
                async for event in trigger.run():
                    events.append(event.payload)
            finally:
                with contextlib.suppress(Exception):  # the triggerer ignores cleanup errors too
                    await trigger.cleanup()

    tasks: list[asyncio.Task[None]] = []
    late: list[float] = []
    for i in range(n):
        target = t0 + i * stagger / n
        delay = target - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
        late.append(max(0.0, time.time() - target))
        tasks.append(loop.create_task(one(i)))
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    cpu = time.process_time() - cpu0
    wall = time.perf_counter() - wall0
    done.set()
    await tick_task
    gc.callbacks.remove(on_gc)
    sample_task.cancel()
    peak_kb = peak.stop()
    if shared_client is not None:
        await shared_client.aclose()
    pool.restore()
    full = [(s, e) for g, s, e in gc_pauses if g == 2]
    no_gc2 = [
        lag for lag, at in zip(lags, lag_at, strict=True) if not any(s < at + 0.05 + lag and e > at for s, e in full)
    ]
    errors = [repr(o) for o in outcomes if isinstance(o, BaseException)]
    statuses: dict[str, int] = {}
    for event in events:
        statuses[event["status"]] = statuses.get(event["status"], 0) + 1
    return {
        "variant": variant,
        "n": n,
        "cpu_s": cpu,
        "wall_s": wall,
        "rss0_kb": rss0,
        "peak_kb": peak_kb,
        "rss_waiting_kb": rss_waiting[0] if rss_waiting else None,
        "peak_method": peak.method,
        "lag_p50_ms": bu.percentile(lags, 50) * 1000,
        "lag_p99_ms": bu.percentile(lags, 99) * 1000,
        "lag_max_ms": max(lags) * 1000 if lags else float("nan"),
        "ticks": len(lags),
        "lag_p99_no_gc2_ms": bu.percentile(no_gc2, 99) * 1000,
        "lag_max_no_gc2_ms": max(no_gc2, default=float("nan")) * 1000,
        "gc_gen2_count": len(full),
        "gc_max_pause_ms": max((e - s for _, s, e in gc_pauses), default=0.0) * 1000,
        "gc_total_s": sum(e - s for _, s, e in gc_pauses),
        "pool_calls": pool.calls,
        "pool_s": pool.seconds,
        "spawn_late_max_ms": max(late) * 1000,
        "statuses": statuses,
        "errors": errors[:3],
        "error_count": len(errors),
    }


class _PoolMeter:
    """Time spent in httpcore's pool bookkeeping (``_assign_requests_to_connections``, run on every request
    start and end); the wrapper costs ~1 µs a call, the same for every variant."""

    def __init__(self) -> None:
        from httpcore import AsyncConnectionPool

        self.calls, self.seconds = 0, 0.0
        self._cls = AsyncConnectionPool
        self._original = original = AsyncConnectionPool._assign_requests_to_connections
        meter = self

        def timed(pool: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(pool)
            finally:
                meter.calls += 1
                meter.seconds += time.perf_counter() - start

        AsyncConnectionPool._assign_requests_to_connections = timed  # type: ignore[method-assign]

    def restore(self) -> None:
        self._cls._assign_requests_to_connections = self._original  # type: ignore[method-assign]


if __name__ == "__main__":
    sys.exit(_worker(sys.argv[1]))
