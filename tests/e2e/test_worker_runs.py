"""Worker runs per video in a real deployment (scheduler, dag-processor, triggerer, LocalExecutor).

A worker run costs a process, a DAG-file parse and a worker slot. On Airflow 3.3 the sensor starts in the
triggerer and a wait with nothing left to do ends there, so a video costs one run (the submit) when nothing
is landed and two when a file is. On 3.1 every wait starts or resumes on a worker, as before. Counted by the
listener plugin of scripts/worker_runs.py (one line per run), never by timing.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from pixverse_provider.after_submit.in_triggerer import AIRFLOW_3_3_PLUS
from pixverse_provider.emulator.probe import probe_media
from scripts.worker_runs import runs_per_task
from tests.e2e.deployment import Deployment

pytestmark = pytest.mark.e2e
WAITS = "worker_runs_per_video"


@pytest.fixture(scope="module")
def waits_run(deployment: Deployment) -> str:
    run_id = deployment.trigger(WAITS)
    assert deployment.wait_for_run(WAITS, run_id, timeout=420) == "success"
    return run_id


def runs(deployment: Deployment, dag_id: str, run_id: str) -> dict[str, int]:
    assert deployment.worker_runs is not None
    counted = runs_per_task(deployment.worker_runs, dag_id, run_id)
    tasks = {ti["task_id"] for ti in deployment.task_instances(dag_id, run_id)}
    return {task: counted.get((task, -1), 0) for task in tasks}


@pytest.mark.skipif(
    not AIRFLOW_3_3_PLUS, reason="start_from_trigger with templates and ending in the triggerer need Airflow 3.3"
)
def test_on_airflow_3_3_a_video_costs_one_worker_run_or_two_when_a_file_lands(
    deployment: Deployment, waits_run: str
) -> None:
    assert runs(deployment, WAITS, waits_run) == {
        "plain": 1,  # the submit
        "plain_ready": 0,  # started and ended in the triggerer
        "plain_ready_templated": 0,
        "landed": 1,
        "landed_ready": 1,  # back on a worker only to download
        "waited": 1,  # submitted, then ended by the trigger
        "waited_landed": 2,  # submit, then the download
        "downstream": 1,  # pulls what the triggerer pushed, and checks the types
    }


@pytest.mark.skipif(AIRFLOW_3_3_PLUS, reason="what Airflow 3.1 and 3.2 do")
def test_before_airflow_3_3_every_wait_comes_back_to_a_worker(deployment: Deployment, waits_run: str) -> None:
    counted = runs(deployment, WAITS, waits_run)
    assert counted["waited"] == counted["waited_landed"] == 2  # submit, then the resume
    for sensor in ("plain_ready", "plain_ready_templated", "landed_ready"):
        assert counted[sensor] >= 1  # it starts on a worker (and resumes on one unless the video was ready)


def test_a_task_ended_in_the_triggerer_has_the_xcoms_and_link_of_one_ended_on_a_worker(
    deployment: Deployment, waits_run: str
) -> None:
    video_id = deployment.xcom(WAITS, waits_run, "plain")
    for sensor in ("plain_ready", "plain_ready_templated"):
        summary = deployment.xcom(WAITS, waits_run, sensor)
        assert summary["video_id"] == video_id and summary["status"] == 1 and summary["size"] > 0
        assert deployment.xcom(WAITS, waits_run, sensor, key="video") == summary
        assert deployment.links(WAITS, waits_run, sensor) == {"PixVerse video": summary["url"]}

    waited_id = deployment.xcom(WAITS, waits_run, "waited")
    waited: dict[str, Any] = deployment.xcom(WAITS, waits_run, "waited", key="video")
    assert isinstance(waited_id, int) and waited["video_id"] == waited_id
    assert deployment.links(WAITS, waits_run, "waited") == {"PixVerse video": waited["url"]}


def test_landed_files_still_land(deployment: Deployment, waits_run: str) -> None:
    for task in ("landed_ready", "waited_landed"):
        video = deployment.xcom(WAITS, waits_run, task, key="video")
        landed = deployment.output_dir / f"pixverse_{video['video_id']}.mp4"
        assert landed.stat().st_size == video["size"]
        assert probe_media(landed).duration_seconds == 5.0
        assert deployment.xcom(WAITS, waits_run, task, key="video_path") == landed.as_uri()


def test_a_refused_video_fails_on_a_worker_with_the_same_error_and_no_retry(deployment: Deployment) -> None:
    run_id = deployment.trigger("worker_runs_refused")
    assert deployment.wait_for_run("worker_runs_refused", run_id, timeout=300) == "failed"
    sensor = next(
        ti for ti in deployment.task_instances("worker_runs_refused", run_id) if ti["task_id"] == "refused_ready"
    )
    assert sensor["state"] == "failed" and sensor["try_number"] == 1  # retries=2, but moderation is final
    log = deployment.task_log("worker_runs_refused", run_id, "refused_ready")
    assert "PixVerseVideoModerationError" in log and "status 7" in log


@pytest.mark.skipif(not AIRFLOW_3_3_PLUS, reason="BaseTrigger.on_kill arrived in Airflow 3.3")
def test_clearing_a_deferred_wait_says_the_video_is_paid_for_and_the_rerun_resumes_it(deployment: Deployment) -> None:
    dag_id = "worker_runs_cleared"
    charged_before = deployment.emulator_counters()["generations_charged"]
    run_id = deployment.trigger(dag_id)
    video_id = None

    def trigger_running() -> bool:  # a trigger not yet started by the triggerer has nothing to kill
        nonlocal video_id
        if _state(deployment, dag_id, run_id, "long") != "deferred":
            return False
        log = deployment.task_log(dag_id, run_id, "long", try_number=1)
        submitted = re.search(r"Submitted PixVerse video (\d+)", log)
        video_id = int(submitted.group(1)) if submitted else None
        return video_id is not None and f"PixVerse video {video_id}: status 5" in log

    deployment.wait_until(trigger_running, 240, "the wait to run in the triggerer")

    deployment.clear(dag_id, run_id, ["long"])
    assert deployment.wait_for_run(dag_id, run_id, timeout=300) == "success"

    assert deployment.emulator_counters()["generations_charged"] - charged_before == 1  # resumed, not paid again
    assert deployment.xcom(dag_id, run_id, "long") == video_id
    first_try = deployment.task_log(dag_id, run_id, "long", try_number=1)
    assert f"Stopped waiting for PixVerse video {video_id}" in first_try and "keeps generating" in first_try
    second_try = deployment.task_log(dag_id, run_id, "long", try_number=2)
    assert f"Resuming video {video_id}" in second_try


def _state(deployment: Deployment, dag_id: str, run_id: str, task_id: str) -> str | None:
    return next(ti["state"] for ti in deployment.task_instances(dag_id, run_id) if ti["task_id"] == task_id)
