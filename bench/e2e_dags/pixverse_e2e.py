"""Deployment benchmark (bench/e2e_bench.py): one DAG per way of waiting for a video, each generating one.

``bench_e2e_<way>``: ``sensor`` (operator + deferrable ``PixVerseVideoSensor``) and ``wait`` (operator with
``wait_for_completion=True``, deferrable), each without and with ``output_path`` (``*_output``). Every prompt
names its DAG run, so the benchmark finds the submit in the emulator's request log.
"""

from __future__ import annotations

import os
from datetime import datetime

from airflow.sdk import DAG
from pixverse_provider.operators import PixVerseTextToVideoOperator
from pixverse_provider.sensors import PixVerseVideoSensor

POLL_INTERVAL = float(os.environ.get("PIXVERSE_BENCH_POLL_INTERVAL", "5"))
OUTPUT_DIR = os.environ.get("PIXVERSE_OUTPUT_DIR", "/tmp/pixverse-bench-e2e-videos")
PROMPT = "A paper boat on a pond, bench {{ dag.dag_id }} {{ run_id }}"
VIDEO = {"model": "v5", "quality": "360p", "duration": 5, "aspect_ratio": "16:9"}

for landed in (False, True):
    suffix = "_output" if landed else ""
    output = {"output_path": OUTPUT_DIR} if landed else {}

    with DAG(f"bench_e2e_sensor{suffix}", schedule=None, start_date=datetime(2026, 1, 1), catchup=False):
        submit = PixVerseTextToVideoOperator(task_id="submit", prompt=PROMPT, **VIDEO)
        PixVerseVideoSensor(
            task_id="wait", video_id=submit.output, deferrable=True, poll_interval=POLL_INTERVAL, **output
        )

    with DAG(f"bench_e2e_wait{suffix}", schedule=None, start_date=datetime(2026, 1, 1), catchup=False):
        PixVerseTextToVideoOperator(
            task_id="wait",
            prompt=PROMPT,
            wait_for_completion=True,
            deferrable=True,
            poll_interval=POLL_INTERVAL,
            **VIDEO,
            **output,
        )
