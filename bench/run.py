"""``make bench``: run every benchmark side by side in one run and rewrite bench/RESULTS.md.

    .venv/bin/python bench/run.py                 # everything, under 15 min on 2 cores; writes bench/RESULTS.md
    .venv/bin/python bench/run.py --prototypes    # also the designs whose lesson is recorded (shared, own_ssl)
    .venv/bin/python bench/run.py --e2e-before main   # section 4 also on main's package, beside this tree's
    .venv/bin/python bench/run.py --e2e-before-json before.json   # ... or beside figures recorded earlier
    .venv/bin/python bench/run.py --e2e-json a.json --e2e-json b.json   # section 4 as e2e_bench.py recorded it
    .venv/bin/python bench/run.py --quick --output /tmp/x/RESULTS.md   # smoke test of the machinery (~4 min)
    .venv/bin/python bench/run.py --render bench/RESULTS.json       # re-render RESULTS.md, measure nothing

Every figure also goes to RESULTS.json next to RESULTS.md. Sections of RESULTS.md that this runner does
not write (other benchmarks' "## ..." sections appended to it) are kept as they are, after its own.

The run always finishes: every section runs in a child process of its own with a time limit from the
run's budget (``--budget``, 14 min), and is killed at its limit; within section 1 every variant's worker
has its own limit. Whatever a section measured before it failed or was stopped is kept (it writes its
figures after each step), and the failure is reported beside them. Loads are sized from a short
calibration (bench/trigger_load.py), so a slower machine runs fewer triggers in the same time.

No figure here is a timed test: nothing fails because a number is bad. The run fails (exit 1) only when a
benchmark could not be measured; a missed target is written into RESULTS.md with the reason.
Benchmarks (one module each): triggers_bench + trigger_load (1), parse_bench (2), transfer_bench (3),
e2e_bench (4).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchutil as bu
import sections
from report import render

RESULTS = bu.BENCH_DIR / "RESULTS.md"
SHARE = {"triggers": 0.55, "parse": 0.10, "transfers": 0.07, "e2e": 0.28}
"""Each section's share of the budget (its time limit); a section that ends early leaves its time to the rest."""
E2E_BEFORE_SHARE = 0.5
"""With ``--e2e-before``, the part of section 4's time that the earlier package's deployment gets."""


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _run_section(name: str, options: dict[str, Any], limit: float, log_dir: Path) -> tuple[Any, str | None]:
    """Run one section in a child process killed at ``limit`` seconds: (its figures or None, its error)."""
    out = log_dir / f"section-{name}.json"
    out.unlink(missing_ok=True)
    cmd = [bu.PYTHON, str(Path(__file__).resolve()), "--section", name, "--section-output", str(out)]
    cmd += ["--section-options", json.dumps({**options, "deadline": time.time() + limit * 0.9})]
    env = dict(os.environ)
    if options.get("package_dir"):
        env["PYTHONPATH"] = os.pathsep.join([options["package_dir"], env.get("PYTHONPATH", "")])
    with (log_dir / f"section-{name}.log").open("ab") as err:
        proc = subprocess.Popen(cmd, stderr=err, env=env, cwd=bu.REPO)
        error = None
        try:
            code = proc.wait(limit)
            if code != 0:
                error = f"the section's process exited with {code} (log: {err.name})"
        except subprocess.TimeoutExpired:
            error = f"timed out: stopped at its {limit / 60:.1f} min limit"
        finally:  # also when this runner is stopped: the section cleans up what it started
            bu.stop_process(proc, timeout=60)
    result = json.loads(out.read_text()) if out.exists() else None
    if result is not None and "error" in result:  # the section's own words say more than its exit code
        error = result.pop("error") + (f" ({error})" if error and "timed out" in error else "")
    return result or None, error


def _package_at(ref: str, into: Path) -> Path:
    """``pixverse_provider/`` as it is at git ``ref``, exported into ``into`` (for ``--e2e-before``)."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(
        ["git", "-C", str(bu.REPO), "archive", ref, "pixverse_provider"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def measure(args: argparse.Namespace, log_dir: Path) -> dict[str, Any]:
    """Run the sections; every figure goes into one JSON-able dict (rendered by ``report.render``)."""
    only = [s for s in ("triggers", "parse", "transfers", "e2e") if s in args.only.split(",")]
    data: dict[str, Any] = {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": bu.machine_info(),
        "quick": args.quick,
        "budget_min": args.budget,
        "errors": {},
    }
    started = time.time()
    end = started + args.budget * 60
    if args.e2e_json:
        only = [s for s in only if s != "e2e"]
        data["e2e"] = {"runs": [json.loads(f.read_text()) for f in args.e2e_json], "errors": [], "recorded": True}
    for i, name in enumerate(only):
        left = end - time.time()
        share = SHARE[name] / sum(SHARE[s] for s in only[i:])
        limit = max(60.0, left * share)
        options: dict[str, Any] = {"quick": args.quick, "prototypes": args.prototypes}
        log(f"{name}: starting (limit {limit / 60:.1f} min)")
        t = time.time()
        if name == "e2e" and args.e2e_before:
            before_dir = _package_at(args.e2e_before, log_dir / "before")
            label = f"{args.e2e_before} ({_describe(args.e2e_before)})"
            before, before_error = _run_section(
                name, {**options, "package_dir": str(before_dir), "label": label}, limit * E2E_BEFORE_SHARE, log_dir
            )
            limit -= time.time() - t
            after, error = _run_section(name, {**options, "label": "this tree"}, limit, log_dir)
            result: Any = {"runs": [r for r in (before, after) if r], "errors": [before_error, error]}
            error = "; ".join(e for e in (before_error, error) if e) or None
        else:
            result, error = _run_section(name, options, limit, log_dir)
            if name == "e2e":
                earlier = [json.loads(args.e2e_before_json.read_text())] if args.e2e_before_json else []
                result = {"runs": earlier + ([result] if result else []), "errors": [error]}
        if result is not None:
            data[name] = result
        if error:
            data["errors"][name] = error
        log(f"{name}: {error or 'done'} in {time.time() - t:.0f}s")
    data["elapsed_s"] = time.time() - started
    return data


def _describe(ref: str) -> str:
    answer = subprocess.run(
        ["git", "-C", str(bu.REPO), "log", "-1", "--format=%h %s", ref], capture_output=True, text=True
    )
    return answer.stdout.strip()[:80]


def write(output: Path, data: dict[str, Any]) -> None:
    """RESULTS.md from ``data``, keeping the sections of it that this runner does not write."""
    kept = sections.foreign_sections(output.read_text()) if output.exists() else ""
    output.write_text(render(data) + (f"\n{kept}" if kept else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the results (bench/RESULTS.md)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one round: checks the machinery only")
    parser.add_argument("--only", default="triggers,parse,transfers,e2e", help="comma-separated subset to run")
    parser.add_argument("--prototypes", action="store_true", help="also the prototypes shared and own_ssl")
    parser.add_argument("--e2e-before", metavar="GITREF", help="section 4 also on this git ref's package")
    parser.add_argument(
        "--e2e-before-json", type=Path, help="section 4's figures of an earlier package, recorded by e2e_bench.py"
    )
    parser.add_argument(
        "--e2e-json",
        type=Path,
        action="append",
        help="section 4 from figures e2e_bench.py recorded (one file per package, in order) instead of a deployment",
    )
    parser.add_argument("--budget", type=float, default=14.0, help="minutes the whole run may take")
    parser.add_argument("--render", type=Path, help="only re-render --output from this RESULTS.json; measure nothing")
    parser.add_argument("--section", help=argparse.SUPPRESS)
    parser.add_argument("--section-output", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--section-options", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    # SIGTERM unwinds like Ctrl-C, so emulators, deployments, servers and the 1 GiB file are cleaned up.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    if args.section:
        return sections.run_section(args.section, json.loads(args.section_options), args.section_output, log)
    if args.render:
        write(args.output, json.loads(args.render.read_text()))
        log(f"rendered {args.output} from {args.render}")
        return 0
    log_dir = Path(tempfile.mkdtemp(prefix="pixverse-bench-logs-"))
    try:
        data = measure(args, log_dir)
    except Exception:
        log(traceback.format_exc())
        return 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.with_suffix(".json").write_text(json.dumps(data, indent=1, default=str) + "\n")
    write(args.output, data)
    log(f"wrote {args.output} and {args.output.with_suffix('.json').name} in {data['elapsed_s'] / 60:.1f} min")
    if data["errors"]:
        log(f"benchmarks not (fully) measured: {', '.join(data['errors'])}; logs kept in {log_dir}")
        return 1
    shutil.rmtree(log_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
