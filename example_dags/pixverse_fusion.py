"""Fusion: a video from reference images named in the prompt."""

from __future__ import annotations

import os
from pathlib import Path

from airflow.sdk import DAG, Param

from pixverse_provider.operators import PixVerseFusionOperator

ASSETS = Path(__file__).parent / "assets"
OUTPUT_DIR = Param(os.environ.get("PIXVERSE_OUTPUT_DIR", "/tmp/pixverse-videos") + "/", type="string")

with DAG(
    "pixverse_fusion", schedule=None, catchup=False, tags=["pixverse", "example"], params={"output_dir": OUTPUT_DIR}
) as dag:
    PixVerseFusionOperator(
        task_id="cat_meets_dog",
        image_references=[
            {"ref_name": "cat", "type": "subject", "image": str(ASSETS / "cat.png")},
            {"ref_name": "dog", "type": "subject", "image": str(ASSETS / "dog.png")},
        ],
        prompt="@cat and @dog play in a sunny garden",
        wait_for_completion=True,
        deferrable=True,
        output_path="{{ params.output_dir }}",
    )
