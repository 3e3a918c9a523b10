"""A real Airflow deployment on loopback for end-to-end tests: api-server, scheduler, dag-processor and
triggerer as separate processes (LocalExecutor, SQLite), with the PixVerse emulator in its own process.

Every process starts in its own session, so ``stop()`` can end it and everything it spawned (the
executor's task processes included) by process group, also when a test fails half-way.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

EMULATOR_KEY = "pv-e2e-key-7c21"
AIRFLOW = [sys.executable, "-m", "airflow"]
COMPONENTS = ("api-server", "scheduler", "dag-processor", "triggerer")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Deployment:
    home: Path
    dags_folder: Path
    output_dir: Path
    generation_seconds: float = 10.0
    """Long enough that a trigger never fires before the executor has reported the deferring process's exit:
    on a loaded 2-core machine that report took over 5 s, and Airflow then fails the re-queued task
    ("state changed externally"). Real videos take 30 s or more."""
    concurrency: int = 5
    api_port: int = field(default_factory=free_port)
    emulator_port: int = field(default_factory=free_port)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    http: requests.Session = field(default_factory=requests.Session)

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def emulator(self) -> str:
        return f"http://127.0.0.1:{self.emulator_port}"

    def env(self) -> dict[str, str]:
        connection = {"conn_type": "pixverse", "host": self.emulator, "password": EMULATOR_KEY}
        return {
            **os.environ,
            "AIRFLOW_HOME": str(self.home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(self.dags_folder),
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": "8",
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.api}/execution/",
            "AIRFLOW__API__PORT": str(self.api_port),
            "AIRFLOW__API__BASE_URL": self.api,
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "1",
            "AIRFLOW__TRIGGERER__JOB_HEARTBEAT_SEC": "1",
            "AIRFLOW_CONN_PIXVERSE_DEFAULT": json.dumps(connection),
            "PIXVERSE_OUTPUT_DIR": str(self.output_dir),
        }

    def start(self) -> Deployment:
        self.home.mkdir(parents=True, exist_ok=True)
        self.output_dir.mkdir(parents=True, exist_ok=True)
        env = self.env()
        subprocess.run([*AIRFLOW, "db", "migrate"], env=env, check=True, capture_output=True)
        self._spawn(
            "emulator",
            [
                sys.executable,
                "-m",
                "pixverse_provider.emulator",
                "--port",
                str(self.emulator_port),
                "--api-key",
                EMULATOR_KEY,
                "--generation-seconds",
                str(self.generation_seconds),
                "--concurrency",
                str(self.concurrency),
                "--credits",
                "1000000",
            ],
            env,
        )
        for component in COMPONENTS:
            args = [*AIRFLOW, component] + (["--port", str(self.api_port)] if component == "api-server" else [])
            self._spawn(component, args, env)
        self.wait_until(lambda: self._ok(f"{self.api}/api/v2/version"), 120, "the api-server to answer")
        # Every user is an admin here, but Airflow 3.1 still wants a token on the REST API.
        token = requests.get(f"{self.api}/auth/token", timeout=30).json()["access_token"]
        self.http.headers["Authorization"] = f"Bearer {token}"
        self.wait_until(lambda: self._ok(f"{self.emulator}/_emulator/health"), 30, "the emulator to answer")
        return self

    def _spawn(self, name: str, args: list[str], env: dict[str, str]) -> None:
        log = (self.home / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(
            args, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def stop(self) -> list[int]:
        """End every process group this deployment started; returns the pids still alive afterwards."""
        for process in self.processes.values():
            _signal_group(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
        for process in self.processes.values():
            _signal_group(process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)
        time.sleep(0.5)
        return [p.pid for p in self.processes.values() if _group_alive(p.pid)]

    # --- the REST API ------------------------------------------------------------------------------------

    def get(self, path: str, **params: Any) -> Any:
        response = self.http.get(f"{self.api}/api/v2{path}", params=params, timeout=30)
        response.raise_for_status()
        return response.json()

    def trigger(self, dag_id: str, conf: dict[str, Any] | None = None) -> str:
        self.wait_until(lambda: self._ok(f"{self.api}/api/v2/dags/{dag_id}"), 180, f"DAG {dag_id} to be parsed")
        response = self.http.post(
            f"{self.api}/api/v2/dags/{dag_id}/dagRuns", json={"logical_date": None, "conf": conf or {}}, timeout=30
        )
        response.raise_for_status()
        return str(response.json()["dag_run_id"])

    def wait_for_run(self, dag_id: str, run_id: str, timeout: float) -> str:
        state: dict[str, str] = {}

        def finished() -> bool:
            state["value"] = self.get(f"/dags/{dag_id}/dagRuns/{run_id}")["state"]
            return state["value"] in ("success", "failed")

        self.wait_until(finished, timeout, f"run {run_id} of {dag_id} to finish")
        return state["value"]

    def task_instances(self, dag_id: str, run_id: str) -> list[dict[str, Any]]:
        return list(self.get(f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances", limit=100)["task_instances"])

    def xcom(self, dag_id: str, run_id: str, task_id: str, key: str = "return_value", map_index: int = -1) -> Any:
        entry = self.get(
            f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/xcomEntries/{key}", map_index=map_index
        )
        return entry["value"]

    def links(self, dag_id: str, run_id: str, task_id: str, map_index: int = -1) -> dict[str, Any]:
        answer = self.get(f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/links", map_index=map_index)
        return dict(answer.get("extra_links", answer))

    def task_log(self, dag_id: str, run_id: str, task_id: str, try_number: int = 1, map_index: int = -1) -> str:
        response = self.http.get(
            f"{self.api}/api/v2/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/logs/{try_number}",
            params={"map_index": map_index, "full_content": True},
            headers={"Accept": "application/json"},
            timeout=30,
        )
        response.raise_for_status()
        return json.dumps(response.json())

    def emulator_counters(self) -> dict[str, Any]:
        return dict(requests.get(f"{self.emulator}/_emulator/counters", timeout=10).json())

    # --- helpers -----------------------------------------------------------------------------------------

    def wait_until(self, condition: Any, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            dead = [name for name, p in self.processes.items() if p.poll() is not None]
            if dead:
                raise RuntimeError(f"{', '.join(dead)} exited while waiting for {what}; logs in {self.home}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"gave up waiting {timeout:.0f}s for {what}; logs in {self.home}")
            time.sleep(1)

    def _ok(self, url: str) -> bool:
        try:
            return self.http.get(url, timeout=5).status_code == 200
        except requests.RequestException:
            return False


def _signal_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def _group_alive(pgid: int) -> bool:
    """Whether any process of the group still runs (zombies excluded)."""
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False
