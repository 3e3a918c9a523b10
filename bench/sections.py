"""The sections of ``bench/run.py``, each run in a child process of its own (``run.py --section NAME``).

A section writes its figures to its output file after every step (``checkpoint``), so when the runner
stops it at its time limit, what it measured so far is kept. ``options["deadline"]`` (time.time()) is when
the section should be done: optional steps that would not fit are skipped and say so.
"""

from __future__ import annotations

import inspect
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import e2e_bench
import parse_bench
import transfer_bench
import trigger_load
import triggers_bench as tb

OWN_TITLES = ("# Benchmarks", "## Summary", "## 1.", "## 2.", "## 3.", "## 4.")
"""RESULTS.md sections this runner writes; any other ``## `` section is another benchmark's and is kept."""

MAIN_POLL = 2.0
MAIN_JOB_SECONDS = 12.0
SCALE_FACTOR = 10


def foreign_sections(text: str) -> str:
    """The ``## `` sections of an existing RESULTS.md that this runner does not write, in their order."""
    kept, keep = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("# ") or line.startswith("## "):
            keep = not line.startswith(OWN_TITLES)
        if keep:
            kept.append(line)
    return "".join(kept)


def run_section(name: str, options: dict[str, Any], output: Path, log: Callable[[str], None]) -> int:
    def checkpoint(figures: dict[str, Any]) -> None:
        output.write_text(json.dumps(figures, default=str))

    figures: dict[str, Any] = {}
    try:
        figures = SECTIONS[name](options, checkpoint, log)
        checkpoint(figures)
        return 0
    except Exception as exc:  # what was measured stays in the last checkpoint; the runner reports the error
        import traceback

        log(traceback.format_exc())
        previous = json.loads(output.read_text()) if output.exists() else {}
        checkpoint({**previous, "error": f"{type(exc).__name__}: {exc}"})
        return 1


def _triggers(options: dict[str, Any], checkpoint: Callable[[dict[str, Any]], None], log: Any) -> dict[str, Any]:
    quick, deadline = bool(options.get("quick")), float(options["deadline"])
    log_dir = Path(tempfile.mkdtemp(prefix="pixverse-bench-triggers-"))
    figures: dict[str, Any] = {"skipped": {}}
    variants = list(tb.DEFAULT_VARIANTS)
    if options.get("prototypes"):
        variants += [*tb.PROTOTYPES, *tb.DIAGNOSTICS]
        figures["client_cost"] = tb.client_cost()
    with tb.new_emulator(log_dir) as emulator:
        figures["calibration"] = calibration = trigger_load.calibrate(emulator, log_dir, log)
        checkpoint(figures)
        n = 100 if quick else calibration["n"]
        rounds, job_seconds = (1, 6.0) if quick else (2, MAIN_JOB_SECONDS)
        config = {
            "rounds": rounds,
            "n": n,
            "poll": MAIN_POLL,
            "job_seconds": job_seconds,
            "stagger": MAIN_POLL,
            "once": [v for v in tb.ONCE if v in variants],
        }

        def partial(raw: dict[str, Any]) -> None:
            figures["triggers"] = _main(config, variants, raw)
            checkpoint(figures)

        main = tb.run(
            rounds=rounds,
            n=n,
            poll=MAIN_POLL,
            job_seconds=job_seconds,
            variants=variants,
            log_dir=log_dir,
            progress=log,
            emulator=emulator,
            checkpoint=partial,
        )
        figures["triggers"] = _main(config, variants, main["raw"])
        checkpoint(figures)
        big, poll = (3 * n, 4.0) if quick else (SCALE_FACTOR * n, SCALE_FACTOR * MAIN_POLL)
        scale_needs = 2.5 * poll + tb.SETUP.margin(big) + 30
        figures["capacity"] = trigger_load.capacity(
            emulator,
            2 * n if quick else round(2.5 * n),
            log_dir,
            probes=2 if quick else 3,
            deadline=deadline - scale_needs - 30,
            progress=log,
        )
        checkpoint(figures)
        if time.time() + scale_needs < deadline:
            figures["scale"] = trigger_load.scale(emulator, big, poll, log_dir)
            log(f"  scale: {big} triggers done")
        else:
            figures["skipped"]["scale"] = "not enough time left in the section's budget"
    return figures


def _main(config: dict[str, Any], variants: list[str], raw: dict[str, Any]) -> dict[str, Any]:
    from pixverse_provider.hooks.pixverse_async import PixVerseAsyncHook

    return {
        "package_hook_passes_verify": "verify=" in inspect.getsource(PixVerseAsyncHook.__aenter__),
        "config": config,
        "variants": variants,
        "raw": raw,
    }


def _parse(options: dict[str, Any], checkpoint: Any, log: Any) -> dict[str, Any]:
    runs = 3 if options.get("quick") else 10
    return parse_bench.run(runs=runs, progress=log, deadline=float(options["deadline"]), checkpoint=checkpoint)


def _transfers(options: dict[str, Any], checkpoint: Any, log: Any) -> dict[str, Any]:
    quick = bool(options.get("quick"))
    size = 64 * transfer_bench.MIB if quick else transfer_bench.GIB
    deadline = float(options["deadline"])
    return transfer_bench.run(runs=1 if quick else 3, size=size, progress=log, deadline=deadline, checkpoint=checkpoint)


def _e2e(options: dict[str, Any], checkpoint: Any, log: Any) -> dict[str, Any]:
    figures = e2e_bench.measure(
        rounds=2 if options.get("quick") else 5,
        poll=5.0,
        generation_seconds=15.0,
        spacing=2.0,
        timeout=max(60.0, float(options["deadline"]) - time.time() - 30),
    )
    figures["package"] = options.get("label", "this tree")
    return figures


SECTIONS: dict[str, Callable[[dict[str, Any], Any, Any], dict[str, Any]]] = {
    "triggers": _triggers,
    "parse": _parse,
    "transfers": _transfers,
    "e2e": _e2e,
}
