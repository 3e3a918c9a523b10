"""Benchmark 1: 1,000 PixVerseVideoTriggers in one event loop, as the triggerer runs them, against the emulator.

Each variant runs in a fresh worker process (``python bench/triggers_bench.py worker VARIANT``), so its memory
is measured from a clean start and its CPU (``time.process_time()``) is its own; the emulator runs in yet
another process. The orchestrator submits the jobs while the worker starts up (before its measuring
window), so submitting costs the worker nothing, and the ``[emulate:seconds=N]`` prompt marker makes every
job finish ``job_seconds`` after its own trigger starts. Triggers start evenly spread over one poll interval
(tasks defer at different moments in a real deployment); polls are counted by the emulator.

Variants (``DESCRIPTIONS`` below):
  floor                a bare httpx loop: ONE shared AsyncClient, the same GET (same headers), json.loads, sleep.
  floor_per_client     the same bare loop with one AsyncClient per waiter (one shared SSLContext).
  production           pixverse_provider's PixVerseVideoTrigger as shipped (one AsyncClient per trigger).
  naive                a new PixVerseAsyncHook (and so a new AsyncClient) for every poll.
  shared               the production trigger on a per-event-loop, ref-counted shared AsyncClient.
  own_ssl              the production trigger on the hook as it was before the process-wide SSLContext
                       (httpx's default: a new SSLContext per client); run once, for the record.
  production+gcfreeze  production in a process that gc.freeze()s its start-up heap (diagnostic, run once).
  production+nogreenback  production without TriggerRunner's greenback portal (diagnostic, run once).

The trigger variants are run like the Airflow 3 triggerer's ``TriggerRunner``: the class is imported from the
classpath of ``serialize()``, built from the serialized kwargs, and driven in its own task behind
``greenback.ensure_portal()``; a 50 ms asyncio ticker in the same loop measures its own lateness.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import benchutil as bu

VARIANTS: dict[str, str | None] = {
    "floor": None,
    "floor_per_client": None,
    "production": "pixverse_provider.triggers.pixverse.PixVerseVideoTrigger",
    "naive": "prototype.NaiveVideoTrigger",
    "shared": "prototype.SharedClientVideoTrigger",
    "own_ssl": "prototype.OwnSslVideoTrigger",
    "production+gcfreeze": "pixverse_provider.triggers.pixverse.PixVerseVideoTrigger",
    "production+nogreenback": "pixverse_provider.triggers.pixverse.PixVerseVideoTrigger",
}
DESCRIPTIONS = {
    "floor": "floor as specified: bare httpx loop on ONE shared AsyncClient (httpx default pool)",
    "floor_per_client": "floor, second form: bare httpx loop, one AsyncClient per waiter, one SSLContext",
    "production": "PixVerseVideoTrigger as it is in the package now",
    "naive": "new PixVerseAsyncHook (connection lookup + AsyncClient) for every poll",
    "shared": "per-event-loop shared AsyncClient, ref-counted (the design the issue suggested)",
    "own_ssl": "production on the hook before the shared SSLContext: a new SSLContext per client (for the record)",
    "production+gcfreeze": "production in a process that gc.freeze()s its start-up heap (diagnostic, Airflow-side)",
    "production+nogreenback": "production without TriggerRunner's greenback portal (diagnostic)",
}
ONCE = ("own_ssl", "production+gcfreeze", "production+nogreenback")
"""Variants run in the first round only: the record of the old design and two diagnostics."""
RESULT_PATH = "/openapi/v2/video/result/"
GENERATE_PATH = "/openapi/v2/video/text/generate"
TERMINAL = {1, 6, 7, 8}


# ============================================================================================= worker


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


# ============================================================================================= orchestrator


def _submit_jobs(emulator: bu.Emulator, n: int, t0: float, stagger: float, job_seconds: float) -> list[int]:
    """Submit n text-to-videos; job i is ready ``job_seconds`` after trigger i is due to start."""

    def submit(i: int) -> int:
        seconds = job_seconds + (t0 + i * stagger / n) - time.time()
        body = {
            "prompt": f"bench video {i} [emulate:seconds={max(seconds, 0.0):.3f}]",
            "model": "v5",
            "duration": 5,
            "quality": "540p",
            "aspect_ratio": "16:9",
        }
        headers = {"API-KEY": emulator.api_key, "Ai-trace-id": str(uuid.uuid4())}
        answer = bu.http_json("POST", emulator.base_url + GENERATE_PATH, body, headers)
        if answer.get("ErrCode") != 0:
            raise RuntimeError(f"submit failed: {answer}")
        return int(answer["Resp"]["video_id"])

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(submit, range(n)))


def run_one(
    emulator: bu.Emulator,
    variant: str,
    n: int,
    poll: float,
    stagger: float,
    job_seconds: float,
    margin: float,
    log_dir: Path,
) -> tuple[dict[str, Any], float]:
    """One variant, one round. Returns the figures and how long set-up (worker start, submits) took."""
    emulator.reset()
    spawned = time.time()
    log = open(log_dir / f"trigger-{variant}-{time.time():.0f}.log", "wb")  # noqa: SIM115
    env = bu.child_env(**bu.connection_env(emulator.base_url, emulator.api_key))
    proc = bu.subprocess.Popen(
        [bu.PYTHON, str(Path(__file__).resolve()), "worker", variant],
        stdin=bu.subprocess.PIPE,
        stdout=bu.subprocess.PIPE,
        stderr=log,
        env=env,
        cwd=bu.REPO,
        text=True,
    )
    try:
        assert proc.stdin is not None and proc.stdout is not None
        # Submit while the worker imports Airflow; the window starts at t0 either way.
        t0 = spawned + margin
        video_ids = _submit_jobs(emulator, n, t0, stagger, job_seconds)
        submitted = time.time()
        ready = proc.stdout.readline().strip()
        if ready != "READY":
            raise RuntimeError(f"trigger worker {variant} did not start (see {log.name})")
        setup_s = max(time.time(), submitted) - spawned
        polls_before = emulator.requests_to("GET " + RESULT_PATH)
        go = {
            "t0": t0,
            "video_ids": video_ids,
            "poll": poll,
            "stagger": stagger,
            "base_url": emulator.base_url,
            "api_key": emulator.api_key,
        }
        proc.stdin.write(json.dumps(go) + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        proc.wait(60)
        if not line:
            raise RuntimeError(f"trigger worker {variant} failed (see {log.name})")
        result = json.loads(line)
        polls = emulator.requests_to("GET " + RESULT_PATH) - polls_before
    finally:
        bu.stop_process(proc)
        log.close()
    result["start_late_s"] = max(0.0, setup_s - margin)
    result["polls"] = polls
    result["cpu_per_poll_ms"] = result["cpu_s"] / polls * 1000 if polls else float("nan")
    result["kb_per_trigger_peak"] = (result["peak_kb"] - result["rss0_kb"]) / n
    if result["rss_waiting_kb"] is not None:
        result["kb_per_trigger_waiting"] = (result["rss_waiting_kb"] - result["rss0_kb"]) / n
    result["ok"] = result["statuses"].get("succeeded", 0) == n and not result["error_count"]
    return result, setup_s


def run(
    *,
    rounds: int = 3,
    n: int = 1000,
    poll: float = 2.0,
    job_seconds: float = 20.0,
    variants: list[str] | None = None,
    once: tuple[str, ...] = ONCE,
    log_dir: Path,
    progress: Any = print,
) -> dict[str, Any]:
    """Every variant ``rounds`` times (rotating order), except diagnostics in ``once``: first round only."""
    variants = variants or list(VARIANTS)
    stagger = poll
    raw: dict[str, list[dict[str, Any]]] = {v: [] for v in variants}
    margin = 4.0 + n * 0.004
    with bu.Emulator(
        generation_seconds=job_seconds, concurrency=1_000_000, credits=10**9, log_path=log_dir / "emulator.log"
    ) as emulator:
        for r in range(rounds):
            order = variants[r % len(variants) :] + variants[: r % len(variants)]  # rotate: no variant always first
            for variant in order:
                if variant in once and r > 0:
                    continue
                t = time.time()
                result, setup_s = run_one(emulator, variant, n, poll, stagger, job_seconds, margin, log_dir)
                margin = max(2.0, setup_s * 1.25 + 0.5)
                raw[variant].append(result)
                progress(
                    f"  triggers round {r + 1}/{rounds} {variant:<10} cpu/poll {result['cpu_per_poll_ms']:.3f} ms, "
                    f"{result['kb_per_trigger_peak']:.1f} KB/trigger, lag p99 {result['lag_p99_ms']:.0f} ms, "
                    f"{result['polls']} polls, ok={result['ok']} ({time.time() - t:.0f}s)"
                )
    import inspect

    from pixverse_provider.hooks.pixverse_async import PixVerseAsyncHook

    return {
        "package_hook_passes_verify": "verify=" in inspect.getsource(PixVerseAsyncHook.__aenter__),
        "config": {
            "rounds": rounds,
            "n": n,
            "poll": poll,
            "job_seconds": job_seconds,
            "stagger": stagger,
            "once": [v for v in once if v in variants],
        },
        "variants": variants,
        "raw": raw,
    }


def _client_cost(count: int = 100) -> int:
    """CPU and RSS of creating an httpx.AsyncClient, with its own SSLContext (httpx's default) or a shared one."""
    import httpx

    from prototype import shared_ssl_context

    out: dict[str, Any] = {}
    keep: list[Any] = []
    for name in ("own_ssl_context", "shared_ssl_context"):
        gc.collect()
        rss0, cpu0 = bu.rss_kb(), time.process_time()
        for _ in range(count):
            verify: Any = shared_ssl_context() if name == "shared_ssl_context" else True
            keep.append(httpx.AsyncClient(base_url="http://127.0.0.1:9", verify=verify))
        out[name] = {"ms": (time.process_time() - cpu0) / count * 1000, "kb": (bu.rss_kb() - rss0) / count}
    print(json.dumps(out))
    return 0


def client_cost() -> dict[str, Any]:
    proc = bu.subprocess.run(
        [bu.PYTHON, str(Path(__file__).resolve()), "clientcost", "-"],
        capture_output=True,
        text=True,
        env=bu.child_env(),
        cwd=bu.REPO,
        timeout=300,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["worker", "clientcost"])
    parser.add_argument("variant", choices=[*VARIANTS, "-"])
    args = parser.parse_args()
    sys.exit(_worker(args.variant) if args.mode == "worker" else _client_cost())
