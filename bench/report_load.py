"""RESULTS.md section 1, continued: the calibration, the 10x run and the capacity search (trigger_load)."""

from __future__ import annotations

from typing import Any

from report_common import TARGET_LAG_P99_MS, fmt, table


def load_section(figures: dict[str, Any], main: dict[str, Any] | None) -> tuple[str, list[list[str]]]:
    out: list[str] = []
    summary: list[list[str]] = []
    cal = figures.get("calibration")
    if cal:
        out += [
            "### Calibration",
            "",
            f"100 `floor_per_client` triggers polling once a second cost {fmt(cal['floor_cpu_per_poll_ms'], 3)} ms "
            f"CPU per poll here, so the comparison above ran {cal['n']:,} triggers: the load that 1,000 put on "
            "the machine that wrote the first RESULTS.md (0.866 ms per poll, 0.43 of a core), at most 1,000.",
            "",
        ]
    scale = figures.get("scale")
    if scale:
        out += ["### Ten times the triggers", ""]
        production_main = _median_of(main, "production")
        for variant, r in scale["raw"].items():
            if "error" in r:
                out += [f"`{variant}` with {scale['n']:,} triggers: **{r['error']}**", ""]
                continue
            out += [
                f"{scale['n']:,} waiting `{variant}` triggers, polling every {scale['poll']:g} s (the same CPU load "
                f"as the comparison above, ten times the triggers), jobs of {scale['job_seconds']:g} s:",
                "",
                table(
                    ["figure", f"{scale['n']:,} triggers", "comparison run (median)", "ratio"],
                    [
                        _row("CPU per poll (ms)", r["cpu_per_poll_ms"], production_main.get("cpu_per_poll_ms"), 3),
                        _row(
                            "KB per trigger (peak)",
                            r["kb_per_trigger_peak"],
                            production_main.get("kb_per_trigger_peak"),
                            1,
                        ),
                        _row(
                            "KB per trigger (waiting)",
                            r.get("kb_per_trigger_waiting"),
                            production_main.get("kb_per_trigger_waiting"),
                            1,
                        ),
                        _row("loop lag p99 (ms)", r["lag_p99_ms"], production_main.get("lag_p99_ms"), 0),
                        _row(
                            "gen2 GCs (max pause ms)",
                            r["gc_gen2_count"],
                            production_main.get("gc_gen2_count"),
                            0,
                            r["gc_max_pause_ms"],
                        ),
                    ],
                ),
                "",
                f"Polls {r['polls']:,}; all succeeded: {'yes' if r['ok'] else '**NO** ' + str(r['statuses'])}.",
                "",
            ]
            summary.append(
                [
                    f"1 `{variant}`, {scale['n']:,} triggers",
                    "memory and CPU per poll at 10x (informational)",
                    f"{fmt(r['kb_per_trigger_peak'], 1)} KB/trigger, {fmt(r['cpu_per_poll_ms'], 3)} ms/poll",
                    "n/a",
                ]
            )
    elif figures.get("skipped", {}).get("scale"):
        out += [f"### Ten times the triggers\n\nNot run: {figures['skipped']['scale']}.\n"]
    cap = figures.get("capacity")
    if cap:
        text, rows = _capacity(cap)
        out += text
        summary += rows
    return "\n".join(out), summary


def _median_of(main: dict[str, Any] | None, variant: str) -> dict[str, float]:
    if not main:
        return {}
    rows = [r for r in main["raw"].get(variant, []) if "error" not in r]
    if not rows:
        return {}
    import statistics

    keys = ("cpu_per_poll_ms", "kb_per_trigger_peak", "kb_per_trigger_waiting", "lag_p99_ms", "gc_gen2_count")
    return {k: statistics.median(r[k] for r in rows if r.get(k) is not None) for k in keys}


def _row(name: str, big: float | None, base: float | None, digits: int, extra: float | None = None) -> list[str]:
    ratio = big / base if big is not None and base else None
    text = fmt(big, digits) + (f" ({fmt(extra, 0)})" if extra is not None else "")
    return [name, text, fmt(base, digits), fmt(ratio)]


def _capacity(cap: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    raw = cap["raw"]
    out = [
        "### Capacity of one event loop",
        "",
        f"How many waiting triggers one event loop (one core) holds at a {cap['poll']:g} s poll with loop lag p99 "
        f"under {cap['target_ms']:g} ms: a short search over N (x1.5 after a pass, /2 after a failure, then "
        f"halving the gap), each probe a fresh process whose triggers wait {cap['job_seconds']:g} s. The "
        "capacity is the largest N that passed; the first failure bounds it from above.",
        "",
    ]
    rows = []
    for variant, found in raw.items():
        for p in found["probes"]:
            rows.append(
                [
                    f"`{variant}`",
                    f"{p['n']:,}",
                    "pass" if p["ok"] else "**fail**",
                    fmt(p.get("lag_p99_ms"), 0),
                    fmt(p.get("lag_p99_no_gc2_ms"), 0),
                    f"{fmt(p.get('gc_gen2_count'), 0)} ({fmt(p.get('gc_max_pause_ms'), 0)})",
                    fmt(p.get("cpu_per_poll_ms"), 3),
                    p.get("error", ""),
                ]
            )
    out += [
        table(
            ["variant", "N", "result", "lag p99 ms", "p99 w/o gen2", "gen2 GCs (max pause ms)", "CPU/poll ms", "error"],
            rows,
        ),
        "",
    ]
    production, floor = raw.get("production", {}), raw.get("floor_per_client", {})
    summary = []
    if not rows:
        out += ["Not measured: no time was left in the section's budget for a probe.", ""]
        return out, [["1 capacity", "waiting triggers per core (reported)", "not measured (time budget)", "n/a"]]
    if production and floor:
        p, f = production.get("capacity"), floor.get("capacity")
        ratio = p / f if p and f else None
        bounds = lambda x: f"{x['capacity'] or 0:,} (first failure: {x['first_failure'] or 'none'})"  # noqa: E731
        out += [
            f"**Capacity at a {cap['poll']:g} s poll:** production {bounds(production)}, floor {bounds(floor)}; "
            f"production ÷ floor = {fmt(ratio)}.",
            "",
        ]
        summary.append(
            [
                "1 capacity",
                f"waiting triggers per core at {cap['poll']:g} s poll, lag p99 < {TARGET_LAG_P99_MS:g} ms",
                f"production {p or 0:,} vs floor {f or 0:,} = {fmt(ratio)}× floor",
                "reported",
            ]
        )
    return out, summary
