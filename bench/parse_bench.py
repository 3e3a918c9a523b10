"""Benchmark 2: DAG-parse cost of a DAG using all 15 PixVerse operators vs its airflow.sdk-only twin.

Each run is a fresh interpreter (``python bench/parse_bench.py child DAGFILE``) doing what Airflow 3's DAG
processor does for one file: the manager pre-imports the ``airflow.*`` modules the file names
(``_pre_import_airflow_modules``), then the forked child runs ``_parse_file`` (BundleDagBag + serialization).
Two figures per run:

- ``parse``: the ``_parse_file`` call alone, timed inside the child. This is what a running dag-processor
  pays on every re-parse of the file (its parse children fork from a manager that never imports the
  provider), so it is the figure the target is judged on.
- ``process``: the whole fresh interpreter, start to exit (interpreter, Airflow, pre-import, parse).

The files alternate run by run, after one discarded warm-up each. One extra run per file under
``-X importtime`` tells which modules the parse imported and what they cost.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import benchutil as bu

DAGS = {
    "pixverse": bu.BENCH_DIR / "dags" / "pixverse_all_operators.py",
    "sdk": bu.BENCH_DIR / "dags" / "sdk_only.py",
}


def _child(dag_file: str) -> int:
    import structlog
    from airflow.dag_processing.processor import DagFileParseRequest, _parse_file, _pre_import_airflow_modules

    log = structlog.get_logger()
    _pre_import_airflow_modules(dag_file, log)  # done by the manager, before it forks the parse child
    before = set(sys.modules)
    start, cpu = time.perf_counter(), time.process_time()
    request = DagFileParseRequest(file=dag_file, bundle_path=Path(dag_file).parent, bundle_name="bench")
    result = _parse_file(request, log)
    parse_s, parse_cpu = time.perf_counter() - start, time.process_time() - cpu
    assert result is not None
    new = sorted(set(sys.modules) - before)
    out = {
        "parse_s": parse_s,
        "parse_cpu_s": parse_cpu,
        "import_errors": result.import_errors,
        "tasks": [len(d.data["dag"]["tasks"]) for d in result.serialized_dags],
        "new_modules": new,
    }
    print("\n" + json.dumps(out), flush=True)
    return 0


def _run_child(dag: Path, importtime: bool = False) -> dict[str, Any]:
    cmd = [bu.PYTHON, *(["-X", "importtime"] if importtime else []), str(Path(__file__).resolve()), "child", str(dag)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=bu.child_env(), cwd=bu.REPO, timeout=300)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"parse child failed for {dag.name}: {proc.stderr[-2000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    if result["import_errors"] or result["tasks"] != [15]:
        raise RuntimeError(f"{dag.name} did not parse into one 15-task DAG: {result['import_errors']}")
    result["process_s"] = wall
    if importtime:
        result["importtime"] = _importtime(proc.stderr, set(result["new_modules"]))
    return result


def _importtime(stderr: str, new: set[str]) -> dict[str, Any]:
    """Self import time (ms) of the modules the parse imported, by top-level package and top modules."""
    selfs: dict[str, float] = {}
    for line in stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|\s+(\S+)", line)
        if match and match.group(3) in new:
            selfs[match.group(3)] = int(match.group(1)) / 1000
    packages: dict[str, float] = {}
    for name, ms in selfs.items():
        packages[name.split(".")[0]] = packages.get(name.split(".")[0], 0.0) + ms
    return {
        "total_ms": sum(selfs.values()),
        "modules": len(selfs),
        "by_package": dict(sorted(packages.items(), key=lambda kv: -kv[1])),
        "top_modules": dict(sorted(selfs.items(), key=lambda kv: -kv[1])[:12]),
        "top_pixverse": dict(
            sorted(((k, v) for k, v in selfs.items() if k.startswith("pixverse_provider")), key=lambda kv: -kv[1])[:8]
        ),
    }


def run(
    *, runs: int = 15, progress: Any = print, deadline: float | None = None, checkpoint: Any = None
) -> dict[str, Any]:
    """``runs`` pairs of fresh interpreters (fewer, at least three, when ``deadline`` (time.time()) would pass
    first); ``checkpoint(figures)`` after every pair, so a run stopped at its limit keeps what it measured."""
    raw: dict[str, list[dict[str, Any]]] = {name: [] for name in DAGS}
    diagnostics = {name: _run_child(dag, importtime=True) for name, dag in DAGS.items()}  # also the warm-up
    started = time.time()
    for i in range(runs):
        order = list(DAGS) if i % 2 == 0 else list(reversed(DAGS))
        for name in order:
            result = _run_child(DAGS[name])
            raw[name].append({k: result[k] for k in ("parse_s", "parse_cpu_s", "process_s")})
        if checkpoint:
            checkpoint(_figures(i + 1, raw, diagnostics))
        if (i + 1) % 5 == 0:
            progress(f"  parse run {i + 1}/{runs}")
        per_pair = (time.time() - started) / (i + 1)
        if deadline is not None and i >= 2 and time.time() + 1.5 * per_pair > deadline:
            progress(f"  parse: {i + 1} of {runs} runs fit in the time left")
            break
    return _figures(len(raw["sdk"]), raw, diagnostics)


def _figures(runs: int, raw: dict[str, list[dict[str, Any]]], diagnostics: dict[str, Any]) -> dict[str, Any]:
    sdk_modules = set(diagnostics["sdk"]["new_modules"])
    extra = sorted(set(diagnostics["pixverse"]["new_modules"]) - sdk_modules)
    tops = {m.split(".")[0] for m in extra if not m.startswith("unusual_prefix_")}  # the DAG file itself
    heavy = sorted(tops - {"pixverse_provider"} - set(sys.stdlib_module_names))
    return {
        "runs": runs,
        "raw": raw,
        "importtime": {name: d["importtime"] for name, d in diagnostics.items()},
        "extra_modules": len(extra),
        "extra_top_level": sorted(tops),
        "extra_third_party": heavy,
        "pixverse_modules": sorted(m for m in extra if m.startswith("pixverse_provider")),
    }


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "child":
        sys.exit(_child(sys.argv[2]))
    print("usage: parse_bench.py child DAGFILE", file=sys.stderr)
    sys.exit(2)
