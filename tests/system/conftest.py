"""DAGs in a real Airflow: a migrated SQLite metadata DB, DAG files in tests/dags, run with dag.test().

dag.test() runs every task in this process, deferrals included (the trigger runs inline), so the
emulator started here serves them over loopback HTTP like a real PixVerse.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pixverse_provider.emulator import EmulatorConfig, EmulatorServer
from tests.integration.conftest import API_KEY, connection_json

DAGS = Path(__file__).parent.parent / "dags"


@pytest.fixture(scope="session", autouse=True)
def airflow_db() -> None:
    """A migrated metadata DB in the suite's private AIRFLOW_HOME."""
    subprocess.run([sys.executable, "-m", "airflow", "db", "migrate"], check=True, capture_output=True)


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorServer]:
    config = EmulatorConfig(api_keys=(API_KEY,), generation_seconds=1, concurrency=5, credits=100_000)
    with EmulatorServer(config) as server:
        yield server


@pytest.fixture(autouse=True)
def fresh_emulator(emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch) -> EmulatorServer:
    emulator.reset()
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json(emulator.base_url))
    return emulator


_loaded: dict[str, Any] = {}


def dag_from(file_name: str, dag_id: str) -> Any:
    """A DAG object from a file of tests/dags (each file is imported once per session)."""
    if file_name not in _loaded:
        spec = importlib.util.spec_from_file_location(f"test_dags_{file_name}", DAGS / f"{file_name}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _loaded[file_name] = module
    return _loaded[file_name].DAGS[dag_id]


def run_dag(file_name: str, dag_id: str, **run_conf: Any) -> Any:
    """Run one DAG with dag.test(); returns the DagRun (tasks' states and XComs are in the DB)."""
    return dag_from(file_name, dag_id).test(run_conf=run_conf or None)


def task_states(dag_run: Any) -> dict[str, str]:
    return {ti.task_id: str(ti.state) for ti in dag_run.get_task_instances()}


def xcom(dag_run: Any, task_id: str, key: str = "return_value") -> Any:
    ti = next(t for t in dag_run.get_task_instances() if t.task_id == task_id)
    return ti.xcom_pull(task_ids=task_id, key=key)
