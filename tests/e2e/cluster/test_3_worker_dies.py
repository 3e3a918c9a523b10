"""Scenario 3, a worker dies after paying: ``kill -9`` the Celery worker (its whole process group: the worker,
its pool and the task process) right after the emulator accepted the task's generation POST, while the task
waits for the video on that worker. The scheduler fails the silent task after ``[scheduler]
task_instance_heartbeat_timeout`` (30 s here, 300 s by default) and retries it; the retry finds the video in
``task_state_store`` (Airflow 3.3) and resumes it: one charge, and the file lands."""

from __future__ import annotations

import time

import pytest

from tests.e2e.cluster.cluster import FIGURES, PAID, ClusterDeployment, SubmitWatch
from tests.e2e.cluster.landing import assert_landed_in_s3

pytestmark = pytest.mark.e2e
SECONDS = 60
"""The video's generation time: the kill lands long before it is ready, and the retry still finds it generating
or just finished."""


def test_the_retry_resumes_the_paid_video_after_the_worker_is_killed(cluster: ClusterDeployment) -> None:
    before = cluster.emulator_counters()
    with SubmitWatch(cluster) as submits:
        run_id = cluster.trigger(PAID, {"seconds": SECONDS, "prefix": "paid"})
        cluster.wait_for(lambda: _read(submits) > 0, 300, "the emulator to accept the generation POST")
        (ti,) = cluster.all_task_instances(PAID, run_id)
        assert ti["state"] == "running" and ti["try_number"] == 1
        worker = next(name for name in cluster.worker_names if ti["hostname"].endswith(name))
        killed = time.monotonic()
        cluster.kill(worker)
        (ti,) = cluster.all_task_instances(PAID, run_id)
        assert ti["state"] == "running" and ti["try_number"] == 1  # the kill landed before the task finished
        cluster.restart(worker)  # as a supervisor would

        assert cluster.run_state(PAID, run_id, timeout=600) == "success"
        recovered = time.monotonic() - killed
    (ti,) = cluster.all_task_instances(PAID, run_id)
    assert ti["try_number"] == 2
    assert cluster.emulator_counters()["generations_charged"] - before["generations_charged"] == 1
    assert len(submits.accepted) == 1
    video = cluster.xcom(PAID, run_id, "generate", key="video")
    assert video["video_id"] == cluster.xcom(PAID, run_id, "generate")
    assert_landed_in_s3(cluster, "paid", {video["video_id"]: video})
    log = cluster.task_log(PAID, run_id, "generate", try_number=2)
    assert f"Resuming video {video['video_id']} from an earlier try" in log
    FIGURES["3 worker dies"] = {
        "killed": worker,
        "tries": ti["try_number"],
        "charges": 1,
        "kill_to_success_seconds": round(recovered, 1),
        "task_instance_heartbeat_timeout": 30,
    }


def _read(submits: SubmitWatch) -> int:
    submits.read()
    return len(submits.accepted)
