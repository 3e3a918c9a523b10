"""The UI tests' Airflow: the e2e ``Deployment`` (api-server, scheduler, dag-processor, triggerer, emulator on
loopback) with real users instead of "everyone is an admin", the per-DAG auth manager of ``auth_manager.py``,
and the DAGs of ``dags/``; used by the tests, the screenshots and bench/ui_bench.py."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import requests

from scripts.standalone import LocalAirflow
from tests.e2e.deployment import Deployment
from tests.ui.auth_manager import LIMITED_USER

ROOT = Path(__file__).resolve().parents[2]
DAGS = Path(__file__).parent / "dags"
PASSWORDS = {"admin": "admin-password-1", LIMITED_USER: "viewer-password-2"}
DAG_RUNS = {
    "ui_fox": "success",
    "ui_mapped": "success",
    "ui_escaped": "success",
    "ui_private": "success",
    "ui_failed": "failed",
}
"""The UI test DAGs and how each run ends."""


def plugin_entry_point_installed() -> bool:
    return any(e.name == "pixverse" for e in entry_points(group="airflow.plugins"))


def ui_settings(home: Path) -> dict[str, str]:
    passwords = home / "passwords.json"
    home.mkdir(parents=True, exist_ok=True)
    passwords.write_text(json.dumps(PASSWORDS))
    settings = {
        "AIRFLOW__CORE__AUTH_MANAGER": "tests.ui.auth_manager.OneDagAuthManager",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "False",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"admin:admin,{LIMITED_USER}:viewer",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
        "AIRFLOW__API__WORKERS": "1",  # one balance cache (each api-server worker process keeps its own)
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    }
    if not plugin_entry_point_installed():
        # A venv installed (editable) before the entry point existed: the provider's own "plugins" entry loads
        # the view instead, which Airflow reads only without lazy provider discovery.
        settings["AIRFLOW__CORE__LAZY_DISCOVER_PROVIDERS"] = "False"
    return settings


@dataclass
class UiDeployment(Deployment):
    runs: dict[str, str] = field(default_factory=dict)
    """``{dag_id: run_id}`` of ``run_all``."""

    def start(self) -> UiDeployment:
        LocalAirflow.start(self)
        self.http.headers["Authorization"] = f"Bearer {self.token('admin')}"
        return self

    def token(self, user: str) -> str:
        response = requests.post(
            f"{self.api}/auth/token", json={"username": user, "password": PASSWORDS[user]}, timeout=30
        )
        response.raise_for_status()
        return str(response.json()["access_token"])

    def view(self, path: str, token: str | None = None, **kwargs: Any) -> requests.Response:
        """GET a route of the PixVerse view, as the holder of ``token`` (``None``: anonymous)."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        headers.update(kwargs.pop("headers", {}))
        return requests.get(f"{self.api}/pixverse/{path}", headers=headers, timeout=60, **kwargs)

    def run_all(self, timeout: float = 300) -> dict[str, str]:
        """Trigger every UI test DAG at once; returns ``{dag_id: run_id}`` once all have ended as expected."""
        runs = self.runs = {dag_id: self.trigger(dag_id) for dag_id in DAG_RUNS}
        for dag_id, run_id in runs.items():
            state = self.wait_for_run(dag_id, run_id, timeout)
            if state != DAG_RUNS[dag_id]:
                raise RuntimeError(f"{dag_id} {run_id} ended {state}; logs in {self.home}")
        return runs


def new_deployment(home: Path, generation_seconds: float = 2.0) -> UiDeployment:
    return UiDeployment(
        home=home / "airflow",
        dags_folder=DAGS,
        output_dir=home / "videos",
        generation_seconds=generation_seconds,
        settings=ui_settings(home / "airflow"),
    )
