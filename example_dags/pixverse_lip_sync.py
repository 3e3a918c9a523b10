"""Lip sync: make a video speak, with an uploaded audio or text-to-speech."""

from __future__ import annotations

import os
from pathlib import Path

from airflow.sdk import DAG, Param

from pixverse_provider.operators import PixVerseLipSyncOperator, PixVerseUploadMediaOperator

ASSETS = Path(__file__).parent / "assets"
OUTPUT_DIR = Param(os.environ.get("PIXVERSE_OUTPUT_DIR", "/tmp/pixverse-videos") + "/", type="string")

with DAG(
    "pixverse_lip_sync", schedule=None, catchup=False, tags=["pixverse", "example"], params={"output_dir": OUTPUT_DIR}
) as dag:
    clip = PixVerseUploadMediaOperator(task_id="upload_clip", file=str(ASSETS / "clip.mp4"))
    PixVerseLipSyncOperator(
        task_id="say_hello",
        video_media_id=clip.output,
        lip_sync_tts_speaker_id="Auto",
        lip_sync_tts_content="Hello from Apache Airflow!",
        wait_for_completion=True,
        deferrable=True,
        output_path="{{ params.output_dir }}",
    )
    PixVerseLipSyncOperator(
        task_id="sing_along",
        video_media_id=clip.output,
        audio=str(ASSETS / "voice.wav"),
        wait_for_completion=True,
        deferrable=True,
        output_path="{{ params.output_dir }}",
    )
