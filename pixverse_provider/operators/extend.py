"""The extend operator: continue a generated or uploaded video."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pixverse_provider.api import CreationMode
from pixverse_provider.operators.base import PixVerseGenerationOperator
from pixverse_provider.operators.inputs import VIDEO


class PixVerseExtendOperator(PixVerseGenerationOperator):
    """Continue a video (``/video/extend/generate``): a PixVerse ``source_video_id``, or an upload.

    ``seed`` is required by PixVerse for this mode. Takes the parameters of every generation operator too
    (:class:`~pixverse_provider.operators.PixVerseGenerationOperator`).

    :param prompt: What happens next.
    :param seed: Required by PixVerse for this mode (0-2147483647).
    :param source_video_id: A finished PixVerse video to continue, usually a generation task's ``.output``;
        that task must have waited (``wait_for_completion=True``) or be followed by a sensor.
    :param video_media_id: An uploaded video
        (:class:`~pixverse_provider.operators.PixVerseUploadMediaOperator`).
    :param video: A video file to upload first (mp4, mov, webm; at most 50 MB, 30 s, 1920 px). Give exactly
        one of ``source_video_id``, ``video_media_id`` and ``video``.
    :param model: Model version; :ref:`mode-models` lists the models extend accepts.
    :param duration: Length in seconds; the allowed values depend on the model (:ref:`model-rules`).
    :param quality: ``360p``, ``540p``, ``720p`` or ``1080p``; 1080p shortens the longest duration on some
        models.
    :param negative_prompt: What the video should avoid; same length limit as ``prompt``.
    :param motion_mode: ``normal`` or ``fast``; ``fast`` only on v3.5, v4 and v4.5, with a 5 s duration,
        below 1080p.
    :param style: ``anime``, ``3d_animation``, ``clay``, ``comic`` or ``cyberpunk``; PixVerse applies it on
        v3.5 only.
    :param generate_audio_switch: Generate an audio track (v5.5, v5.6, v6 and c1); priced higher.
    :param water_mark: Add PixVerse's watermark to the video (an option of the older schema; default off).

    Example::

        from airflow.sdk import DAG
        from pixverse_provider.operators import PixVerseExtendOperator

        with DAG("pixverse_extend_example", schedule=None) as dag:
            longer = PixVerseExtendOperator(
                task_id="extend_clip",
                video="clip.mp4",  # or source_video_id=generate_task.output once it has finished
                prompt="The camera pulls back to reveal the city",
                seed=42,
            )
    """

    mode = CreationMode.EXTEND
    file_inputs = (VIDEO,)
    template_fields: Sequence[str] = (
        *PixVerseGenerationOperator.template_fields,
        "prompt", "seed", "source_video_id", "video_media_id", "video", "model", "duration", "quality",
        "negative_prompt", "motion_mode", "style", "generate_audio_switch", "water_mark",
    )  # fmt: skip

    def __init__(
        self,
        *,
        prompt: str,
        seed: int | str,
        source_video_id: int | str | None = None,
        video_media_id: int | str | None = None,
        video: Any = None,
        model: str = "v5",
        duration: int | str = 5,
        quality: str = "540p",
        negative_prompt: str | None = None,
        motion_mode: str | None = None,
        style: str | None = None,
        generate_audio_switch: bool | None = None,
        water_mark: bool | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.prompt = prompt
        self.seed = seed
        self.source_video_id = source_video_id
        self.video_media_id = video_media_id
        self.video = video
        self.model = model
        self.duration = duration
        self.quality = quality
        self.negative_prompt = negative_prompt
        self.motion_mode = motion_mode
        self.style = style
        self.generate_audio_switch = generate_audio_switch
        self.water_mark = water_mark
