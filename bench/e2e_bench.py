"""Benchmark 4: a real Airflow deployment; completion → success latency and worker runs per generated video.

``python bench/e2e_bench.py --output FILE.json [--package DIR]`` starts ``scripts/standalone.py``'s
``LocalAirflow`` (as the deployment tests do: ``tests/e2e/deployment.py``; api-server, scheduler,
dag-processor, triggerer, LocalExecutor, the emulator) with the worker-run counter of
``scripts/worker_runs.py``, serving ``bench/e2e_dags/``: four DAGs, one per way of waiting for a video
(operator + deferrable sensor, operator with ``wait_for_completion=True``; each without and with
``output_path``). Each DAG is triggered ``rounds`` times, the runs spread over time, so there are
``4 x rounds`` videos.

- **Completion → success latency** of a video: the ``end_date`` of the task that waited for it (Airflow's
  REST API) minus the moment the emulator finished it: the time of its submit in the emulator's request log
  plus the emulator's generation time (its job ends exactly then).
- **Worker runs per video**: the listener plugin writes one line per worker run (first runs and resumes
  alike); the runs of a DAG run are the runs one video cost.

``--package DIR`` runs the deployment on another copy of ``pixverse_provider`` (``DIR/pixverse_provider``,
put first on ``PYTHONPATH``), so the package before a change is measured beside it in one run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
DAGS = BENCH_DIR / "e2e_dags"
WAYS = {
    "bench_e2e_sensor": "operator + deferrable sensor",
    "bench_e2e_sensor_output": "operator + deferrable sensor, output_path",
    "bench_e2e_wait": "operator, wait_for_completion=True",
    "bench_e2e_wait_output": "operator, wait_for_completion=True, output_path",
}
GENERATE_PATH = "/openapi/v2/video/text/generate"
SQLITE_ARGS_MODULE = "pixverse_bench_sqlite"
"""A module in AIRFLOW_HOME/config (on the components' sys.path) holding SQLite's connect arguments."""
T = TypeVar("T")


def _moment(text: str) -> float:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def measure(*, rounds: int, poll: float, generation_seconds: float, spacing: float, timeout: float) -> dict[str, Any]:
    sys.path[:0] = [str(REPO)]
    import requests
    from scripts import worker_runs
    from tests.e2e.deployment import Deployment

    root = Path(tempfile.mkdtemp(prefix="pixverse-bench-e2e-"))
    ledger = root / "worker-runs.jsonl"
    airflow = Deployment(
        home=root / "home",
        dags_folder=DAGS,
        output_dir=root / "videos",
        generation_seconds=generation_seconds,
        concurrency=1000,
        worker_runs=ledger,
        settings={
            "PIXVERSE_BENCH_POLL_INTERVAL": str(poll),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONNECT_ARGS": f"{SQLITE_ARGS_MODULE}.CONNECT_ARGS",
        },
    )
    # SQLite's default busy timeout (5 s) is too short on a busy 2-core machine: a component that waits
    # longer for the database lock dies with "database is locked" (the triggerer did, mid-run).
    (root / "home" / "config").mkdir(parents=True)
    (root / "home" / "config" / f"{SQLITE_ARGS_MODULE}.py").write_text("CONNECT_ARGS = {'timeout': 120}\n")
    started = time.time()
    try:
        airflow.start()
        for dag_id in WAYS:  # parsed before the clock starts: the first trigger waits for its DAG
            airflow.wait_until(
                lambda d=dag_id: airflow._ok(f"{airflow.api}/api/v2/dags/{d}"), 300, f"DAG {dag_id} to be parsed"
            )
        ready = time.time()
        runs: list[tuple[str, str]] = []
        for number in range(rounds):
            for dag_id in WAYS:
                runs.append((dag_id, _trigger(airflow, dag_id, f"bench_{number + 1}_{dag_id}")))
                time.sleep(spacing)
        states = {
            (dag_id, run_id): _retrying(
                lambda d=dag_id, r=run_id: airflow.wait_for_run(
                    d, r, timeout=max(60.0, timeout - (time.time() - ready))
                )
            )
            for dag_id, run_id in runs
        }
        submits = requests.get(
            f"{airflow.emulator}/_emulator/requests", params={"path": GENERATE_PATH}, timeout=30
        ).json()["requests"]
        videos = []
        for dag_id, run_id in runs:
            tis = {ti["task_id"]: ti for ti in _retrying(lambda d=dag_id, r=run_id: airflow.task_instances(d, r))}
            per_task = worker_runs.runs_per_task(ledger, dag_id, run_id)
            submit = [s for s in submits if f"bench {dag_id} {run_id}" in str((s.get("body") or {}).get("prompt"))]
            wait = tis.get("wait", {})
            finished = submit[0]["time"] + generation_seconds if len(submit) == 1 else None
            ended = _moment(wait["end_date"]) if wait.get("end_date") else None
            videos.append(
                {
                    "dag_id": dag_id,
                    "run_id": run_id,
                    "state": states[(dag_id, run_id)],
                    "task_states": {task: ti["state"] for task, ti in tis.items()},
                    "worker_runs": sum(per_task.values()),
                    "worker_runs_per_task": {task: n for (task, _), n in sorted(per_task.items())},
                    "submits_seen": len(submit),
                    "finished": finished,
                    "success_at": ended,
                    "wait_queued_at": _moment(wait["queued_when"]) if wait.get("queued_when") else None,
                    "wait_started_at": _moment(wait["start_date"]) if wait.get("start_date") else None,
                    "latency_s": ended - finished if ended is not None and finished is not None else None,
                }
            )
        return {
            "rounds": rounds,
            "poll": poll,
            "generation_seconds": generation_seconds,
            "spacing": spacing,
            "start_s": ready - started,
            "ways": WAYS,
            "videos": videos,
            "airflow": _airflow_version(),
        }
    finally:
        survivors = airflow.stop()
        if survivors:
            print(f"processes left behind: {survivors}", file=sys.stderr)


def _retrying(call: Callable[[], T], attempts: int = 6) -> T:
    """A REST call, asked again when the api-server fails (SQLite answers "database is locked" under load)."""
    import requests

    for attempt in range(attempts):
        try:
            return call()
        except requests.HTTPError as exc:
            if exc.response is None or exc.response.status_code < 500 or attempt == attempts - 1:
                raise
        except (requests.ConnectionError, requests.Timeout):  # a stalled api-server (waiting on SQLite's lock)
            if attempt == attempts - 1:
                raise
        time.sleep(2.0)
    raise AssertionError("unreachable")


def _trigger(airflow: Any, dag_id: str, run_id: str) -> str:
    """Start a DAG run with our own run id, so asking again after a failed answer cannot start a second one."""

    def post() -> str:
        response = airflow.http.post(
            f"{airflow.api}/api/v2/dags/{dag_id}/dagRuns",
            json={"dag_run_id": run_id, "logical_date": None, "conf": {}},
            timeout=30,
        )
        if response.status_code != 409:  # 409: the earlier attempt did start it
            response.raise_for_status()
        return run_id

    return _retrying(post)


def _airflow_version() -> str:
    from importlib.metadata import version

    return version("apache-airflow")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=5, help="runs of each of the 4 DAGs (videos = 4 x rounds)")
    parser.add_argument("--poll", type=float, default=5.0)
    parser.add_argument("--generation-seconds", type=float, default=15.0)
    parser.add_argument("--spacing", type=float, default=2.0, help="seconds between two DAG-run triggers")
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args()
    # SIGTERM (the runner's time limit) unwinds, so the deployment is stopped in measure's finally.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    result = measure(
        rounds=args.rounds,
        poll=args.poll,
        generation_seconds=args.generation_seconds,
        spacing=args.spacing,
        timeout=args.timeout,
    )
    result["package"] = os.environ.get("PIXVERSE_BENCH_PACKAGE_LABEL", "this tree")
    args.output.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
