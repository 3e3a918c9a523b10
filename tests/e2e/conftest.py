"""The real Airflow deployment that test_deployment.py and test_worker_runs.py share (one start for both)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.deployment import Deployment

EXAMPLES = Path(__file__).parent.parent.parent / "example_dags"
TEST_DAGS = Path(__file__).parent / "dags"


@pytest.fixture(scope="session")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    root = tmp_path_factory.mktemp("deployment")
    dags = root / "dags"
    dags.mkdir()
    for name in ("pixverse_pipeline.py", "pixverse_batch.py"):
        shutil.copy(EXAMPLES / name, dags / name)
    shutil.copytree(EXAMPLES / "assets", dags / "assets")
    for dag_file in TEST_DAGS.glob("*.py"):
        shutil.copy(dag_file, dags / dag_file.name)
    airflow = Deployment(
        home=root / "home", dags_folder=dags, output_dir=root / "videos", worker_runs=root / "worker-runs.jsonl"
    )
    try:
        yield airflow.start()
    finally:
        survivors = airflow.stop()
        assert survivors == [], f"processes left behind: {survivors}"
