"""Restyle: repaint a video with a prompt (or a preset restyle_id)."""

from __future__ import annotations

import os
from pathlib import Path

from airflow.sdk import DAG, Param

from pixverse_provider.operators import PixVerseRestyleOperator

ASSETS = Path(__file__).parent / "assets"
OUTPUT_DIR = Param(os.environ.get("PIXVERSE_OUTPUT_DIR", "/tmp/pixverse-videos") + "/", type="string")

with DAG(
    "pixverse_restyle", schedule=None, catchup=False, tags=["pixverse", "example"], params={"output_dir": OUTPUT_DIR}
) as dag:
    PixVerseRestyleOperator(
        task_id="watercolour",
        video=str(ASSETS / "clip.mp4"),
        restyle_prompt="a soft watercolour painting",
        wait_for_completion=True,
        deferrable=True,
        output_path="{{ params.output_dir }}",
    )
