"""Extend: generate a video, then continue it (PixVerse requires a seed)."""

from __future__ import annotations

import os
from pathlib import Path

from airflow.sdk import DAG, Param

from pixverse_provider.operators import PixVerseExtendOperator, PixVerseTextToVideoOperator

ASSETS = Path(__file__).parent / "assets"
OUTPUT_DIR = Param(os.environ.get("PIXVERSE_OUTPUT_DIR", "/tmp/pixverse-videos") + "/", type="string")

with DAG(
    "pixverse_extend", schedule=None, catchup=False, tags=["pixverse", "example"], params={"output_dir": OUTPUT_DIR}
) as dag:
    city = PixVerseTextToVideoOperator(
        task_id="city",
        prompt="A quiet street in an old city at dawn",
        wait_for_completion=True,
        deferrable=True,
    )
    PixVerseExtendOperator(
        task_id="pull_back",
        source_video_id=city.output,
        prompt="The camera pulls back to reveal the whole city",
        seed=42,
        wait_for_completion=True,
        deferrable=True,
        output_path="{{ params.output_dir }}",
    )
