"""The production-shaped deployment's DAGs (``make deployment``; the scenarios of tests/e2e/cluster).

``pixverse_cluster_batch``: a mapped batch of generations. The operator submits and ends (its worker is free at
once); the deferrable sensor waits in a triggerer, then lands the video in S3 through the ``videos_s3``
connection and emits an asset event for the file (an ``AssetAlias``: one asset per video). The plan's
concurrency limit (500044) is handled by the operator waiting for a free slot, in the ``pixverse`` pool. Trigger it with
``{"count": N, "prefix": "..."}``; ``seconds`` asks the emulator for that generation time (a ``[emulate:...]``
marker in the prompt, understood by the emulator only).

``pixverse_cluster_paid``: one generation that waits for its video on the worker (``deferrable=False``), so the
worker holds the task from the paid submit to the landed file; the worker-crash scenario kills it there.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

from airflow.sdk import DAG, AssetAlias, Param, task, task_group

from pixverse_provider.operators import PixVerseTextToVideoOperator
from pixverse_provider.sensors import PixVerseVideoSensor

S3_CONN_ID = os.environ.get("PIXVERSE_CLUSTER_S3_CONN_ID", "videos_s3")
BUCKET = os.environ.get("PIXVERSE_CLUSTER_BUCKET", "videos")
POOL = "pixverse"
"""A pool with a slot per video the plan renders at once: at most that many submits wait for a free slot at a
time, so the waiting never takes every worker slot from the landing tasks."""
VIDEOS = AssetAlias("pixverse-cluster-videos")
SUBJECTS = ["a red fox", "a snow owl", "a lighthouse", "a paper boat", "a hot-air balloon"]
RETRY_DELAY = timedelta(seconds=2)
LANDING_FIRST = 10
"""The sensors' priority: a finished video is landed before another submit waits for a free slot."""


def marker(seconds: Any) -> str:
    return f" [emulate:seconds={seconds}]" if seconds else ""


with DAG(
    "pixverse_cluster_batch",
    schedule=None,
    catchup=False,
    max_active_tasks=200,
    tags=["pixverse", "cluster"],
    params={
        "count": Param(100, type="integer", minimum=1, maximum=1000),
        "prefix": Param("batch", type="string"),
        "seconds": Param(None, type=["null", "number"]),
    },
) as batch:

    @task
    def prompts(params: dict[str, Any] | None = None) -> list[str]:
        assert params is not None
        return [f"{SUBJECTS[n % len(SUBJECTS)]}, scene {n}{marker(params['seconds'])}" for n in range(params["count"])]

    @task_group
    def video(prompt: str) -> None:
        generate = PixVerseTextToVideoOperator(
            task_id="generate",
            prompt=prompt,
            model="v5",
            duration=5,
            quality="360p",
            pool=POOL,
            concurrency_retry_interval=2,
            retries=2,
            retry_delay=RETRY_DELAY,
        )
        PixVerseVideoSensor(
            task_id="land",
            video_id=generate.output,
            deferrable=True,
            poke_interval=2,
            output_path=f"s3://{BUCKET}/{{{{ params.prefix }}}}/",
            output_conn_id=S3_CONN_ID,
            outlets=[VIDEOS],
            priority_weight=LANDING_FIRST,
            weight_rule="absolute",
            retries=2,
            retry_delay=RETRY_DELAY,
        )

    video.expand(prompt=prompts())

with DAG(
    "pixverse_cluster_paid",
    schedule=None,
    catchup=False,
    tags=["pixverse", "cluster"],
    params={"seconds": Param(30, type="number"), "prefix": Param("paid", type="string")},
) as paid:
    PixVerseTextToVideoOperator(
        task_id="generate",
        prompt="a red fox crossing a frozen river{{ ' [emulate:seconds=%s]' % params.seconds }}",
        wait_for_completion=True,
        deferrable=False,
        poll_interval=2,
        output_path=f"s3://{BUCKET}/{{{{ params.prefix }}}}/",
        output_conn_id=S3_CONN_ID,
        model="v5",
        duration=5,
        quality="360p",
        retries=2,
        retry_delay=RETRY_DELAY,
    )
