"""Effects: an activated template applied to an uploaded image (the template sets the length)."""

from __future__ import annotations

import os
from pathlib import Path

from airflow.sdk import DAG, Param

from pixverse_provider.operators import PixVerseEffectOperator

ASSETS = Path(__file__).parent / "assets"
OUTPUT_DIR = Param(os.environ.get("PIXVERSE_OUTPUT_DIR", "/tmp/pixverse-videos") + "/", type="string")

with DAG(
    "pixverse_effect", schedule=None, catchup=False, tags=["pixverse", "example"], params={"output_dir": OUTPUT_DIR}
) as dag:
    PixVerseEffectOperator(
        task_id="robot_effect",
        template_id=313358700761536,  # "Anything, Robot": activate it in the PixVerse console first
        image=str(ASSETS / "cat.png"),
        sound_effect_switch=True,
        wait_for_completion=True,
        deferrable=True,
        output_path="{{ params.output_dir }}",
    )
