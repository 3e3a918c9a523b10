"""Swap: replace the person in a video with an image (mask chosen by name)."""

from __future__ import annotations

import os
from pathlib import Path

from airflow.sdk import DAG, Param

from pixverse_provider.operators import PixVerseSwapOperator

ASSETS = Path(__file__).parent / "assets"
OUTPUT_DIR = Param(os.environ.get("PIXVERSE_OUTPUT_DIR", "/tmp/pixverse-videos") + "/", type="string")

with DAG(
    "pixverse_swap", schedule=None, catchup=False, tags=["pixverse", "example"], params={"output_dir": OUTPUT_DIR}
) as dag:
    PixVerseSwapOperator(
        task_id="dog_instead",
        video=str(ASSETS / "clip.mp4"),
        mask_name="person",
        image=str(ASSETS / "dog.png"),
        wait_for_completion=True,
        deferrable=True,
        output_path="{{ params.output_dir }}",
    )
