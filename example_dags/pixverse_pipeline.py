"""A realistic PixVerse pipeline: upload images → fusion → extend → sound effect → land the file → asset.

Each generation waits in the triggerer (deferrable), so no worker slot is held while PixVerse renders.
The finished video lands in ``output_dir`` (a local folder or any ObjectStoragePath URI such as
``s3://bucket/videos/`` with ``output_conn_id``) and is announced as the ``pixverse://videos/cat-in-garden``
asset, which downstream DAGs can be scheduled on.
"""

from __future__ import annotations

import os
from pathlib import Path

from airflow.sdk import DAG, Asset, Param

from pixverse_provider.operators import (
    PixVerseExtendOperator,
    PixVerseFusionOperator,
    PixVerseSoundEffectOperator,
    PixVerseUploadImageOperator,
)

ASSETS = Path(__file__).parent / "assets"
CAT_IN_GARDEN = Asset("pixverse://videos/cat-in-garden")
WAIT = {"wait_for_completion": True, "deferrable": True, "poll_interval": 5, "timeout": 30 * 60}

with DAG(
    "pixverse_pipeline",
    schedule=None,
    catchup=False,
    tags=["pixverse", "example"],
    params={"output_dir": Param(os.environ.get("PIXVERSE_OUTPUT_DIR", "/tmp/pixverse-videos") + "/", type="string")},
    doc_md=__doc__,
) as dag:
    cat = PixVerseUploadImageOperator(task_id="upload_cat", image=str(ASSETS / "cat.png"))
    garden = PixVerseUploadImageOperator(task_id="upload_garden", image=str(ASSETS / "garden.png"))

    scene = PixVerseFusionOperator(
        task_id="cat_in_garden",
        image_references=[
            {"ref_name": "cat", "type": "subject", "img_id": cat.output},
            {"ref_name": "garden", "type": "background", "img_id": garden.output},
        ],
        prompt="@cat explores @garden at sunrise, soft light",
        model="v5",
        duration=5,
        quality="540p",
        max_credits=100,
        **WAIT,
    )
    longer = PixVerseExtendOperator(
        task_id="extend",
        source_video_id=scene.output,
        prompt="The cat settles down under a tree as the sun rises",
        seed=7,
        **WAIT,
    )
    PixVerseSoundEffectOperator(
        task_id="add_sound",
        source_video_id=longer.output,
        sound_effect_content="birdsong and a light breeze",
        output_path="{{ params.output_dir }}",
        outlets=[CAT_IN_GARDEN],
        **WAIT,
    )
