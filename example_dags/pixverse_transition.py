"""Transition: a video from a first frame to a last frame, both uploaded on the fly."""

from __future__ import annotations

import os
from pathlib import Path

from airflow.sdk import DAG, Param

from pixverse_provider.operators import PixVerseTransitionOperator

ASSETS = Path(__file__).parent / "assets"
OUTPUT_DIR = Param(os.environ.get("PIXVERSE_OUTPUT_DIR", "/tmp/pixverse-videos") + "/", type="string")

with DAG(
    "pixverse_transition", schedule=None, catchup=False, tags=["pixverse", "example"], params={"output_dir": OUTPUT_DIR}
) as dag:
    PixVerseTransitionOperator(
        task_id="cat_to_dog",
        first_frame_image=str(ASSETS / "cat.png"),
        last_frame_image=str(ASSETS / "dog.png"),
        prompt="The cat slowly turns into a dog",
        wait_for_completion=True,
        deferrable=True,
        output_path="{{ params.output_dir }}",
    )
