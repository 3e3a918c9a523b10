"""A batch of generations with dynamic task mapping: one mapped task per prompt.

PixVerse limits how many videos an account renders at once (the plan's concurrency). Each task waits for a
free slot by itself when PixVerse answers 500044, without using its retries; an Airflow pool sized to the
plan's concurrency (``pool="pixverse"``) avoids the waiting altogether. Waiting for the videos happens in the
triggerer; the pauses between submit attempts do too once they reach 15 s, while shorter ones sleep on the
worker (a deferral costs more than a short sleep).
"""

from __future__ import annotations

import os

from airflow.sdk import DAG, Param

from pixverse_provider.operators import PixVerseTextToVideoOperator

SUBJECTS = ["a red fox", "a snow owl", "a lighthouse", "a paper boat", "a hot-air balloon"]
OUTPUT_DIR = Param(os.environ.get("PIXVERSE_OUTPUT_DIR", "/tmp/pixverse-videos") + "/", type="string")

with DAG(
    "pixverse_batch", schedule=None, catchup=False, tags=["pixverse", "example"], params={"output_dir": OUTPUT_DIR}
) as dag:
    PixVerseTextToVideoOperator.partial(
        task_id="generate",
        model="v5",
        duration=5,
        quality="360p",
        wait_for_completion=True,
        deferrable=True,
        poll_interval=2,
        concurrency_retry_interval=2,
        output_path="{{ params.output_dir }}",
    ).expand(prompt=[f"{subject}, scene {n}" for n in range(4) for subject in SUBJECTS])
