"""Parse benchmark: the twin of ``pixverse_all_operators.py`` built only from ``airflow.sdk`` (TaskFlow ``@task``).

Same DAG shape: 15 tasks with the same ids, the same upstream edges and comparable arguments.
"""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import DAG, task


@task
def step(first: object = None, second: object = None, params: dict | None = None) -> int:
    return 0


with DAG("bench_sdk_only", schedule=None, start_date=datetime(2026, 1, 1), catchup=False):
    upload_image = step.override(task_id="upload_image")(params={"image": "/tmp/pixverse-bench/cat.png"})
    upload_media = step.override(task_id="upload_media")(params={"file": "/tmp/pixverse-bench/clip.mp4"})
    text_to_video = step.override(task_id="text_to_video")(params={"prompt": "A red fox running through snow"})
    image_to_video = step.override(task_id="image_to_video")(upload_image, params={"prompt": "The cat waves"})
    transition = step.override(task_id="transition")(
        upload_image, upload_image, params={"prompt": "The cat turns around"}
    )
    effect = step.override(task_id="effect")(upload_image, params={"template_id": 313358700761536})
    multi_transition = step.override(task_id="multi_transition")(
        [
            {"img_id": upload_image, "duration": 3, "prompt": "the cat jumps"},
            {"img_id": upload_image, "duration": 2, "prompt": "the cat lands"},
        ]
    )
    fusion = step.override(task_id="fusion")(
        [{"ref_name": "cat", "type": "subject", "img_id": upload_image}], params={"prompt": "@cat naps in the sun"}
    )
    extend = step.override(task_id="extend")(text_to_video, params={"prompt": "The camera pulls back", "seed": 7})
    lip_sync = step.override(task_id="lip_sync")(
        text_to_video, params={"lip_sync_tts_speaker_id": "Auto", "lip_sync_tts_content": "Hello from Airflow"}
    )
    sound_effect = step.override(task_id="sound_effect")(text_to_video, params={"sound_effect_content": "soft rain"})
    restyle = step.override(task_id="restyle")(upload_media, params={"restyle_id": 360000000000001})
    swap = step.override(task_id="swap")(text_to_video, upload_image, params={"mask_name": "background"})
    mimic = step.override(task_id="mimic")(upload_image, upload_media)
    modify = step.override(task_id="modify")(text_to_video, params={"prompt": "Make it night", "keyframe_ids": 3})
