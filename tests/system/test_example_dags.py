"""Every DAG in example_dags/ runs to success with dag.test() against the emulator, and lands its videos;
the deployment-only ones run in tests/e2e instead."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pixverse_provider.emulator import EmulatorServer
from pixverse_provider.emulator.probe import probe_media
from pixverse_provider.retry_policy import AIRFLOW_HAS_RETRY_POLICY
from tests.integration.conftest import connection_json
from tests.system.dag_files import run_dag_files

EXAMPLES = Path(__file__).parent.parent.parent / "example_dags"
EXAMPLE_FILES = sorted(p.stem for p in EXAMPLES.glob("*.py"))
NEEDS_AIRFLOW_3_3 = {"pixverse_retry_policy"}
"""Examples of a feature that arrived in Airflow 3.3 (``retry_policy``)."""
DEPLOYMENT_ONLY = {
    "pixverse_review": "its reviews are answered only through Airflow's api-server (the Required Actions page or the "
    "HITL REST API), which dag.test() does not start: on 3.3 it parks the review awaiting input for good, on 3.1 "
    "it runs the HITL trigger in line until an answer arrives; tests/e2e/test_review.py runs it in a deployment",
}
"""Examples dag.test() cannot finish, and why."""
DAG_TEST_FILES = [name for name in EXAMPLE_FILES if name not in DEPLOYMENT_ONLY]


@pytest.fixture(scope="module")
def example_runs(airflow_db: None, emulator: EmulatorServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    output_dir = tmp_path_factory.mktemp("videos")
    env = {
        **os.environ,
        "AIRFLOW_CONN_PIXVERSE_DEFAULT": connection_json(emulator.base_url),
        "PIXVERSE_OUTPUT_DIR": str(output_dir),
    }
    emulator.reset()
    results, _ = run_dag_files(EXAMPLES, env=env, cwd=tmp_path_factory.mktemp("cwd"), skip=DEPLOYMENT_ONLY)
    yield results, output_dir, emulator.counters()


def test_there_are_examples_for_every_mode_and_a_pipeline() -> None:
    modes = {"text_to_video", "image_to_video", "transition", "multi_transition", "effect", "fusion", "extend",
             "lip_sync", "sound_effect", "restyle", "swap", "mimic", "modify"}  # fmt: skip
    others = {"pixverse_pipeline", "pixverse_batch", "pixverse_retry_policy", "pixverse_review"}
    assert {f"pixverse_{mode}" for mode in modes} | others == set(EXAMPLE_FILES)


@pytest.mark.parametrize("name", DAG_TEST_FILES)
def test_example_dag_succeeds(name: str, example_runs: Any) -> None:
    results, _, _ = example_runs
    result = results[name]
    if name in NEEDS_AIRFLOW_3_3 and not AIRFLOW_HAS_RETRY_POLICY:
        assert "needs Airflow 3.3 or later" in result["error"], result  # refused at parse, saying why
        return
    assert "error" not in result, result
    assert result["state"] == "success", result["tasks"]
    assert set(result["tasks"].values()) == {"success"}


def test_the_deployment_only_examples_run_in_a_deployment_test_instead(example_runs: Any) -> None:
    results, _, _ = example_runs
    assert set(results) == set(DAG_TEST_FILES)
    e2e_tests = " ".join(test.read_text() for test in (EXAMPLES.parent / "tests" / "e2e").glob("test_*.py"))
    assert all(f"{name}.py" in e2e_tests for name in DEPLOYMENT_ONLY)


def test_examples_landed_real_videos(example_runs: Any) -> None:
    _, output_dir, counters = example_runs
    videos = list(output_dir.glob("pixverse_*.mp4"))
    assert len(videos) >= 14  # every example lands at least one (the batch lands 20)
    infos = [probe_media(video) for video in videos]
    assert all(info is not None and info.kind == "video" and info.duration_seconds for info in infos)
    assert counters["generations_charged"] >= len(videos)
