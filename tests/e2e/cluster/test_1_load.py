"""Scenario 1, load: a mapped batch of 100 generations (operator + deferrable sensor landing in S3) on two
Celery workers and two triggerers, against a plan that renders 5 videos at once."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

import pytest

from tests.e2e.cluster.cluster import BATCH, FIGURES, ClusterDeployment, SubmitWatch, TriggerWatch, summary
from tests.e2e.cluster.landing import assert_landed_in_s3, landed_videos
from tests.e2e.deployment import listening_addresses, off_loopback

pytestmark = pytest.mark.e2e
COUNT = 100


def test_every_process_listens_on_loopback_only(cluster: ClusterDeployment) -> None:
    addresses = listening_addresses(cluster.run_processes())
    assert off_loopback(addresses) == {}
    listening = set().union(*addresses.values())
    services = [cluster.api_port, cluster.emulator_port, *(s.port for s in cluster.services())]
    assert {f"127.0.0.1:{port}" for port in services} <= listening


def test_a_batch_of_100_lands_in_s3_paid_once_each(cluster: ClusterDeployment) -> None:
    before = cluster.emulator_counters()
    idle_cpu = _triggerer_cpu(cluster)
    started = time.monotonic()
    with SubmitWatch(cluster) as submits:
        run_id = cluster.trigger(BATCH, {"count": COUNT, "prefix": "load"})
        with TriggerWatch(cluster) as triggers:
            state = cluster.run_state(BATCH, run_id, timeout=900)
    wall = time.monotonic() - started
    triggerer_cpu = _triggerer_cpu(cluster) - idle_cpu

    assert state == "success"
    tis = cluster.all_task_instances(BATCH, run_id)
    assert len(tis) == 1 + 2 * COUNT  # the prompts, then a generate and a land per video
    assert {ti["state"] for ti in tis} == {"success"}
    counters = cluster.emulator_counters()
    assert counters["generations_charged"] - before["generations_charged"] == COUNT
    assert len(submits.accepted) == COUNT
    assert counters["max_concurrent_jobs"] <= cluster.concurrency
    videos = landed_videos(cluster, BATCH, run_id, "video.land")
    assert len(videos) == COUNT
    assert_landed_in_s3(cluster, "load", videos)
    events = cluster.asset_events(BATCH, run_id)
    assert len(events) == COUNT
    runs = cluster.runs_on_workers(BATCH, run_id)
    per_video = [runs.get(("video.generate", n), 0) + runs.get(("video.land", n), 0) for n in range(COUNT)]
    floor = COUNT / cluster.concurrency * cluster.generation_seconds
    FIGURES["1 load"] = {
        "videos": COUNT,
        "completion_to_success_seconds": summary(_latencies(cluster, run_id, submits)),
        "worker_runs_per_video": {"mean": sum(per_video) / COUNT, "min": min(per_video), "max": max(per_video)},
        "batch_wall_seconds": round(wall, 1),
        "emulator_floor_seconds": floor,
        "most_waits_deferred_at_once": triggers.most,
        "triggerers_that_ran_waits": sorted(triggers.triggerers),
        "triggerer_cpu_seconds": round(triggerer_cpu, 1),
        "generation_seconds": cluster.generation_seconds,
    }
    # Spread over both workers. Whether a wait defers at all depends on how soon its sensor starts after the
    # submit (a video already finished lands at once): the triggerers are recorded here, and scenario 2
    # asserts that both run waits.
    assert {name for name in cluster.worker_names if any(ti["hostname"].endswith(name) for ti in tis)} == set(
        cluster.worker_names
    )
    # One asset per landed object, named by where it is: s3://<bucket>/<key>, whichever connection reached it.
    assert {event["uri"] for event in events} == {f"s3://videos/load/pixverse_{video_id}.mp4" for video_id in videos}


def _triggerer_cpu(cluster: ClusterDeployment) -> float:
    return sum(cluster.cpu_seconds(name) for name in cluster.triggerer_names)


def _latencies(cluster: ClusterDeployment, run_id: str, submits: SubmitWatch) -> list[float]:
    """Seconds from each video's completion in the emulator (its accepted POST + the generation time) to the
    success of the task that landed it."""
    posted = {entry["trace_id"]: entry["time"] for entry in submits.accepted}
    ended = {ti["map_index"]: ti["end_date"] for ti in cluster.all_task_instances(BATCH, run_id, "video.land")}
    latencies: list[float] = []
    for map_index, end_date in ended.items():
        trace_id: Any = cluster.xcom(BATCH, run_id, "video.generate", key="trace_id", map_index=map_index)
        completed = posted[trace_id] + cluster.generation_seconds
        latencies.append(datetime.fromisoformat(end_date.replace("Z", "+00:00")).timestamp() - completed)
    return latencies
