"""The image-to-video operator: animate one image."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pixverse_provider.api import CreationMode
from pixverse_provider.operators.base import PixVerseGenerationOperator
from pixverse_provider.operators.inputs import IMAGE


class PixVerseImageToVideoOperator(PixVerseGenerationOperator):
    """Animate one image (``/video/img/generate``): give ``img_id`` (from an upload) or ``image`` (a file).

    Takes the parameters of every generation operator too
    (:class:`~pixverse_provider.operators.PixVerseGenerationOperator`).

    :param prompt: What happens in the video; required (not blank) unless a ``template_id`` is given, since
        templates ignore the prompt. Same length limits as text-to-video.
    :param img_id: An uploaded image id (:class:`~pixverse_provider.operators.PixVerseUploadImageOperator`, or
        ``PixVerseHook.upload_image``).
    :param image: An image file to upload first: a local path, an ``http(s)`` URL, a binary file object or an
        ``ObjectStoragePath``. Give ``img_id`` or ``image``, not both.
    :param model: Model version; :ref:`mode-models` lists the models image-to-video accepts.
    :param duration: Length in seconds; the allowed values depend on the model (:ref:`model-rules`).
    :param quality: ``360p``, ``540p``, ``720p`` or ``1080p``; 1080p shortens the longest duration on some
        models.
    :param negative_prompt: What the video should avoid; same length limit as ``prompt``.
    :param seed: 0-2147483647; the same seed and inputs give a similar video.
    :param motion_mode: ``normal`` or ``fast``; ``fast`` only on v3.5, v4 and v4.5, with a 5 s duration,
        below 1080p.
    :param style: ``anime``, ``3d_animation``, ``clay``, ``comic`` or ``cyberpunk``; PixVerse applies it on
        v3.5 only.
    :param camera_movement: A camera preset such as ``zoom_in`` (v4 and v4.5 only); see
        :class:`~pixverse_provider.api.enums.CameraMovement`.
    :param template_id: An effect template id (activated in the PixVerse console) for a single-image
        template; :class:`~pixverse_provider.operators.PixVerseEffectOperator` is the simpler way to apply
        one, and the one for multi-image templates.
    :param generate_audio_switch: Generate an audio track (v5.5, v5.6, v6 and c1); priced higher.
    :param generate_multi_clip_switch: Several shots in one video (v5.5 and v6).
    :param thinking_type: Server-side prompt enhancement: ``enabled``, ``disabled`` or ``auto``.
    :param water_mark: Add PixVerse's watermark to the video (an option of the older schema; default off).
    :param sound_effect_switch: Legacy add-on: add sound effects (v5 and older, or any model with a
        ``template_id``; newer models use ``generate_audio_switch``).
    :param sound_effect_content: Describes the sound effects of the add-on.
    :param lip_sync_tts_switch: Legacy add-on: make the subject speak ``lip_sync_tts_content`` (v5 and older,
        or with a ``template_id``).
    :param lip_sync_tts_content: Text the subject speaks (with ``lip_sync_tts_switch``).
    :param lip_sync_tts_speaker_id: A voice id from ``pixverse-catalog speakers`` or
        ``PixVerseHook.list_tts_speakers`` (:ref:`catalogues`); ``"Auto"`` picks one.

    Example::

        from airflow.sdk import DAG
        from pixverse_provider.operators import PixVerseImageToVideoOperator

        with DAG("pixverse_image_to_video_example", schedule=None) as dag:
            waves = PixVerseImageToVideoOperator(
                task_id="cat_waves",
                image="cat.png",  # uploaded first; or img_id=upload_task.output
                prompt="The cat waves at the camera",
            )
    """

    mode = CreationMode.IMAGE_TO_VIDEO
    file_inputs = (IMAGE,)
    template_fields: Sequence[str] = (
        *PixVerseGenerationOperator.template_fields,
        "prompt", "img_id", "image", "model", "duration", "quality", "negative_prompt", "seed", "motion_mode",
        "style", "camera_movement", "template_id", "generate_audio_switch", "generate_multi_clip_switch",
        "thinking_type", "water_mark", "sound_effect_switch", "sound_effect_content", "lip_sync_tts_switch",
        "lip_sync_tts_content", "lip_sync_tts_speaker_id",
    )  # fmt: skip

    def __init__(
        self,
        *,
        prompt: str = "",
        img_id: int | str | None = None,
        image: Any = None,
        model: str = "v5",
        duration: int | str = 5,
        quality: str = "540p",
        negative_prompt: str | None = None,
        seed: int | str | None = None,
        motion_mode: str | None = None,
        style: str | None = None,
        camera_movement: str | None = None,
        template_id: int | str | None = None,
        generate_audio_switch: bool | None = None,
        generate_multi_clip_switch: bool | None = None,
        thinking_type: str | None = None,
        water_mark: bool | None = None,
        sound_effect_switch: bool | None = None,
        sound_effect_content: str | None = None,
        lip_sync_tts_switch: bool | None = None,
        lip_sync_tts_content: str | None = None,
        lip_sync_tts_speaker_id: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.prompt = prompt
        self.img_id = img_id
        self.image = image
        self.model = model
        self.duration = duration
        self.quality = quality
        self.negative_prompt = negative_prompt
        self.seed = seed
        self.motion_mode = motion_mode
        self.style = style
        self.camera_movement = camera_movement
        self.template_id = template_id
        self.generate_audio_switch = generate_audio_switch
        self.generate_multi_clip_switch = generate_multi_clip_switch
        self.thinking_type = thinking_type
        self.water_mark = water_mark
        self.sound_effect_switch = sound_effect_switch
        self.sound_effect_content = sound_effect_content
        self.lip_sync_tts_switch = lip_sync_tts_switch
        self.lip_sync_tts_content = lip_sync_tts_content
        self.lip_sync_tts_speaker_id = lip_sync_tts_speaker_id
