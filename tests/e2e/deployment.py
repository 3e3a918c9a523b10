"""A real Airflow deployment on loopback for end-to-end tests: ``make airflow``'s own ``LocalAirflow``
(api-server, scheduler, dag-processor and triggerer as separate processes, LocalExecutor, SQLite, the PixVerse
emulator in its own process, everything bound to 127.0.0.1), plus what the tests read through the REST API.

Every process starts in its own session, so ``stop()`` can end it and everything it spawned (the executor's
task processes included), also when a test fails half-way.
"""

from __future__ import annotations

import contextlib
import json
import socket
from dataclasses import dataclass, field
from ipaddress import ip_address
from typing import Any

import psutil
import requests

from scripts.standalone import LocalAirflow


@dataclass
class Deployment(LocalAirflow):
    generation_seconds: float = 10.0
    """Long enough that a trigger never fires before the executor has reported the deferring process's exit:
    on a loaded 2-core machine that report took over 5 s, and Airflow then fails the re-queued task
    ("state changed externally"). Real videos take 30 s or more."""
    http: requests.Session = field(default_factory=requests.Session)

    def env(self) -> dict[str, str]:
        return {
            **super().env(),
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "1",
            "AIRFLOW__TRIGGERER__JOB_HEARTBEAT_SEC": "1",
        }

    def start(self) -> Deployment:
        super().start()
        # Every user is an admin here, but Airflow 3.1 still wants a token on the REST API.
        token = requests.get(f"{self.api}/auth/token", timeout=30).json()["access_token"]
        self.http.headers["Authorization"] = f"Bearer {token}"
        return self

    # --- the REST API ------------------------------------------------------------------------------------

    def get(self, path: str, **params: Any) -> Any:
        """A REST API read; a read that times out is tried again (a busy 2-core machine can stall the api-server
        for longer than a test would wait for one answer)."""
        for attempt in range(3):
            try:
                response = self.http.get(f"{self.api}/api/v2{path}", params=params, timeout=60)
                break
            except requests.Timeout:
                if attempt == 2:
                    raise
        response.raise_for_status()
        return response.json()

    def trigger(self, dag_id: str, conf: dict[str, Any] | None = None) -> str:
        self.wait_until(lambda: self._ok(f"{self.api}/api/v2/dags/{dag_id}"), 180, f"DAG {dag_id} to be parsed")
        response = self.http.post(
            f"{self.api}/api/v2/dags/{dag_id}/dagRuns", json={"logical_date": None, "conf": conf or {}}, timeout=30
        )
        response.raise_for_status()
        return str(response.json()["dag_run_id"])

    def clear(self, dag_id: str, run_id: str, task_ids: list[str]) -> None:
        """Clear task instances as the UI's "Clear" does (they run again as a new try)."""
        body = {"dry_run": False, "dag_run_id": run_id, "task_ids": task_ids, "only_failed": False}
        response = self.http.post(f"{self.api}/api/v2/dags/{dag_id}/clearTaskInstances", json=body, timeout=30)
        response.raise_for_status()

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

    def _ok(self, url: str) -> bool:
        try:
            return self.http.get(url, timeout=5).status_code == 200
        except requests.RequestException:
            return False


def listening_addresses(processes: list[psutil.Process]) -> dict[str, set[str]]:
    """``{"<pid> <command>": {"ip:port"}}``: the TCP ports each process listens on, and its unconnected UDP ports."""
    found: dict[str, set[str]] = {}
    for process in processes:
        with contextlib.suppress(psutil.Error):
            sockets = process.net_connections(kind="inet")
            name = f"{process.pid} {' '.join(process.cmdline())[:80]}"
            for conn in sockets:
                if conn.status == psutil.CONN_LISTEN or (conn.type == socket.SOCK_DGRAM and not conn.raddr):
                    found.setdefault(name, set()).add(f"{conn.laddr.ip}:{conn.laddr.port}")
    return found


def off_loopback(addresses: dict[str, set[str]]) -> dict[str, set[str]]:
    """The addresses of ``listening_addresses`` that are not loopback (0.0.0.0 and :: included)."""
    outside = {
        name: {a for a in found if not ip_address(a.rsplit(":", 1)[0]).is_loopback} for name, found in addresses.items()
    }
    return {name: found for name, found in outside.items() if found}
