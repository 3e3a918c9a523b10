"""Modify: edit a video by prompt, with a reference image named @img0."""

from __future__ import annotations

import os
from pathlib import Path

from airflow.sdk import DAG, Param

from pixverse_provider.operators import PixVerseModifyOperator

ASSETS = Path(__file__).parent / "assets"
OUTPUT_DIR = Param(os.environ.get("PIXVERSE_OUTPUT_DIR", "/tmp/pixverse-videos") + "/", type="string")

with DAG(
    "pixverse_modify", schedule=None, catchup=False, tags=["pixverse", "example"], params={"output_dir": OUTPUT_DIR}
) as dag:
    PixVerseModifyOperator(
        task_id="make_it_night",
        video=str(ASSETS / "clip.mp4"),
        prompt="Make it night, with @img0 glowing in the sky",
        images=[str(ASSETS / "cat.png")],
        wait_for_completion=True,
        deferrable=True,
        output_path="{{ params.output_dir }}",
    )
