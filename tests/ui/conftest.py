"""One deployment for the UI tests (security and browser), started once and stopped at the end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.ui.deployment import UiDeployment, new_deployment


@pytest.fixture(scope="session")
def ui(tmp_path_factory: pytest.TempPathFactory) -> Iterator[UiDeployment]:
    airflow = new_deployment(tmp_path_factory.mktemp("ui"))
    try:
        airflow.start()
        airflow.run_all()
        yield airflow
    finally:
        survivors = airflow.stop()
        assert not survivors, f"processes left running: {survivors}"
