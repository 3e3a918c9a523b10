"""A production-shaped Airflow on one machine: PostgreSQL, Redis and the CeleryExecutor, two Celery workers,
two triggerers, the scheduler, the dag-processor and the api-server, an S3 server (moto) where videos land,
and the PixVerse emulator with the plan's concurrency limit. ``make deployment`` runs it for a user; the
tests in tests/e2e/cluster run the same class.

``Cluster`` extends ``make airflow``'s ``LocalAirflow`` (scripts/standalone.py): the same process handling
(each process in its own session, the run's environment marker, ``stop()`` ending everything the run
started, task processes included), the same loopback-only rule, and three more services started before
Airflow. ``kill`` and ``restart`` act on one process by name, as an operator (or a supervisor such as
systemd or Kubernetes) would: the fault scenarios use them.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from dataclasses import dataclass, field
from typing import Any

import psutil
import requests

from scripts.cluster.hostname import COMPONENT_VARIABLE
from scripts.cluster.services import (
    LOOPBACK,
    MotoS3Service,
    PostgresService,
    RedisService,
    Service,
)
from scripts.standalone import ROOT, LocalAirflow

S3_CONN_ID = "videos_s3"
"""The ``aws`` connection of the S3 server; ``output_conn_id`` of the DAGs that land videos there."""
POOL = "pixverse"
"""The pool of the generation tasks, sized to the emulated plan's concurrency."""
S3_CREDENTIALS = "pixverse-local"
"""moto accepts any key: this one says it is not a real AWS account."""
CELERY_WORKER = ["celery", "worker", "--skip-serve-logs", "--without-gossip", "--without-mingle"]
"""``airflow celery worker`` without its log server (a 0.0.0.0 listener) and without the start-up chatter
between workers that only slows a start on one machine."""


@dataclass
class Cluster(LocalAirflow):
    """The production-shaped deployment; see the module docstring.

    :param workers: how many Celery workers (``worker-1``, ``worker-2``, ...).
    :param worker_concurrency: task slots of each worker.
    :param triggerers: how many triggerers (``triggerer-1``, ``triggerer-2``, ...).
    :param bucket: the S3 bucket created at start (``s3://<bucket>/...``).
    """

    workers: int = 2
    worker_concurrency: int = 4
    triggerers: int = 2
    bucket: str = "videos"
    postgres: PostgresService = field(default_factory=PostgresService)
    redis: RedisService = field(default_factory=RedisService)
    s3: MotoS3Service = field(default_factory=MotoS3Service)

    def services(self) -> list[Service]:
        """PostgreSQL, Redis and S3, in the order they start (they stop in the reverse order)."""
        return [self.postgres, self.redis, self.s3]

    @property
    def worker_names(self) -> list[str]:
        return [f"worker-{n}" for n in range(1, self.workers + 1)]

    @property
    def triggerer_names(self) -> list[str]:
        return [f"triggerer-{n}" for n in range(1, self.triggerers + 1)]

    def s3_connection(self) -> str:
        """The ``aws`` connection of the S3 server, as an ``AIRFLOW_CONN_...`` value."""
        return json.dumps(
            {
                "conn_type": "aws",
                "login": S3_CREDENTIALS,
                "password": S3_CREDENTIALS,
                "extra": {"endpoint_url": self.s3.url, "region_name": "us-east-1"},
            }
        )

    def env(self) -> dict[str, str]:
        return {
            **super().env(),
            "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
            # Twice the worker slots: the next tasks wait queued in the broker, ready when a slot frees.
            "AIRFLOW__CORE__PARALLELISM": str(2 * self.workers * self.worker_concurrency),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": self.postgres.url,
            "AIRFLOW__CELERY__BROKER_URL": self.redis.url,
            "AIRFLOW__CELERY__RESULT_BACKEND": f"db+{self.postgres.url.replace('+psycopg2', '')}",
            "AIRFLOW__CELERY__WORKER_CONCURRENCY": str(self.worker_concurrency),
            f"AIRFLOW_CONN_{S3_CONN_ID.upper()}": self.s3_connection(),
            "AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS": "scripts.cluster.celery_config.CELERY_CONFIG",
            "AIRFLOW__CORE__HOSTNAME_CALLABLE": "scripts.cluster.hostname.component_hostname",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
            **self.settings,
        }

    def components(self) -> dict[str, list[str]]:
        components = super().components()
        triggerer = components.pop("triggerer")
        components |= {name: list(triggerer) for name in self.triggerer_names}
        for name in self.worker_names:
            components[name] = [*CELERY_WORKER, "--celery-hostname", f"{name}@%h"]
            components[name] += ["--concurrency", str(self.worker_concurrency)]
        return components

    def _spawn(self, name: str, args: list[str], env: dict[str, str], **popen: Any) -> None:
        """``LocalAirflow._spawn``, telling the process which component it is (scripts/cluster/hostname.py)."""
        super()._spawn(name, args, {**env, COMPONENT_VARIABLE: name}, **popen)

    def start(self) -> Cluster:
        """Start PostgreSQL, Redis and S3, create the bucket, then Airflow and the emulator (``LocalAirflow``),
        and create the ``pixverse`` pool."""
        self.logs.mkdir(parents=True, exist_ok=True)
        for service in self.services():
            service.prepare()
            self._spawn(service.name, service.command(), self.env(), **service.popen_args())
        for service in self.services():
            self.wait_until(service.ready, 60, f"{service.name} to answer on {LOOPBACK}:{service.port}")
        self._create_bucket()
        super().start()
        self._create_pool()
        return self

    def _create_pool(self) -> None:
        """The ``pixverse`` pool, one slot per video the plan renders at once (docs/production.rst)."""
        token = requests.get(f"{self.api}/auth/token", timeout=30).json()["access_token"]
        pool = {"name": POOL, "slots": self.concurrency, "description": "PixVerse plan concurrency"}
        answer = requests.post(
            f"{self.api}/api/v2/pools", json=pool, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )
        answer.raise_for_status()

    def _create_bucket(self) -> None:
        self.s3_client().create_bucket(Bucket=self.bucket)

    def s3_client(self) -> Any:
        """A boto3 S3 client of the S3 server (for the bucket, and for tests reading what landed)."""
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.s3.url,
            aws_access_key_id=S3_CREDENTIALS,
            aws_secret_access_key=S3_CREDENTIALS,
            region_name="us-east-1",
        )

    # --- faults and recovery ---------------------------------------------------------------------------------

    def kill(self, name: str, sig: int = signal.SIGKILL) -> list[int]:
        """Send ``sig`` (``kill -9`` by default) to a component and every process it started, as when its
        machine or container dies: its process group and every descendant (a Celery worker's pool, and the task
        processes, which Airflow puts in process groups of their own). Returns the pids signalled."""
        group = self.processes[name].pid
        members = {p.pid: p for p in psutil.process_iter() if _pgid(p.pid) == group}
        for process in list(members.values()):
            with contextlib.suppress(psutil.Error):
                members |= {child.pid: child for child in process.children(recursive=True)}
        for process in members.values():
            with contextlib.suppress(psutil.Error):
                process.send_signal(sig)
        if sig == signal.SIGKILL:
            psutil.wait_procs(list(members.values()), timeout=30)
            self.processes[name].wait(timeout=30)
        return sorted(members)

    def restart(self, name: str, grace: float = 30.0) -> None:
        """Start ``name`` again with the same command, as a supervisor would; stop it first if it runs."""
        process = self.processes[name]
        service = next((s for s in self.services() if s.name == name), None)
        if process.poll() is None:
            stop_signal = service.stop_signal if service else signal.SIGTERM
            os.kill(process.pid, stop_signal)
            try:
                process.wait(timeout=grace)
            except Exception:
                self.kill(name)
        if service is not None:
            self._spawn(name, service.command(), self.env(), **service.popen_args())
            self.wait_until(service.ready, 60, f"{name} to answer again")
        else:
            self._spawn(name, list(process.args), self.env())  # type: ignore[arg-type]

    def stop(self, grace: float = 20.0) -> list[int]:
        """Stop Airflow and the emulator, then the services (PostgreSQL last: the others use it), then remove
        the services' data folders; returns the pids still alive (none, when all went well)."""
        names = {s.name for s in self.services()}
        airflow = [p for name, p in self.processes.items() if name not in names and p.poll() is None]
        for process in airflow:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGTERM)
        _wait_all(airflow, grace)
        for service in reversed(self.services()):
            running = self.processes.get(service.name)
            if running is not None and running.poll() is None:
                os.kill(running.pid, service.stop_signal)
                _wait_all([running], grace)
        survivors = super().stop(grace)
        for service in self.services():
            service.cleanup()
        return survivors


def _pgid(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except OSError:
        return None


def _wait_all(processes: list[Any], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    for process in processes:
        with contextlib.suppress(Exception):
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
