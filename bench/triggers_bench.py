"""Benchmark 1: PixVerseVideoTriggers (1,000 on the reference machine) in one event loop, as the triggerer
runs them, against the emulator.

Each variant runs in a fresh worker process (``bench/triggers_worker.py VARIANT``) with a time limit, so its memory
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

``shared``, ``own_ssl`` and ``production+nogreenback`` run only with ``bench/run.py --prototypes``: their lesson
is recorded. A round that fails or times out is recorded as such; the other rounds and variants are kept.

The trigger variants are run like the Airflow 3 triggerer's ``TriggerRunner``: the class is imported from the
classpath of ``serialize()``, built from the serialized kwargs, and driven in its own task behind
``greenback.ensure_portal()``; a 50 ms asyncio ticker in the same loop measures its own lateness.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import sys
import threading
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
ONCE = ("floor", "own_ssl", "production+gcfreeze", "production+nogreenback")
"""Variants run in the first round only: the floor as the issue specified it (one shared client: its pool
bookkeeping makes it the dearer floor, and it collapses when the loop falls behind, so the ratios use
``floor_per_client``), the record of the old design and two diagnostics."""
PROTOTYPES = ("shared", "own_ssl")
"""Designs whose lesson RESULTS.md already records; measured only with ``bench/run.py --prototypes``."""
DIAGNOSTICS = ("production+nogreenback",)
"""Diagnostics whose run told nothing new (it fell behind); measured only with ``--prototypes`` too."""
DEFAULT_VARIANTS = [v for v in VARIANTS if v not in PROTOTYPES + DIAGNOSTICS]


class VariantFailed(RuntimeError):
    """A variant that failed or ran past its time limit; ``run`` records it and goes on with the others."""

    def __init__(self, message: str, *, timed_out: bool = False) -> None:
        super().__init__(message)
        self.timed_out = timed_out


RESULT_PATH = "/openapi/v2/video/result/"
GENERATE_PATH = "/openapi/v2/video/text/generate"
TERMINAL = {1, 6, 7, 8}


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
    log_dir: Path,
    limit: float | None = None,
) -> tuple[dict[str, Any], float]:
    """One variant, one round. Returns the figures and how long set-up (worker start, submits) took.

    The jobs are submitted once the worker has started (Airflow imported, trigger class loaded) and before
    its window opens at ``t0``, so a slow start-up never eats into the window and submitting costs the
    worker nothing.

    The worker is killed at ``limit`` seconds (default: twice what the round should take, plus half a
    minute: a round that falls that far behind measures a collapse, not the variant), and the round then
    raises ``VariantFailed``, as it does when the worker fails.
    """
    margin = SETUP.margin(n)
    limit = limit if limit is not None else 2 * (margin + stagger + job_seconds + 2 * poll) + 30
    emulator.reset()
    spawned = time.time()
    log = open(log_dir / f"trigger-{variant}-{time.time():.0f}.log", "wb")  # noqa: SIM115
    env = bu.child_env(**bu.connection_env(emulator.base_url, emulator.api_key))
    proc = bu.subprocess.Popen(
        [bu.PYTHON, str(Path(__file__).resolve().parent / "triggers_worker.py"), variant],
        stdin=bu.subprocess.PIPE,
        stdout=bu.subprocess.PIPE,
        stderr=log,
        env=env,
        cwd=bu.REPO,
        text=True,
    )
    killer = threading.Timer(limit, proc.kill)
    killer.start()
    try:
        assert proc.stdin is not None and proc.stdout is not None
        ready = proc.stdout.readline().strip()
        if ready != "READY":
            raise _failure(variant, "did not start", killer, limit, log.name)
        started = time.time()
        t0 = started + 1.5 * n * SETUP.submit_per_job_s + 2.0  # the worker's gc.collect() comes first too
        video_ids = _submit_jobs(emulator, n, t0, stagger, job_seconds)
        submitted = time.time()
        SETUP.learn(n, submit_s=submitted - started, start_s=started - spawned)
        setup_s = submitted - spawned
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
        if not line:
            raise _failure(variant, "failed", killer, limit, log.name)
        proc.wait(60)
        result = json.loads(line)
        polls = emulator.requests_to("GET " + RESULT_PATH) - polls_before
    except (OSError, ValueError) as exc:  # a broken pipe to a killed worker, a garbled answer
        raise _failure(variant, f"failed ({exc!r})", killer, limit, log.name) from None
    finally:
        killer.cancel()
        bu.stop_process(proc)
        log.close()
    result["start_late_s"] = max(0.0, submitted - t0)
    result["load_average"] = os.getloadavg()[0]  # other processes' demand: a loaded machine starves the worker
    result["polls"] = polls
    result["cpu_per_poll_ms"] = result["cpu_s"] / polls * 1000 if polls else float("nan")
    result["kb_per_trigger_peak"] = (result["peak_kb"] - result["rss0_kb"]) / n
    if result["rss_waiting_kb"] is not None:
        result["kb_per_trigger_waiting"] = (result["rss_waiting_kb"] - result["rss0_kb"]) / n
    result["ok"] = result["statuses"].get("succeeded", 0) == n and not result["error_count"]
    return result, setup_s


class _Setup:
    """What a round's set-up took (worker start-up; submits, per job), learnt from the rounds so far, so the
    next round's window opens right after its submits and its time limit fits, whatever the machine's speed
    and the load's size."""

    def __init__(self) -> None:
        self.start_s, self.submit_per_job_s = 10.0, 0.004

    def learn(self, n: int, *, submit_s: float, start_s: float) -> None:
        self.start_s, self.submit_per_job_s = start_s, submit_s / max(n, 1)

    def margin(self, n: int) -> float:
        """Seconds from spawning a worker to its window: start-up, then the submits."""
        return 1.25 * (self.start_s + n * self.submit_per_job_s) + 2.0


SETUP = _Setup()


def new_emulator(log_dir: Path) -> bu.Emulator:
    """The emulator the trigger benchmarks poll (every job's length comes from its prompt's marker)."""
    return bu.Emulator(generation_seconds=20.0, concurrency=1_000_000, credits=10**9, log_path=log_dir / "emulator.log")


def _failure(variant: str, what: str, killer: threading.Timer, limit: float, log_name: str) -> VariantFailed:
    if killer.finished.is_set():
        return VariantFailed(f"{variant}: timed out, killed at its {limit:.0f} s limit", timed_out=True)
    return VariantFailed(f"{variant}: worker {what} (its log: {log_name})")


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
    emulator: bu.Emulator | None = None,
    checkpoint: Any = None,
) -> dict[str, Any]:
    """Every variant ``rounds`` times (rotating order), except diagnostics in ``once``: first round only.

    A variant that fails or times out is recorded as ``{"error": ..., "timed_out": ...}`` and the others go
    on; ``checkpoint(raw)`` is called after every round of every variant, so a caller killed later keeps them.
    """
    variants = variants or list(DEFAULT_VARIANTS)
    stagger = poll
    raw: dict[str, list[dict[str, Any]]] = {v: [] for v in variants}
    with contextlib.ExitStack() as stack:
        if emulator is None:
            emulator = stack.enter_context(new_emulator(log_dir))
        for r in range(rounds):
            order = variants[r % len(variants) :] + variants[: r % len(variants)]  # rotate: no variant always first
            for variant in order:
                if variant in once and r > 0:
                    continue
                t = time.time()
                try:
                    result, _ = run_one(emulator, variant, n, poll, stagger, job_seconds, log_dir)
                except VariantFailed as exc:
                    raw[variant].append({"error": str(exc), "timed_out": exc.timed_out})
                    progress(f"  triggers round {r + 1}/{rounds} {variant}: {exc}")
                    if checkpoint:
                        checkpoint(raw)
                    continue
                raw[variant].append(result)
                if checkpoint:
                    checkpoint(raw)
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
    parser.add_argument("mode", choices=["clientcost"])
    parser.add_argument("variant", choices=["-"])
    parser.parse_args()
    sys.exit(_client_cost())
