"""Suite-wide set-up: a private AIRFLOW_HOME, before anything imports Airflow."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="pixverse-airflow-home-"))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
# DAGs run by the system tests live beside the tests; dag.test() only runs DAGs of a configured bundle.
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = os.path.join(os.path.dirname(__file__), "dags")
os.environ.setdefault("AIRFLOW__CORE__UNIT_TEST_MODE", "False")


def pytest_configure(config: object) -> None:
    """Make fsspec's in-memory filesystem usable as ``ObjectStoragePath("memory://...")``: a real,
    non-local object store for upload and download tests that needs no cloud account."""
    import fsspec
    from airflow.sdk.io import attach

    attach("memory", fs=fsspec.filesystem("memory"))
