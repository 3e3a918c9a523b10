"""RESULTS.md section 1: the triggerer at scale (the comparison of variants; figures from triggers_bench)."""

from __future__ import annotations

import json
import os
from typing import Any

import benchutil as bu
import triggers_bench
from report_common import (
    TARGET_CPU_VS_FLOOR,
    TARGET_CPU_VS_NAIVE,
    TARGET_KB_PER_TRIGGER,
    TARGET_LAG_P99_MS,
    fmt,
    med,
    table,
    verdict,
)
from report_trigger_notes import trigger_findings


def trigger_section(res: dict[str, Any], cost: dict[str, Any] | None) -> tuple[str, list[list[str]]]:
    cfg, everything = res["config"], res["raw"]
    raw = {v: [r for r in rows if "error" not in r] for v, rows in everything.items()}
    failed = {v: [r["error"] for r in rows if "error" in r] for v, rows in everything.items()}
    m: dict[str, dict[str, float]] = {}
    for v, rows in raw.items():
        if not rows:
            continue
        m[v] = {
            k: med(rows, k)
            for k in (
                "cpu_per_poll_ms",
                "kb_per_trigger_peak",
                "kb_per_trigger_waiting",
                "lag_p99_ms",
                "lag_max_ms",
                "lag_p99_no_gc2_ms",
                "polls",
                "cpu_s",
                "wall_s",
                "gc_gen2_count",
                "gc_max_pause_ms",
            )
        }
        m[v]["pool_share"] = bu.median([r["pool_s"] / r["cpu_s"] for r in rows if r["cpu_s"]])
        m[v]["ok"] = all(r["ok"] for r in rows)
        m[v]["late"] = max(r.get("start_late_s", 0.0) for r in rows)
    floors = {k: m[k]["cpu_per_poll_ms"] for k in ("floor", "floor_per_client") if k in m}
    floor = min(floors.values()) if floors else float("nan")
    floor_name = min(floors, key=floors.__getitem__) if floors else "floor"
    naive = m.get("naive", {}).get("cpu_per_poll_ms", float("nan"))

    out = [
        "## 1. Triggerer at scale",
        "",
        f"{cfg['n']:,} triggers (sized by the calibration below) in one asyncio event loop, "
        "each waiting for its own emulator job that finishes "
        f"{cfg['job_seconds']:g} s after the trigger starts; poll interval {cfg['poll']:g} s; triggers start evenly "
        f"spread over {cfg['stagger']:g} s. Each variant runs in a fresh process, {cfg['rounds']} rounds in rotating "
        "order (figures are medians over rounds"
        + (f"; {', '.join(cfg['once'])} ran in the first round only" if cfg.get("once") else "")
        + "). The emulator runs in its own process, so its CPU is not counted. Trigger variants run as the Airflow 3 "
        "triggerer runs them: the class is imported from its serialized classpath, built from its kwargs and "
        "drained in its own task behind `greenback.ensure_portal()`; the connection comes from "
        "`AIRFLOW_CONN_PIXVERSE_DEFAULT` (a triggerer asks its supervisor instead).",
        "",
        "- **CPU per poll** = `time.process_time()` of the whole process over the window ÷ status GETs the emulator "
        "counted. **KB per waiting trigger** = (peak RSS during the window − RSS before the first trigger) ÷ triggers "
        "(peak = VmHWM after `clear_refs`). **Loop lag** = lateness of a 50 ms `asyncio.sleep` ticker in the same "
        "loop; *p99 w/o gen2* leaves out the ticks during which a full (generation 2) garbage collection ran.",
        f"- Floors: `floor` is the one the issue specified (ONE shared `httpx.AsyncClient`, httpx's default pool); "
        f"`floor_per_client` is the same bare loop with one client per waiter. Ratios use the cheaper of the two "
        f"(**{floor_name}**, {fmt(floor, 3)} ms/poll), i.e. the stricter reading of the target.",
        "",
    ]
    header = [
        "variant",
        "what it is",
        "CPU/poll ms",
        "× floor",
        "× naive",
        "KB/trigger (peak)",
        "KB/trigger (waiting)",
        "lag p99 ms",
        "lag max ms",
        "lag p99 w/o gen2 ms",
        "gen2 GCs (max pause ms)",
        "polls",
        "httpcore pool share of CPU",
        "all succeeded",
    ]
    rows = []
    for v in res["variants"]:
        if v not in m:
            continue
        x = m[v]
        rows.append(
            [
                f"`{v}`",
                triggers_bench.DESCRIPTIONS.get(v, v),
                fmt(x["cpu_per_poll_ms"], 3),
                fmt(x["cpu_per_poll_ms"] / floor),
                fmt(x["cpu_per_poll_ms"] / naive),
                fmt(x["kb_per_trigger_peak"], 1),
                fmt(x["kb_per_trigger_waiting"], 1),
                fmt(x["lag_p99_ms"], 0),
                fmt(x["lag_max_ms"], 0),
                fmt(x["lag_p99_no_gc2_ms"], 0),
                f"{fmt(x['gc_gen2_count'], 0)} ({fmt(x['gc_max_pause_ms'], 0)})",
                fmt(x["polls"], 0),
                f"{x['pool_share'] * 100:.0f}%",
                "yes" if x["ok"] else "**NO**",
            ]
        )
    out += [table(header, rows), ""]
    loads = [r["load_average"] for rows in raw.values() for r in rows if r.get("load_average") is not None]
    cores = os.cpu_count() or 1
    if loads and bu.median(loads) > cores:
        out += [
            f"**The machine was busy with other work during this run:** load average {fmt(bu.median(loads), 1)} "
            f"(median over rounds; {fmt(max(loads), 1)} at most) on {cores} cores. A worker that is not given a "
            "core falls behind whatever its own cost: loop lag (and the polls a round manages) then measures "
            "the contention more than the variant; CPU per poll and memory per trigger are its own. Column "
            "*load avg* of the raw figures says which rounds it hit.",
            "",
        ]
    failures = [f"- `{v}`: {error}" for v, errors in failed.items() for error in errors]
    if failures:
        out += ["**Rounds that failed or timed out** (not in the figures above; the other rounds are):", ""]
        out += [*failures, ""]

    if cost:
        own, shared = cost["own_ssl_context"], cost["shared_ssl_context"]
        out += [
            f"Cost of creating one `httpx.AsyncClient` (separate process, 100 clients): with its own SSLContext "
            f"(httpx's default, loads the CA bundle) **{fmt(own['ms'], 1)} ms CPU and {fmt(own['kb'], 0)} KB RSS**; "
            f"with a shared SSLContext {fmt(shared['ms'], 2)} ms and {fmt(shared['kb'], 0)} KB.",
            "",
        ]
    out += [
        "`shared` and `own_ssl` run the package's own `PixVerseVideoTrigger.run`, recompiled at import time "
        "from its source with `PixVerseAsyncHook(` replaced by `self.hook_class(` (bench/prototype.py), so they "
        "differ from `production` only in the hook.",
        "",
    ]
    out += ["Raw figures, one row per round:", ""]
    raw_header = [
        "variant",
        "round",
        "CPU s",
        "wall s",
        "polls",
        "CPU/poll ms",
        "RSS before KB",
        "peak KB",
        "KB/trigger",
        "lag p50/p99/max ms",
        "p99 w/o gen2",
        "gen2 GCs",
        "GC total s",
        "pool s",
        "start late s",
        "load avg",
        "statuses",
    ]
    raw_rows = []
    for v in res["variants"]:
        for i, r in enumerate(raw.get(v, []), 1):
            raw_rows.append(
                [
                    f"`{v}`",
                    str(i),
                    fmt(r["cpu_s"]),
                    fmt(r["wall_s"]),
                    str(r["polls"]),
                    fmt(r["cpu_per_poll_ms"], 3),
                    f"{r['rss0_kb']:,}",
                    f"{r['peak_kb']:,}",
                    fmt(r["kb_per_trigger_peak"], 1),
                    f"{fmt(r['lag_p50_ms'], 0)}/{fmt(r['lag_p99_ms'], 0)}/{fmt(r['lag_max_ms'], 0)}",
                    fmt(r["lag_p99_no_gc2_ms"], 0),
                    str(r["gc_gen2_count"]),
                    fmt(r["gc_total_s"]),
                    fmt(r["pool_s"]),
                    fmt(r.get("start_late_s", 0.0), 1),
                    fmt(r.get("load_average"), 1),
                    json.dumps(r["statuses"]) + (f" errors {r['error_count']}" if r["error_count"] else ""),
                ]
            )
    out += [table(raw_header, raw_rows), ""]

    summary: list[list[str]] = []
    for v, label in (("production", "package now"), ("shared", "per-loop shared client")):
        if v not in m:
            continue
        x = m[v]
        cpu_floor, cpu_naive = x["cpu_per_poll_ms"] / floor, x["cpu_per_poll_ms"] / naive
        summary += [
            [
                f"1 `{v}` ({label})",
                f"CPU/poll ≤ {TARGET_CPU_VS_FLOOR}× floor",
                f"{fmt(x['cpu_per_poll_ms'], 3)} ms = {fmt(cpu_floor)}× {floor_name}",
                verdict(cpu_floor <= TARGET_CPU_VS_FLOOR),
            ],
            [
                f"1 `{v}` ({label})",
                f"CPU/poll ≤ {TARGET_CPU_VS_NAIVE}× naive",
                f"{fmt(cpu_naive)}× naive ({fmt(naive, 3)} ms)",
                verdict(cpu_naive <= TARGET_CPU_VS_NAIVE),
            ],
            [
                f"1 `{v}` ({label})",
                f"≤ {TARGET_KB_PER_TRIGGER:g} KB per waiting trigger",
                f"{fmt(x['kb_per_trigger_peak'], 1)} KB (peak)",
                verdict(x["kb_per_trigger_peak"] <= TARGET_KB_PER_TRIGGER),
            ],
            [
                f"1 `{v}` ({label})",
                f"loop lag p99 < {TARGET_LAG_P99_MS:g} ms",
                f"{fmt(x['lag_p99_ms'], 0)} ms (w/o gen2 GC ticks: {fmt(x['lag_p99_no_gc2_ms'], 0)} ms)",
                verdict(x["lag_p99_ms"] < TARGET_LAG_P99_MS),
            ],
        ]
    out += trigger_findings(m, floor, floor_name, cost, bool(res.get("package_hook_passes_verify")))
    return "\n".join(out), summary
