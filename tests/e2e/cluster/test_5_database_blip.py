"""Scenario 5, the database blips: PostgreSQL is restarted (fast shutdown, which ends every session, then a
start on the same data) while every wait of a batch is deferred. A component that exits is started again, as
a supervisor would; which ones did is recorded. No video is lost and none is paid twice."""

from __future__ import annotations

import time

import pytest

from tests.e2e.cluster.cluster import BATCH, FIGURES, ClusterDeployment, SubmitWatch
from tests.e2e.cluster.landing import assert_landed_in_s3, landed_videos

pytestmark = pytest.mark.e2e
COUNT = 10
SECONDS = 60
OBSERVE = 20.0
"""Seconds to watch the components after the restart before restarting those that exited."""
ERRORS = ("OperationalError", "could not connect", "server closed the connection", "terminating connection")


def test_no_video_is_lost_or_paid_twice_when_postgres_restarts(cluster: ClusterDeployment) -> None:
    before = cluster.emulator_counters()
    airflow = [name for name in cluster.processes if name not in {s.name for s in cluster.services()}]
    log_sizes = {name: _log(cluster, name).stat().st_size for name in airflow}
    exited: list[str] = []
    with SubmitWatch(cluster) as submits, cluster.plan_concurrency(COUNT):
        run_id = cluster.trigger(BATCH, {"count": COUNT, "prefix": "blip", "seconds": SECONDS})
        cluster.wait_for(lambda: sum(cluster.triggers_by_triggerer().values()) >= COUNT, 300, "every wait deferred")
        restarted = time.monotonic()
        cluster.restart("postgres")
        down = time.monotonic() - restarted
        deadline = time.monotonic() + OBSERVE
        while time.monotonic() < deadline:
            for name in cluster.dead():
                exited.append(name)
                cluster.restart(name)  # as a supervisor would
            time.sleep(1)
        assert cluster.run_state(BATCH, run_id, timeout=600) == "success"
        for name in cluster.dead():  # one that exited later
            exited.append(name)
            cluster.restart(name)

    tis = cluster.all_task_instances(BATCH, run_id)
    assert {ti["state"] for ti in tis} == {"success"}
    assert cluster.emulator_counters()["generations_charged"] - before["generations_charged"] == COUNT
    assert len(submits.accepted) == COUNT
    videos = landed_videos(cluster, BATCH, run_id, "video.land")
    assert len(videos) == COUNT
    assert_landed_in_s3(cluster, "blip", videos)
    FIGURES["5 database blip"] = {
        "postgres_restart_seconds": round(down, 1),
        "components_that_exited": sorted(set(exited)),
        "database_errors_logged": {name: _errors(cluster, name, log_sizes[name]) for name in airflow},
        "tries_above_1": sum(1 for ti in tis if ti["try_number"] > 1),
    }


def _log(cluster: ClusterDeployment, name: str):  # type: ignore[no-untyped-def]
    return cluster.logs / f"{name}.log"


def _errors(cluster: ClusterDeployment, name: str, since: int) -> int:
    with _log(cluster, name).open("rb") as log:
        log.seek(since)
        text = log.read().decode("utf-8", "replace")
    return sum(1 for line in text.splitlines() if any(error in line for error in ERRORS))
