"""The production-shaped deployment under test: ``make deployment``'s own ``Cluster`` with the REST helpers of
the SQLite deployment tests, plus what the scenarios read besides Airflow's REST API: the emulator's request
log and settings, the S3 bucket, the trigger table, and the processes' CPU time.

Every reading here is of an outcome (a state, a count of charges, an object's bytes); nothing counts polls.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import psutil
import requests

from pixverse_provider.api.endpoints import Endpoint
from scripts import worker_runs as run_ledger
from scripts.cluster.deployment import Cluster
from scripts.cluster.services import DATABASE, DB_USER, LOOPBACK
from tests.e2e.deployment import Deployment

BATCH = "pixverse_cluster_batch"
PAID = "pixverse_cluster_paid"
SUBMIT_PATH = Endpoint.TEXT_TO_VIDEO.value
TEST_SETTINGS = {
    # A triggerer silent for 10 s is dead: the other adopts its triggers (Airflow's default is 30 s).
    "AIRFLOW__TRIGGERER__TRIGGERER_HEALTH_CHECK_THRESHOLD": "10",
    # A task whose worker died is failed (and retried) after 30 s without a heartbeat (default 300 s).
    "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "30",
    "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT_DETECTION_INTERVAL": "5",
    "AIRFLOW__API__MAXIMUM_PAGE_LIMIT": "1000",
}
FIGURES: dict[str, Any] = {}
"""What the scenarios measured, printed at the end of the session (bench/RESULTS.md quotes them)."""


@dataclass
class ClusterDeployment(Cluster, Deployment):
    """``Cluster`` with ``Deployment``'s REST API helpers and the readings below."""

    def start(self) -> ClusterDeployment:
        super().start()
        return self

    # --- Airflow's REST API --------------------------------------------------------------------------------

    def all_task_instances(self, dag_id: str, run_id: str, task_id: str | None = None) -> list[dict[str, Any]]:
        """Every task instance of a run (the REST API pages by 100), optionally of one task."""
        found: list[dict[str, Any]] = []
        while True:
            page = self.get(f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances", limit=100, offset=len(found))
            found += page["task_instances"]
            if len(found) >= page["total_entries"] or not page["task_instances"]:
                break
        return [ti for ti in found if task_id is None or ti["task_id"] == task_id]

    def asset_events(self, dag_id: str, run_id: str) -> list[dict[str, Any]]:
        answer = self.get("/assets/events", source_dag_id=dag_id, source_run_id=run_id, limit=1000)
        return list(answer["asset_events"])

    def run_state(self, dag_id: str, run_id: str, timeout: float) -> str:
        """Wait for a run to end and return its state; a REST call failing meanwhile (the database restarting)
        or a component exiting does not end the wait (the scenario deals with those)."""
        state: dict[str, str] = {}

        def finished() -> bool:
            with contextlib.suppress(requests.RequestException):
                state["value"] = self.get(f"/dags/{dag_id}/dagRuns/{run_id}")["state"]
            return state.get("value") in ("success", "failed")

        self.wait_for(finished, timeout, f"run {run_id} of {dag_id} to finish")
        return state["value"]

    def deferred(self, dag_id: str, run_id: str) -> list[dict[str, Any]]:
        """The run's deferred task instances, each with its ``triggerer_job`` (None until a triggerer took it)."""
        answer = self.get(f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances", state="deferred", limit=100)
        return list(answer["task_instances"])

    def runs_on_workers(self, dag_id: str, run_id: str) -> dict[tuple[str, int], int]:
        """``{(task_id, map_index): worker runs}`` of a DAG run (``scripts/worker_runs.py``'s ledger)."""
        assert self.worker_runs is not None, "start the deployment with worker_runs=<ledger file>"
        return dict(run_ledger.runs_per_task(self.worker_runs, dag_id, run_id))

    # --- the emulator ----------------------------------------------------------------------------------------

    def emulator_requests(self, path: str) -> list[dict[str, Any]]:
        answer = requests.get(f"{self.emulator}/_emulator/requests", params={"path": path}, timeout=30)
        return list(answer.json()["requests"])

    def emulator_config(self, **changes: Any) -> dict[str, Any]:
        answer = requests.patch(f"{self.emulator}/_emulator/config", json=changes, timeout=30)
        answer.raise_for_status()
        return dict(answer.json())

    def inject(self, **fault: Any) -> None:
        requests.post(f"{self.emulator}/_emulator/faults", json=fault, timeout=30).raise_for_status()

    @contextlib.contextmanager
    def plan_concurrency(self, concurrency: int) -> Iterator[None]:
        """A bigger plan for a scenario that needs many videos generating at once; the usual one after."""
        self.emulator_config(concurrency=concurrency)
        try:
            yield
        finally:
            self.emulator_config(concurrency=self.concurrency)

    # --- S3, the database, the processes -----------------------------------------------------------------------

    def s3_objects(self, prefix: str) -> dict[str, int]:
        """``{key: size}`` of the bucket's objects under ``prefix``."""
        found: dict[str, int] = {}
        for page in self.s3_client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            found |= {item["Key"]: item["Size"] for item in page.get("Contents", [])}
        return found

    def s3_object(self, key: str) -> bytes:
        return bytes(self.s3_client().get_object(Bucket=self.bucket, Key=key)["Body"].read())

    def sql(self, query: str, *args: Any) -> list[tuple[Any, ...]]:
        import psycopg2

        conn = psycopg2.connect(host=LOOPBACK, port=self.postgres.port, user=DB_USER, dbname=DATABASE)
        try:
            with conn.cursor() as cur:
                cur.execute(query, args)
                return list(cur.fetchall())
        finally:
            conn.close()

    def triggers_by_triggerer(self) -> dict[str, int]:
        """``{triggerer: triggers assigned to it}`` from the trigger table (``triggerer-1``, ...; ``-`` for the
        unassigned), read through the job rows' host names (scripts/cluster/hostname.py)."""
        rows = self.sql(
            "SELECT j.hostname, count(*) FROM trigger t LEFT JOIN job j ON t.triggerer_id = j.id GROUP BY 1"
        )
        found: dict[str, int] = {}
        for host, count in rows:
            name = next((n for n in self.triggerer_names if str(host).endswith(n)), "-" if host is None else host)
            found[name] = found.get(name, 0) + count
        return found

    def cpu_seconds(self, name: str) -> float:
        """CPU time of a component's process group so far (its live processes and the children they reaped)."""
        group = self.processes[name].pid
        total = 0.0
        for process in psutil.process_iter():
            with contextlib.suppress(psutil.Error, OSError):
                if os.getpgid(process.pid) == group:
                    times = process.cpu_times()
                    total += times.user + times.system + times.children_user + times.children_system
        return total

    def triggerer_cpu_rate(self, seconds: float) -> float:
        """CPU seconds per second the triggerers use, over the next ``seconds``."""
        start_cpu, start = sum(map(self.cpu_seconds, self.triggerer_names)), time.monotonic()
        time.sleep(seconds)
        return (sum(map(self.cpu_seconds, self.triggerer_names)) - start_cpu) / (time.monotonic() - start)

    def wait_for(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        """Like ``wait_until``, but a dead component is the scenario's business, not an error here."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"gave up waiting {timeout:.0f}s for {what}; logs in {self.logs}")
            time.sleep(1)


@dataclass
class Watch:
    """Reads something every second in a thread, from ``with`` to its end (and once more at the end)."""

    deployment: ClusterDeployment
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> Any:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        with contextlib.suppress(requests.RequestException):
            self.read()

    def _run(self) -> None:
        while not self._stop.wait(1.0):
            with contextlib.suppress(Exception):  # a sampler: a failed reading is skipped, the next one counts
                self.read()

    def read(self) -> None:
        raise NotImplementedError


@dataclass
class SubmitWatch(Watch):
    """The emulator's log of generation POSTs (it keeps only the last 2000 requests of every kind, and a
    batch makes more); ``accepted`` are those it took (ErrCode 0), oldest first."""

    entries: dict[int, dict[str, Any]] = field(default_factory=dict)
    since: int = 0
    """The last request logged before the watch began: earlier ones are another scenario's."""

    def __enter__(self) -> SubmitWatch:
        self.since = max((e["seq"] for e in self.deployment.emulator_requests("*")), default=0)
        super().__enter__()
        return self

    def read(self) -> None:
        for entry in self.deployment.emulator_requests(SUBMIT_PATH):
            if entry["seq"] > self.since:
                self.entries[entry["seq"]] = entry

    @property
    def accepted(self) -> list[dict[str, Any]]:
        return [e for e in sorted(self.entries.values(), key=lambda e: e["seq"]) if e["err_code"] == 0]


@dataclass
class TriggerWatch(Watch):
    """The trigger table while a run goes: the most triggers at once, and the triggerers seen running them."""

    most: int = 0
    triggerers: set[str] = field(default_factory=set)

    def read(self) -> None:
        held = self.deployment.triggers_by_triggerer()
        self.most = max(self.most, sum(held.values()))
        self.triggerers |= {name for name, count in held.items() if count and name != "-"}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 2), "p95": round(percentile(values, 0.95), 2),
            "max": round(max(values), 2), "n": len(values)}  # fmt: skip
