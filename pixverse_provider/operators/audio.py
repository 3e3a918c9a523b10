"""Operators that add sound to a video: lip sync and sound effects."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pixverse_provider.api import CreationMode
from pixverse_provider.operators.base import PixVerseGenerationOperator
from pixverse_provider.operators.inputs import VIDEO, FileInput


class PixVerseLipSyncOperator(PixVerseGenerationOperator):
    """Make the person in a video speak (``/video/lip_sync/generate``).

    The video is a ``source_video_id``, a ``video_media_id`` or a ``video`` file; the speech is an uploaded
    audio (``audio_media_id`` or an ``audio`` file), or text-to-speech: ``lip_sync_tts_speaker_id`` (see
    ``PixVerseHook.list_tts_speakers``; ``"Auto"`` picks one) with ``lip_sync_tts_content`` (≤ 200 characters).
    Takes the parameters of every generation operator too
    (:class:`~pixverse_provider.operators.PixVerseGenerationOperator`).

    :param source_video_id: A finished PixVerse video, usually a generation task's ``.output``.
    :param video_media_id: An uploaded video
        (:class:`~pixverse_provider.operators.PixVerseUploadMediaOperator`).
    :param video: A video file to upload first (mp4, mov, webm; at most 50 MB, 30 s, 1920 px). Give exactly
        one of ``source_video_id``, ``video_media_id`` and ``video``.
    :param audio_media_id: An uploaded audio (:class:`~pixverse_provider.operators.PixVerseUploadMediaOperator`).
    :param audio: An audio file to upload first (mp3, wav, m4a, aac; at most 50 MB, 30 s). Give
        ``audio_media_id`` or ``audio``, not both.
    :param lip_sync_tts_speaker_id: A voice id from ``pixverse-catalog speakers`` or
        ``PixVerseHook.list_tts_speakers`` (:ref:`catalogues`); ``"Auto"`` picks one.
    :param lip_sync_tts_content: Text to speak, at most 200 characters; with ``lip_sync_tts_speaker_id``.

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
    template_fields: Sequence[str] = (
        *PixVerseGenerationOperator.template_fields,
        "source_video_id", "video_media_id", "video", "audio_media_id", "audio", "lip_sync_tts_speaker_id",
        "lip_sync_tts_content",
    )  # fmt: skip

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
        super().__init__(**kwargs)
        self.source_video_id = source_video_id
        self.video_media_id = video_media_id
        self.video = video
        self.audio_media_id = audio_media_id
        self.audio = audio
        self.lip_sync_tts_speaker_id = lip_sync_tts_speaker_id
        self.lip_sync_tts_content = lip_sync_tts_content


class PixVerseSoundEffectOperator(PixVerseGenerationOperator):
    """Add sound effects to a video (``/video/sound_effect/generate``).

    ``sound_effect_content`` describes the sound (PixVerse derives one from the video when it is empty);
    ``original_sound_switch=True`` keeps and mixes the video's own audio. Takes the parameters of every
    generation operator too (:class:`~pixverse_provider.operators.PixVerseGenerationOperator`).

    :param source_video_id: A finished PixVerse video, usually a generation task's ``.output``.
    :param video_media_id: An uploaded video
        (:class:`~pixverse_provider.operators.PixVerseUploadMediaOperator`).
    :param video: A video file to upload first (mp4, mov, webm; at most 50 MB, 30 s, 1920 px). Give exactly
        one of ``source_video_id``, ``video_media_id`` and ``video``.
    :param sound_effect_content: Describes the sound; when empty PixVerse derives one from the video.
    :param original_sound_switch: ``True`` keeps the video's own audio and mixes the effects in.

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
    template_fields: Sequence[str] = (
        *PixVerseGenerationOperator.template_fields,
        "source_video_id", "video_media_id", "video", "sound_effect_content", "original_sound_switch",
    )  # fmt: skip

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
        super().__init__(**kwargs)
        self.source_video_id = source_video_id
        self.video_media_id = video_media_id
        self.video = video
        self.sound_effect_content = sound_effect_content
        self.original_sound_switch = original_sound_switch
