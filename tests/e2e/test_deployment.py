"""End to end in a real Airflow deployment: the example pipeline and a mapped batch of 20 generations,
scheduled by the scheduler, deferred to the triggerer, checked through Airflow's REST API. The deployment
(``deployment`` in conftest.py) is shared with test_worker_runs.py."""

from __future__ import annotations

import pytest

from pixverse_provider.emulator.probe import MediaInfo, probe_media
from tests.e2e.deployment import Deployment, listening_addresses, off_loopback

pytestmark = pytest.mark.e2e


def test_pipeline_runs_through_the_triggerer_and_lands_the_video(deployment: Deployment) -> None:
    charged_before = deployment.emulator_counters()["generations_charged"]
    run_id = deployment.trigger("pixverse_pipeline")
    assert deployment.wait_for_run("pixverse_pipeline", run_id, timeout=300) == "success"

    states = {ti["task_id"]: ti["state"] for ti in deployment.task_instances("pixverse_pipeline", run_id)}
    assert states == dict.fromkeys(["upload_cat", "upload_garden", "cat_in_garden", "extend", "add_sound"], "success")

    video_id = deployment.xcom("pixverse_pipeline", run_id, "add_sound")
    video = deployment.xcom("pixverse_pipeline", run_id, "add_sound", key="video")
    assert video["video_id"] == video_id and video["status"] == 1
    landed = deployment.output_dir / f"pixverse_{video_id}.mp4"
    assert landed.stat().st_size == video["size"]  # the whole file the emulator served
    assert probe_media(landed) == MediaInfo("video", "mp4", 10.0, video["width"], video["height"])  # 5 s + 5 s
    assert deployment.xcom("pixverse_pipeline", run_id, "add_sound", key="video_path") == landed.as_uri()
    assert deployment.links("pixverse_pipeline", run_id, "add_sound") == {"PixVerse video": video["url"]}

    # The waits were deferred: the trigger's progress lines are in the task's log, written by the triggerer.
    log = deployment.task_log("pixverse_pipeline", run_id, "cat_in_garden")
    assert "PixVerse video" in log and "status 5 (generating)" in log
    assert deployment.emulator_counters()["generations_charged"] - charged_before == 3


def test_mapped_batch_of_20_waits_for_free_slots(deployment: Deployment) -> None:
    before = deployment.emulator_counters()
    run_id = deployment.trigger("pixverse_batch")
    assert deployment.wait_for_run("pixverse_batch", run_id, timeout=600) == "success"

    tis = deployment.task_instances("pixverse_batch", run_id)
    assert len(tis) == 20
    assert {ti["state"] for ti in tis} == {"success"}
    assert {ti["try_number"] for ti in tis} == {1}  # waiting for slots used no retry
    counters = deployment.emulator_counters()
    assert counters["generations_charged"] - before["generations_charged"] == 20
    assert counters["max_concurrent_jobs"] <= deployment.concurrency
    video_ids = {deployment.xcom("pixverse_batch", run_id, "generate", map_index=ti["map_index"]) for ti in tis}
    assert len(video_ids) == 20
    for video_id in video_ids:
        landed = deployment.output_dir / f"pixverse_{video_id}.mp4"
        assert probe_media(landed) == MediaInfo("video", "mp4", 5.0, 640, 360)  # v5, 360p, 16:9, 5 s


def test_every_process_of_the_deployment_listens_on_loopback_only(deployment: Deployment) -> None:
    """Every visitor of the UI is an admin, so nothing the deployment starts may be reachable from elsewhere."""
    addresses = listening_addresses(deployment.run_processes())
    assert off_loopback(addresses) == {}
    listening = set().union(*addresses.values())
    assert {f"127.0.0.1:{deployment.api_port}", f"127.0.0.1:{deployment.emulator_port}"} <= listening
