"""Image-to-video: upload an image, animate it, wait inside the operator."""

from __future__ import annotations

import os
from pathlib import Path

from airflow.sdk import DAG, Param

from pixverse_provider.operators import PixVerseImageToVideoOperator, PixVerseUploadImageOperator

ASSETS = Path(__file__).parent / "assets"
OUTPUT_DIR = Param(os.environ.get("PIXVERSE_OUTPUT_DIR", "/tmp/pixverse-videos") + "/", type="string")

with DAG(
    "pixverse_image_to_video",
    schedule=None,
    catchup=False,
    tags=["pixverse", "example"],
    params={"output_dir": OUTPUT_DIR},
) as dag:
    cat = PixVerseUploadImageOperator(task_id="upload_cat", image=str(ASSETS / "cat.png"))
    PixVerseImageToVideoOperator(
        task_id="cat_waves",
        img_id=cat.output,
        prompt="The cat waves at the camera",
        wait_for_completion=True,
        deferrable=True,
        output_path="{{ params.output_dir }}",
    )
