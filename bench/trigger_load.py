"""Benchmark 1, sized to the machine: calibration, the 10,000-trigger run and the capacity search.

- ``calibrate``: a short ``floor_per_client`` round (100 triggers) gives the machine's CPU per poll; the
  main comparison then runs as many triggers as load one core as much as 1,000 did on the machine that
  wrote the first RESULTS.md (``REFERENCE_LOAD``), at most 1,000. A machine 2.7x slower runs ~370, so the
  figures compare variants, not machines, and the run takes the same wall time anywhere.
- ``scale``: ten times the main load of waiting triggers (10,000 on the reference machine), polled ten
  times less often, so the CPU load is the same while memory holds ten times the triggers: memory per
  trigger and CPU per poll at that size.
- ``capacity``: how many waiting triggers one event loop (one core) holds at a 5 s poll with loop lag p99
  under the target, for the production trigger and for the floor: a short geometric search over N.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import benchutil as bu
import triggers_bench as tb

REFERENCE_LOAD = 0.43
"""Cores the 1,000-trigger bench kept busy with the cheapest floor on the machine that wrote the first
RESULTS.md (0.866 ms per poll, a poll every 2 s): what the main run's size is chosen to repeat."""
CAPACITY_POLL = 5.0
CAPACITY_JOB_SECONDS = 10.0
LAG_TARGET_MS = 100.0


def _round_to(n: float, step: int) -> int:
    return max(step, round(n / step) * step)


def calibrate(emulator: bu.Emulator, log_dir: Path, progress: Any = print) -> dict[str, Any]:
    """CPU per poll of the bare floor on this machine, from 100 triggers polling once a second."""
    result, _ = tb.run_one(emulator, "floor_per_client", 100, 1.0, 1.0, 6.0, log_dir)
    cpu_ms = result["cpu_per_poll_ms"]
    n = min(1000, _round_to(REFERENCE_LOAD * 2.0 / (cpu_ms / 1000), 50))
    progress(f"  calibration: floor {cpu_ms:.3f} ms/poll -> main run with {n} triggers")
    return {"floor_cpu_per_poll_ms": cpu_ms, "polls": result["polls"], "n": n, "ok": result["ok"]}


def scale(
    emulator: bu.Emulator, n: int, poll: float, log_dir: Path, variants: tuple[str, ...] = ("production",)
) -> dict[str, Any]:
    """``n`` waiting triggers polling every ``poll`` s, each polled about twice: memory and CPU per poll."""
    raw: dict[str, Any] = {}
    for variant in variants:
        try:
            raw[variant], _ = tb.run_one(emulator, variant, n, poll, poll, 1.5 * poll, log_dir)
        except tb.VariantFailed as exc:
            raw[variant] = {"error": str(exc), "timed_out": exc.timed_out}
    return {"n": n, "poll": poll, "job_seconds": 1.5 * poll, "raw": raw}


def capacity(
    emulator: bu.Emulator,
    start_n: int,
    log_dir: Path,
    *,
    variants: tuple[str, str] = ("production", "floor_per_client"),
    probes: int = 3,
    deadline: float,
    progress: Any = print,
) -> dict[str, Any]:
    """The largest N (of those probed) whose loop lag p99 stays under the target at a 5 s poll, per variant.

    Starts at ``start_n`` for each variant, then multiplies N by 1.5 after a pass and halves it after a
    failure until it has a pass and a failure, then bisects; ``probes`` rounds per variant, fewer
    when ``deadline`` (time.time()) comes first.
    """
    searches = {variant: _Search(start_n) for variant in variants}
    for _ in range(probes):  # the variants take turns, so a change in the machine's load hits both alike
        for variant, search in searches.items():
            if time.time() > deadline or search.done:
                continue
            n = search.n
            try:
                result, _ = tb.run_one(
                    emulator, variant, n, CAPACITY_POLL, CAPACITY_POLL, CAPACITY_JOB_SECONDS, log_dir
                )
                ok = result["ok"] and result["lag_p99_ms"] < LAG_TARGET_MS
                search.tried.append({"n": n, "ok": ok, **{k: result[k] for k in _KEEP}})
            except tb.VariantFailed as exc:
                ok = False
                search.tried.append({"n": n, "ok": False, "error": str(exc)})
            progress(f"  capacity {variant} n={n}: {'pass' if ok else 'FAIL'}")
            search.record(n, ok)
    found = {
        variant: {"capacity": search.passed, "first_failure": search.failed, "probes": search.tried}
        for variant, search in searches.items()
    }
    return {"poll": CAPACITY_POLL, "job_seconds": CAPACITY_JOB_SECONDS, "target_ms": LAG_TARGET_MS, "raw": found}


class _Search:
    """One variant's search: x1.5 after a pass, /2 after a failure, then halving the gap."""

    def __init__(self, start_n: int) -> None:
        self.n = start_n
        self.passed: int | None = None
        self.failed: int | None = None
        self.tried: list[dict[str, Any]] = []
        self.done = False

    def record(self, n: int, ok: bool) -> None:
        if ok:
            self.passed = max(self.passed or 0, n)
        else:
            self.failed = min(self.failed or n, n)
        if self.passed is not None and self.failed is not None:
            self.n = _round_to((self.passed + self.failed) / 2, 50)
            self.done = self.n in (self.passed, self.failed)
        else:
            self.n = _round_to(n * 1.5 if ok else n / 2, 50)


_KEEP = (
    "cpu_per_poll_ms",
    "lag_p99_ms",
    "lag_p99_no_gc2_ms",
    "gc_gen2_count",
    "gc_max_pause_ms",
    "polls",
    "kb_per_trigger_peak",
    "statuses",
)
