"""Multi-transition: a video through three keyframes (models v3.5-v5)."""

from __future__ import annotations

import os
from pathlib import Path

from airflow.sdk import DAG, Param

from pixverse_provider.operators import PixVerseMultiTransitionOperator

ASSETS = Path(__file__).parent / "assets"
OUTPUT_DIR = Param(os.environ.get("PIXVERSE_OUTPUT_DIR", "/tmp/pixverse-videos") + "/", type="string")

with DAG(
    "pixverse_multi_transition",
    schedule=None,
    catchup=False,
    tags=["pixverse", "example"],
    params={"output_dir": OUTPUT_DIR},
) as dag:
    PixVerseMultiTransitionOperator(
        task_id="cat_dog_garden",
        multi_transition=[
            {"image": str(ASSETS / "cat.png"), "duration": 3, "prompt": "the cat jumps"},
            {"image": str(ASSETS / "dog.png"), "duration": 3, "prompt": "the dog lands in the garden"},
            {"image": str(ASSETS / "garden.png")},
        ],
        wait_for_completion=True,
        deferrable=True,
        output_path="{{ params.output_dir }}",
    )
