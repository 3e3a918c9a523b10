"""Scenario 4, the API misbehaves during a batch: bursts of 5xx, 429 with Retry-After and dropped connections
on the status reads and on the downloads, and 500044 (the plan's concurrency limit) on the submits, all
injected through the emulator's admin API. Reads are retried (the task logs say so), a 500044 is waited out,
and every video is paid for once.

A 5xx, 429 or dropped connection on the generation POST itself is not injected here: it leaves unknown
whether PixVerse took the request, so the task fails without a retry by design (``PixVerseAmbiguousSubmitError``,
docs/production.rst), which no deployment can turn into a success."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.cluster.cluster import BATCH, FIGURES, SUBMIT_PATH, ClusterDeployment, SubmitWatch
from tests.e2e.cluster.landing import assert_landed_in_s3, landed_videos

pytestmark = pytest.mark.e2e
COUNT = 20
STATUS = "/openapi/v2/video/result/*"
MEDIA = "/_emulator/media/video/*"
FAULTS: list[dict[str, Any]] = [
    {"path": SUBMIT_PATH, "method": "POST", "kind": "err_code", "err_code": 500044, "count": 6},
    {"path": STATUS, "kind": "status", "status": 503, "count": 6},
    {"path": STATUS, "kind": "retry_after", "retry_after": 2, "count": 4},
    {"path": STATUS, "kind": "drop", "count": 4},
    {"path": MEDIA, "kind": "status", "status": 502, "count": 3},
    {"path": MEDIA, "kind": "drop", "count": 3},
]
RETRY_LINE = "PixVerse request failed (attempt"


def test_a_batch_succeeds_through_injected_faults_paying_once_per_video(cluster: ClusterDeployment) -> None:
    before = cluster.emulator_counters()
    with SubmitWatch(cluster) as submits:
        run_id = cluster.trigger(BATCH, {"count": COUNT, "prefix": "faults"})
        for fault in FAULTS:
            cluster.inject(**fault)
        state = cluster.run_state(BATCH, run_id, timeout=600)

    assert state == "success"
    counters = cluster.emulator_counters()
    assert counters["faults_pending"] == 0  # every fault hit a request of the batch
    assert counters["faults_injected"] - before["faults_injected"] == sum(f["count"] for f in FAULTS)
    assert counters["generations_charged"] - before["generations_charged"] == COUNT
    assert len(submits.accepted) == COUNT
    refused = [e for e in submits.entries.values() if e["err_code"] == 500044]
    assert len(refused) >= 6  # the injected ones, and any the plan's limit answered itself
    videos = landed_videos(cluster, BATCH, run_id, "video.land")
    assert len(videos) == COUNT
    assert_landed_in_s3(cluster, "faults", videos)

    tis = cluster.all_task_instances(BATCH, run_id)
    assert {ti["state"] for ti in tis} == {"success"}
    logs = [
        cluster.task_log(BATCH, run_id, ti["task_id"], try_number=ti["try_number"], map_index=ti["map_index"])
        for ti in tis
        if ti["task_id"] != "prompts"
    ]
    retried = [log for log in logs if RETRY_LINE in log]
    assert retried, "no task log shows a retried request"
    FIGURES["4 api faults"] = {
        "faults": json.dumps({f"{f['kind']} {f['path']}": f["count"] for f in FAULTS}),
        "task_logs_with_retries": len(retried),
        "tries_above_1": sum(1 for ti in tis if ti["try_number"] > 1),
    }
