"""Mimic (motion control): animate a character with the motion of a reference video."""

from __future__ import annotations

import os
from pathlib import Path

from airflow.sdk import DAG, Param

from pixverse_provider.operators import PixVerseMimicOperator

ASSETS = Path(__file__).parent / "assets"
OUTPUT_DIR = Param(os.environ.get("PIXVERSE_OUTPUT_DIR", "/tmp/pixverse-videos") + "/", type="string")

with DAG(
    "pixverse_mimic", schedule=None, catchup=False, tags=["pixverse", "example"], params={"output_dir": OUTPUT_DIR}
) as dag:
    PixVerseMimicOperator(
        task_id="cat_dances",
        image=str(ASSETS / "cat.png"),
        video=str(ASSETS / "clip.mp4"),
        quality="540p",
        wait_for_completion=True,
        deferrable=True,
        output_path="{{ params.output_dir }}",
    )
