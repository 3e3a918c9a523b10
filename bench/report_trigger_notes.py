"""RESULTS.md section 1: what the trigger figures say, in words (conditional on what was measured)."""

from __future__ import annotations

from report_common import TARGET_CPU_VS_NAIVE, TARGET_LAG_P99_MS, fmt


def trigger_findings(
    m: dict[str, dict[str, float]], floor: float, floor_name: str, cost: dict | None, package_shares_ssl: bool
) -> list[str]:
    def get(v: str, k: str) -> float:
        return m.get(v, {}).get(k, float("nan"))

    def pct(v: str) -> str:
        return f"{get(v, 'pool_share') * 100:.0f}%"

    own = cost["own_ssl_context"] if cost else None
    lines = ["### What the figures say", ""]
    if "production" in m:
        text = (
            f"- **`production`**: {fmt(get('production', 'cpu_per_poll_ms'), 3)} ms CPU per poll "
            f"({fmt(get('production', 'cpu_per_poll_ms') / floor)}× {floor_name}), "
            f"{fmt(get('production', 'kb_per_trigger_peak'), 1)} KB per waiting trigger. "
        )
        if package_shares_ssl:
            text += (
                "`PixVerseAsyncHook` opens one `httpx.AsyncClient` per trigger with one process-wide "
                "`ssl.SSLContext` (`verify=`)."
            )
        else:
            text += (
                "`PixVerseAsyncHook` opens one `httpx.AsyncClient` per trigger and httpx builds a new "
                "`ssl.SSLContext` (loading the whole CA bundle) for each one."
            )
        lines.append(text)
    if "own_ssl" in m:
        lines.append(
            "- **`own_ssl`** is the same trigger with httpx's default of one `SSLContext` per client (the package "
            "before it shared one), measured in the same run: "
            f"{fmt(get('own_ssl', 'cpu_per_poll_ms'), 2)} ms per poll, {fmt(get('own_ssl', 'kb_per_trigger_peak'), 0)} "
            f"KB per waiting trigger, loop lag p99 {fmt(get('own_ssl', 'lag_p99_ms'), 0)} ms, "
            f"{fmt(get('own_ssl', 'polls'), 0)} polls against {fmt(get('production', 'polls'), 0)}: "
            + (
                f"each context costs {fmt(own['ms'], 1)} ms of CPU and {fmt(own['kb'], 0)} KB (measured separately "
                f"below), so 1,000 of them at start-up block the loop for seconds and delay every poll."
                if own
                else "the contexts block the loop at start-up and delay every poll."
            )
        )
    if "naive" in m:
        ratio = get("production", "cpu_per_poll_ms") / get("naive", "cpu_per_poll_ms")
        excess = get("production", "cpu_per_poll_ms") - TARGET_CPU_VS_NAIVE * get("naive", "cpu_per_poll_ms")
        setup = get("naive", "cpu_per_poll_ms") - get("production", "cpu_per_poll_ms")
        text = (
            f"- **`naive`** (a new `PixVerseAsyncHook` per poll) costs {fmt(get('naive', 'cpu_per_poll_ms'), 3)} ms "
            f"per poll; `production` is {fmt(ratio)}× that."
        )
        if ratio > TARGET_CPU_VS_NAIVE and package_shares_ssl:
            text += (
                " The naive trigger benefits from the shared SSLContext too, so a new client per poll now costs "
                "only its set-up, a connection lookup and a new TCP connection; against a naive trigger that "
                "builds an SSLContext per poll"
                + (f" ({fmt(own['ms'], 0)} ms each)" if own else "")
                + " the ratio would be far below 0.5×. To meet 0.5× against the naive trigger, `production` "
                f"needs about {fmt(excess, 2)} ms less per poll. The naive trigger runs the same poller and the same "
                "read as `production` (bench/prototype.py), so every saving in the read lowers both; what separates "
                f"them is the hook's set-up per poll (connection lookup, client, TCP connection): {fmt(setup, 3)} ms "
                f"here. 0.5× therefore needs `production` to cost no more than that set-up, while the bare "
                f"`{floor_name}` loop alone costs {fmt(floor, 3)} ms: a trigger as cheap as the floor would be "
                f"{fmt(floor / (floor + setup))}× naive. "
                + (
                    "`production` costs about what the floor does, so the measured cause is httpx's own "
                    "per-request work (the floor), not the provider's."
                    if get("production", "cpu_per_poll_ms") <= 1.1 * floor
                    else f"`production` costs {fmt(get('production', 'cpu_per_poll_ms') / floor)}× the floor: the "
                    "rest is the trigger's, the poller's and the hook's own work per poll."
                )
            )
        lines.append(text)
    if "production+nogreenback" in m:
        with_portal, without = get("production", "cpu_per_poll_ms"), get("production+nogreenback", "cpu_per_poll_ms")
        text = (
            f"- **Triggerer harness** (one run): without the `greenback.ensure_portal()` that Airflow's "
            f"TriggerRunner wraps every trigger in, `production` cost {fmt(without, 3)} ms per poll against "
            f"{fmt(with_portal, 3)} with it"
        )
        if get("production+nogreenback", "polls") < 0.95 * get("production", "polls"):
            text += (
                f", but that run fell behind (lag p99 {fmt(get('production+nogreenback', 'lag_p99_ms'), 0)} ms, "
                f"{fmt(get('production+nogreenback', 'polls'), 0)} polls), so it does not isolate the portal's cost."
            )
        else:
            text += "."
        text += (
            f" The gap between `production` and `{floor_name}` ({fmt(floor, 3)} ms) is per-poll work in the "
            "trigger, the hook (retry wrapper, envelope and model parsing, trace id, clock, progress) and the "
            "harness; this benchmark does not break it down further."
        )
        lines.append(text)
    if "shared" in m:
        text = (
            f"- **One shared client per event loop (`shared`)**: {fmt(get('shared', 'kb_per_trigger_peak'), 1)} KB "
            f"per trigger, {fmt(get('shared', 'cpu_per_poll_ms'), 3)} ms/poll, {pct('shared')} of its CPU in "
            f"httpcore's pool bookkeeping (`production`: {pct('production')}). "
            "`AsyncConnectionPool._assign_requests_to_connections` (httpcore) runs at every request start and end; "
            "it checks every pooled connection (an idle one's expiry check is a `poll()` system call; for each idle "
            "one it also counts all connections: O(connections²)) and tries every queued request against every "
            "connection. One pool shared by every waiter therefore gets slower exactly when requests pile up, and "
            "a loop that falls behind piles them up: it can collapse (see the raw rounds)."
        )
        if get("floor", "pool_share") > 0.3:
            text += (
                f" The specified `floor` (one shared client) shows it too: {pct('floor')} of its CPU in the pool, "
                f"against {pct('floor_per_client')} for `floor_per_client`."
            )
        text += (
            " In single exploratory runs while writing this benchmark, pool sizes 100/100, 10/10 and unlimited "
            "(besides httpx's default 100/20 used here) did not avoid it."
        )
        lines.append(text)
    lines.append(
        "- **Per poll, the package now** (what this run measures against the 2026-11-25 figures: production "
        "1.162 ms per poll = 0.58× naive, loop lag p99 151 ms with 9 full GCs): one clock read per poll and plain "
        "`timedelta` arithmetic (pendulum's `Interval`, built three times a poll before, costs ~100× a "
        "`timedelta`); a cached verdict per status; the status record dropped before the sleep (whatever a poll "
        "keeps across its sleep survives two young collections and fills the oldest generation, which is what "
        "triggers full collections); the hook re-sends one built `httpx.Request` per path with a fresh trace id "
        "instead of building one per poll (URL and header merging); tenacity's retry state built only after a "
        "retryable failure (the retrying run then replays that failure as its first attempt, so attempts, "
        "waits and log lines are unchanged); the usual envelope read without a pydantic model."
    )
    gc_bound = [
        v
        for v in m
        if get(v, "lag_p99_ms") >= TARGET_LAG_P99_MS > get(v, "lag_p99_no_gc2_ms") and get(v, "gc_gen2_count") > 0
    ]
    if gc_bound:
        lines.append(
            f"- **Loop lag** above {TARGET_LAG_P99_MS:g} ms in {', '.join(f'`{v}`' for v in gc_bound)} comes from full "
            "(generation 2) garbage collections: one walks the whole heap of the process, which holds all of "
            "Airflow, and stops the loop (longest pause in `production`: "
            f"{fmt(get('production', 'gc_max_pause_ms'), 0)} ms; a real triggerer imports more, so its pauses are "
            "longer). Leaving out the ticks that overlap one, their p99 is below the target (column *lag p99 w/o "
            "gen2*)."
            + (
                " In a process that called `gc.freeze()` after start-up (`production+gcfreeze`, one run) the p99 is "
                f"{fmt(get('production+gcfreeze', 'lag_p99_ms'), 0)} ms. Freezing the start-up heap is a triggerer "
                "setting (Airflow's dag-processor manager already does it), not something a provider should do "
                "from a trigger."
                if "production+gcfreeze" in m
                else ""
            )
        )
    cheaper = get("production", "cpu_per_poll_ms") <= get("shared", "cpu_per_poll_ms")
    compared = (
        f"In this run it is {'cheaper' if cheaper else 'dearer'} per poll than the per-loop shared client "
        f"({fmt(get('production', 'cpu_per_poll_ms'), 3)} against {fmt(get('shared', 'cpu_per_poll_ms'), 3)} ms)."
        if "shared" in m
        else "On 2026-11-25 it cost 1.162 ms per poll against 17.284 for the per-loop shared client (`shared`, "
        "measured again with `bench/run.py --prototypes`)."
    )
    lines += [
        "",
        "### Design",
        "",
        (
            "**Keep one `httpx.AsyncClient` per trigger with one process-wide `SSLContext`** (what "
            "`PixVerseAsyncHook` does now)"
            if package_shares_ssl
            else "**Recommended: keep one `httpx.AsyncClient` per trigger but give every client one process-wide "
            "`SSLContext`** (`verify=` a context made once with `httpx.create_ssl_context()`)"
        )
        + ": no cross-trigger coupling, no event-loop affinity to manage, a cancelled or stuck request affects only "
        "its own trigger, and each pool holds one connection and at most one request, so httpcore's bookkeeping "
        f"stays small. {compared}",
        "",
        "The per-event-loop shared client the issue suggested (`SharedAsyncClients` + `SharedClientAsyncHook` in "
        "`bench/prototype.py`: keyed by (loop, base URL, timeouts), reference-counted, the last user closes it) is "
        "implemented (measured with `--prototypes`); with httpx/httpcore as installed, one pool serving all the "
        "waiters spends its time in pool bookkeeping whenever requests queue. It would only pay off with a pool "
        "that scales (not httpcore's), or sharded into many small pools, which is a client per trigger again "
        "with fewer sockets. Over TLS a client per trigger costs one handshake per wait, which loopback http "
        "cannot show; at one handshake per several polls that stays small next to the SSLContext a client used to build"
        + (f" ({fmt(own['ms'], 0)} ms of CPU here)." if own else "."),
        "",
    ]
    return lines
