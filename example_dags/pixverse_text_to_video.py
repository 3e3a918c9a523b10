"""Text-to-video: submit, then wait in the triggerer with the sensor, which lands the file."""

from __future__ import annotations

import os
from pathlib import Path

from airflow.sdk import DAG, Param

from pixverse_provider.operators import PixVerseTextToVideoOperator
from pixverse_provider.sensors import PixVerseVideoSensor

ASSETS = Path(__file__).parent / "assets"
OUTPUT_DIR = Param(os.environ.get("PIXVERSE_OUTPUT_DIR", "/tmp/pixverse-videos") + "/", type="string")

with DAG(
    "pixverse_text_to_video",
    schedule=None,
    catchup=False,
    tags=["pixverse", "example"],
    params={"output_dir": OUTPUT_DIR},
) as dag:
    fox = PixVerseTextToVideoOperator(
        task_id="fox",
        prompt="A red fox running through fresh snow, golden hour",
        model="v5",
        duration=5,
        quality="540p",
        aspect_ratio="16:9",
        max_credits=60,
    )
    PixVerseVideoSensor(
        task_id="fox_ready",
        video_id=fox.output,
        trace_id="{{ ti.xcom_pull(task_ids='fox', key='trace_id') }}",
        deferrable=True,
        poll_interval=5,
        output_path="{{ params.output_dir }}",
    )
