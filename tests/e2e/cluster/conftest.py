"""One production-shaped deployment (scripts/cluster) for the scenarios of this folder, started once and
stopped at the end, with nothing left running.

The scenarios need Airflow 3.3 (``task_state_store``, which the worker-crash scenario relies on) and the
``deployment`` extra (Celery, PostgreSQL and Amazon providers, moto) with Debian's postgresql and
redis-server: elsewhere (the oldest Airflow's venv has neither) they are skipped, saying so.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from packaging.version import Version

SKIP_REASON = "needs the deployment extra / Airflow 3.3"
CLUSTER_DAGS = Path(__file__).resolve().parents[3] / "scripts" / "cluster" / "dags"
GENERATION_SECONDS = 10.0
"""The emulator's generation time: the batch's floor is 100 videos / 5 at once x 10 s = 200 s, about what the
2-core machine needs for the batch's 200-odd task runs anyway (real videos take 30 s or more)."""


def _missing() -> str | None:
    from airflow import __version__ as airflow_version

    if Version(airflow_version) < Version("3.3.0"):
        return f"Airflow {airflow_version}"
    for module in ("airflow.providers.celery", "airflow.providers.amazon", "moto", "s3fs", "psycopg2"):
        if importlib.util.find_spec(module) is None:
            return f"no {module}"
    if shutil.which("redis-server") is None:
        return "no redis-server"
    from scripts.cluster.services import postgres_bin

    try:
        postgres_bin()
    except FileNotFoundError:
        return "no PostgreSQL"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    ours = [item for item in items if here in Path(str(item.fspath)).parents]
    missing = _missing() if ours else None
    for item in ours if missing else []:
        item.add_marker(pytest.mark.skip(reason=f"{SKIP_REASON} ({missing})"))


@pytest.fixture(scope="package")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from tests.e2e.cluster.cluster import TEST_SETTINGS, ClusterDeployment

    root = tmp_path_factory.mktemp("cluster")
    dags = root / "dags"
    dags.mkdir()
    shutil.copy(CLUSTER_DAGS / "pixverse_cluster.py", dags)
    deployment = ClusterDeployment(
        home=root / "home",
        dags_folder=dags,
        output_dir=root / "videos",
        generation_seconds=GENERATION_SECONDS,
        settings=dict(TEST_SETTINGS),
        worker_runs=root / "worker-runs.jsonl",
    )
    try:
        yield deployment.start()
    finally:
        survivors = deployment.stop()
        assert survivors == [], f"processes left behind: {survivors}"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from tests.e2e.cluster.cluster import FIGURES

    if FIGURES:
        terminalreporter.section("production-shaped deployment: figures")
        terminalreporter.write_line(json.dumps(FIGURES, indent=1, sort_keys=True))
