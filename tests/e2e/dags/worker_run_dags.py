"""DAGs whose worker runs tests/e2e/test_worker_runs.py counts: each way of waiting for a video, with and
without a file to land, a moderated video, and a long wait that a test clears while it is deferred."""

from __future__ import annotations

import os
from typing import Any

from airflow.sdk import DAG, task

from pixverse_provider.operators import PixVerseTextToVideoOperator
from pixverse_provider.sensors import PixVerseVideoSensor

OUTPUT = os.environ.get("PIXVERSE_OUTPUT_DIR", "/tmp/pixverse-videos") + "/"
SHAPE = {"model": "v5", "duration": 5, "quality": "360p"}
SLOW = "[emulate:seconds=30]"
"""For the videos a sensor waits for: on Airflow 3.1 a trigger that fires within seconds of the deferral can
lose the race with the executor's report of the deferring process (the resumed task is failed as "changed
externally"), so these videos take longer than the sensor needs to defer."""

with DAG("worker_runs_per_video", schedule=None, catchup=False) as waits:
    # operator + deferrable sensor, without and with a file to land
    plain = PixVerseTextToVideoOperator(task_id="plain", prompt=f"a fox {SLOW}", **SHAPE)
    plain_ready = PixVerseVideoSensor(task_id="plain_ready", video_id=plain.output, deferrable=True, poke_interval=1)
    templated = PixVerseVideoSensor(  # the author's own templates, rendered in the triggerer since they ask for it
        task_id="plain_ready_templated",
        video_id="{{ ti.xcom_pull(task_ids='plain', map_indexes=-1) }}",
        trace_id="{{ ti.xcom_pull(task_ids='plain', key='trace_id', map_indexes=-1) }}",
        deferrable=True,
        start_from_trigger=True,
        poke_interval=1,
    )
    plain >> templated
    landed = PixVerseTextToVideoOperator(task_id="landed", prompt=f"an owl {SLOW}", **SHAPE)
    PixVerseVideoSensor(
        task_id="landed_ready", video_id=landed.output, deferrable=True, poke_interval=1, output_path=OUTPUT
    )
    # operator with wait_for_completion=True, without and with a file to land
    waited = PixVerseTextToVideoOperator(
        task_id="waited", prompt="a boat", wait_for_completion=True, deferrable=True, poll_interval=1, **SHAPE
    )
    PixVerseTextToVideoOperator(
        task_id="waited_landed",
        prompt="a balloon",
        wait_for_completion=True,
        deferrable=True,
        poll_interval=1,
        output_path=OUTPUT,
        **SHAPE,
    )

    @task
    def downstream(summary: Any, video_id: Any, waited_summary: Any) -> None:
        """What a downstream task pulls from tasks ended in the triggerer: the values, not their JSON text."""
        assert isinstance(summary, dict) and isinstance(summary["video_id"], int), repr(summary)
        assert isinstance(video_id, int) and waited_summary["video_id"] == video_id, (video_id, waited_summary)

    downstream(plain_ready.output, waited.output, waited.output["video"])

with DAG("worker_runs_refused", schedule=None, catchup=False) as refused:
    refused_video = PixVerseTextToVideoOperator(task_id="refused", prompt="a cat [emulate:moderation]", **SHAPE)
    PixVerseVideoSensor(
        task_id="refused_ready", video_id=refused_video.output, deferrable=True, poke_interval=1, retries=2
    )

with DAG("worker_runs_cleared", schedule=None, catchup=False) as cleared:
    PixVerseTextToVideoOperator(
        task_id="long",
        prompt="a glacier [emulate:seconds=40]",
        wait_for_completion=True,
        deferrable=True,
        poll_interval=1,
        **SHAPE,
    )
