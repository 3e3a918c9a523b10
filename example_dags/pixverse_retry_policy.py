"""Retry what a retry can fix, fail the rest at once: the PixVerse retry policy (Airflow 3.3+).

``pixverse_retry_policy()`` tells Airflow, per exception, whether a failed try is worth another: a video that
failed on PixVerse's side (status 8) and the failures of a moment (overload, an unreachable API) are retried
after the policy's pause; moderation, a bad request, authentication, missing credits and an ambiguous submit
fail at once, whatever ``retries`` says. ``retries`` still caps the number of tries.

A retry never pays twice by accident: with ``durable=True`` (the default) it resumes the video an earlier try
submitted; only a failed video (status 8) is submitted again.

Against the emulator, the first try's video fails (``[emulate:failure]``, on try 1 only), so a run shows the
policy at work: "Retry policy decision ... status 8" in the log, and the second try lands the video. The
pause is short here so the demo is quick; a minute or more suits the real service.
"""

from __future__ import annotations

import os
from datetime import timedelta

from airflow.sdk import DAG, Param

from pixverse_provider.operators import PixVerseTextToVideoOperator
from pixverse_provider.retry_policy import pixverse_retry_policy

OUTPUT_DIR = Param(os.environ.get("PIXVERSE_OUTPUT_DIR", "/tmp/pixverse-videos") + "/", type="string")
FAIL_FIRST_TRY = Param(True, type="boolean", description="Ask the emulator to fail the first try's video")

with DAG(
    "pixverse_retry_policy",
    schedule=None,
    catchup=False,
    tags=["pixverse", "example"],
    params={"output_dir": OUTPUT_DIR, "fail_first_try": FAIL_FIRST_TRY},
    default_args={"retries": 3, "retry_policy": pixverse_retry_policy(retry_delay=timedelta(seconds=5))},
) as dag:
    PixVerseTextToVideoOperator(
        task_id="lighthouse",
        prompt="A lighthouse in a storm, waves breaking over the rocks"
        "{{ ' [emulate:failure]' if params.fail_first_try and ti.try_number == 1 else '' }}",
        model="v5",
        duration=5,
        quality="360p",
        durable=True,
        wait_for_completion=True,
        deferrable=True,
        poll_interval=2,
        output_path="{{ params.output_dir }}",
    )
