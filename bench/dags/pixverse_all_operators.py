"""Parse benchmark: one DAG using all 15 PixVerse operators (twin of ``sdk_only.py``: same ids, same edges)."""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import DAG
from pixverse_provider.operators import (
    PixVerseEffectOperator,
    PixVerseExtendOperator,
    PixVerseFusionOperator,
    PixVerseImageToVideoOperator,
    PixVerseLipSyncOperator,
    PixVerseMimicOperator,
    PixVerseModifyOperator,
    PixVerseMultiTransitionOperator,
    PixVerseRestyleOperator,
    PixVerseSoundEffectOperator,
    PixVerseSwapOperator,
    PixVerseTextToVideoOperator,
    PixVerseTransitionOperator,
    PixVerseUploadImageOperator,
    PixVerseUploadMediaOperator,
)

with DAG("bench_pixverse_all_operators", schedule=None, start_date=datetime(2026, 1, 1), catchup=False):
    upload_image = PixVerseUploadImageOperator(task_id="upload_image", image="/tmp/pixverse-bench/cat.png")
    upload_media = PixVerseUploadMediaOperator(task_id="upload_media", file="/tmp/pixverse-bench/clip.mp4")
    text_to_video = PixVerseTextToVideoOperator(task_id="text_to_video", prompt="A red fox running through snow")
    image_to_video = PixVerseImageToVideoOperator(
        task_id="image_to_video", img_id=upload_image.output, prompt="The cat waves"
    )
    transition = PixVerseTransitionOperator(
        task_id="transition",
        first_frame_img=upload_image.output,
        last_frame_img=upload_image.output,
        prompt="The cat turns around",
    )
    effect = PixVerseEffectOperator(task_id="effect", template_id=313358700761536, img_id=upload_image.output)
    multi_transition = PixVerseMultiTransitionOperator(
        task_id="multi_transition",
        multi_transition=[
            {"img_id": upload_image.output, "duration": 3, "prompt": "the cat jumps"},
            {"img_id": upload_image.output, "duration": 2, "prompt": "the cat lands"},
        ],
    )
    fusion = PixVerseFusionOperator(
        task_id="fusion",
        image_references=[{"ref_name": "cat", "type": "subject", "img_id": upload_image.output}],
        prompt="@cat naps in the sun",
    )
    extend = PixVerseExtendOperator(
        task_id="extend", source_video_id=text_to_video.output, prompt="The camera pulls back", seed=7
    )
    lip_sync = PixVerseLipSyncOperator(
        task_id="lip_sync",
        source_video_id=text_to_video.output,
        lip_sync_tts_speaker_id="Auto",
        lip_sync_tts_content="Hello from Airflow",
    )
    sound_effect = PixVerseSoundEffectOperator(
        task_id="sound_effect", source_video_id=text_to_video.output, sound_effect_content="soft rain"
    )
    restyle = PixVerseRestyleOperator(task_id="restyle", video_media_id=upload_media.output, restyle_id=360000000000001)
    swap = PixVerseSwapOperator(
        task_id="swap", source_video_id=text_to_video.output, mask_name="background", img_id=upload_image.output
    )
    mimic = PixVerseMimicOperator(task_id="mimic", img_id=upload_image.output, video_media_id=upload_media.output)
    modify = PixVerseModifyOperator(
        task_id="modify", source_video_id=text_to_video.output, prompt="Make it night", keyframe_ids=3
    )
