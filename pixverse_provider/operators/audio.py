"""Operators that add sound to a video: lip sync and sound effects."""

from __future__ import annotations

from typing import Any

from pixverse_provider.api import CreationMode
from pixverse_provider.operators.base import PixVerseGenerationOperator, api_arguments
from pixverse_provider.operators.inputs import FileInput
from pixverse_provider.operators.video import VIDEO


class PixVerseLipSyncOperator(PixVerseGenerationOperator):
    """Make the person in a video speak (``/video/lip_sync/generate``).

    The video is a ``source_video_id``, a ``video_media_id`` or a ``video`` file; the speech is an uploaded
    audio (``audio_media_id`` or an ``audio`` file), or text-to-speech: ``lip_sync_tts_speaker_id`` (see
    ``PixVerseHook.list_tts_speakers``; ``"Auto"`` picks one) with ``lip_sync_tts_content`` (≤ 200 characters).

    Example::

        from airflow.sdk import DAG
        from pixverse_provider.operators import PixVerseLipSyncOperator

        with DAG("pixverse_lip_sync_example", schedule=None) as dag:
            talk = PixVerseLipSyncOperator(
                task_id="say_hello",
                video="clip.mp4",
                lip_sync_tts_speaker_id="Auto",
                lip_sync_tts_content="Hello from Airflow!",
            )
    """

    mode = CreationMode.LIP_SYNC
    file_inputs = (VIDEO, FileInput("audio_media_id", "audio", "audio", required=False))

    def __init__(
        self,
        *,
        source_video_id: int | str | None = None,
        video_media_id: int | str | None = None,
        video: Any = None,
        audio_media_id: int | str | None = None,
        audio: Any = None,
        lip_sync_tts_speaker_id: str | None = None,
        lip_sync_tts_content: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**api_arguments(locals()))


class PixVerseSoundEffectOperator(PixVerseGenerationOperator):
    """Add sound effects to a video (``/video/sound_effect/generate``).

    ``sound_effect_content`` describes the sound (PixVerse derives one from the video when it is empty);
    ``original_sound_switch=True`` keeps and mixes the video's own audio.

    Example::

        from airflow.sdk import DAG
        from pixverse_provider.operators import PixVerseSoundEffectOperator

        with DAG("pixverse_sound_effect_example", schedule=None) as dag:
            rain = PixVerseSoundEffectOperator(
                task_id="add_rain",
                video="clip.mp4",
                sound_effect_content="soft rain on a tin roof",
            )
    """

    mode = CreationMode.SOUND_EFFECT
    file_inputs = (VIDEO,)

    def __init__(
        self,
        *,
        source_video_id: int | str | None = None,
        video_media_id: int | str | None = None,
        video: Any = None,
        sound_effect_content: str | None = None,
        original_sound_switch: bool | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**api_arguments(locals()))
