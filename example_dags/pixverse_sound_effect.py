"""Sound effects: add a described soundscape to an uploaded video."""

from __future__ import annotations

import os
from pathlib import Path

from airflow.sdk import DAG, Param

from pixverse_provider.operators import PixVerseSoundEffectOperator

ASSETS = Path(__file__).parent / "assets"
OUTPUT_DIR = Param(os.environ.get("PIXVERSE_OUTPUT_DIR", "/tmp/pixverse-videos") + "/", type="string")

with DAG(
    "pixverse_sound_effect",
    schedule=None,
    catchup=False,
    tags=["pixverse", "example"],
    params={"output_dir": OUTPUT_DIR},
) as dag:
    PixVerseSoundEffectOperator(
        task_id="add_rain",
        video=str(ASSETS / "clip.mp4"),
        sound_effect_content="soft rain on a tin roof",
        wait_for_completion=True,
        deferrable=True,
        output_path="{{ params.output_dir }}",
    )
