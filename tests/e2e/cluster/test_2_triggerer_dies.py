"""Scenario 2, a triggerer dies: ``kill -9`` the triggerer running the most of ≥ 20 deferred waits; the other
adopts them once the dead one's heartbeat is older than ``[triggerer] triggerer_health_check_threshold`` (10 s
here, 30 s by default), and every wait ends with its video landed and paid for once."""

from __future__ import annotations

import time

import pytest

from tests.e2e.cluster.cluster import BATCH, FIGURES, ClusterDeployment, SubmitWatch
from tests.e2e.cluster.landing import assert_landed_in_s3, landed_videos

pytestmark = pytest.mark.e2e
COUNT = 24
SECONDS = 90
"""Each video's generation time: long enough that the waits are still deferred when the adoption ends."""
CPU_WINDOW = 8.0


def test_the_other_triggerer_adopts_the_waits_of_a_killed_one(cluster: ClusterDeployment) -> None:
    before = cluster.emulator_counters()
    idle = cluster.triggerer_cpu_rate(CPU_WINDOW)
    with SubmitWatch(cluster) as submits, cluster.plan_concurrency(COUNT):
        run_id = cluster.trigger(BATCH, {"count": COUNT, "prefix": "triggerer", "seconds": SECONDS})
        cluster.wait_for(
            lambda: sum(cluster.triggers_by_triggerer().values()) >= 20, 300, "20 waits deferred to the triggerers"
        )
        waiting: float = sum(cluster.triggers_by_triggerer().values())
        busy = cluster.triggerer_cpu_rate(CPU_WINDOW)
        held = cluster.triggers_by_triggerer()
        waiting = (waiting + sum(held.values())) / 2  # the mean over the CPU window
        victim = max(cluster.triggerer_names, key=lambda name: held.get(name, 0))
        survivor = next(name for name in cluster.triggerer_names if name != victim)
        assert all(held.get(name, 0) > 0 for name in cluster.triggerer_names), held  # both run waits

        killed = time.monotonic()
        cluster.kill(victim)
        cluster.wait_for(lambda: victim not in cluster.triggers_by_triggerer(), 180, f"{survivor} to adopt")
        adoption = time.monotonic() - killed
        adopted = cluster.triggers_by_triggerer()
        assert adopted.get(survivor, 0) >= held.get(victim, 0) > 0  # the waits moved, none ended meanwhile
        cluster.restart(victim)  # as a supervisor would: two triggerers again for what follows

        assert cluster.run_state(BATCH, run_id, timeout=600) == "success"
    tis = cluster.all_task_instances(BATCH, run_id)
    assert {ti["state"] for ti in tis} == {"success"}
    assert cluster.emulator_counters()["generations_charged"] - before["generations_charged"] == COUNT
    assert len(submits.accepted) == COUNT  # no extra submission
    videos = landed_videos(cluster, BATCH, run_id, "video.land")
    assert len(videos) == COUNT  # no lost video
    assert_landed_in_s3(cluster, "triggerer", videos)
    FIGURES["2 triggerer dies"] = {
        "waits_held_by_killed_triggerer": held.get(victim, 0),
        "waits_deferred_at_kill": sum(held.values()),
        "adoption_seconds": round(adoption, 1),
        "triggerer_health_check_threshold": 10,
        "triggerers_idle_cpu_ms_per_second": round(1000 * idle, 1),
        "triggerers_cpu_ms_per_second_with_waits": round(1000 * busy, 1),
        "triggerer_cpu_ms_per_waiting_video_per_second": round(1000 * (busy - idle) / waiting, 2),
    }
