"""The transition operators: from a first frame to a last one, or through 2-7 keyframes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pixverse_provider.api import CreationMode
from pixverse_provider.operators.base import PixVerseGenerationOperator
from pixverse_provider.operators.inputs import FileInput


class PixVerseTransitionOperator(PixVerseGenerationOperator):
    """A video that moves from a first frame to a last frame (``/video/transition/generate``).

    Each frame is an ``img_id`` (``first_frame_img``/``last_frame_img``) or a file (``first_frame_image``/
    ``last_frame_image``). Takes the parameters of every generation operator too
    (:class:`~pixverse_provider.operators.PixVerseGenerationOperator`).

    :param prompt: How the first frame turns into the last.
    :param first_frame_img: Uploaded image id of the first frame.
    :param last_frame_img: Uploaded image id of the last frame.
    :param first_frame_image: First frame as a file to upload; give ``first_frame_img`` or
        ``first_frame_image``.
    :param last_frame_image: Last frame as a file to upload; give ``last_frame_img`` or ``last_frame_image``.
    :param model: Model version; :ref:`mode-models` lists the models a transition accepts.
    :param duration: Length in seconds; the allowed values depend on the model (:ref:`model-rules`).
    :param quality: ``360p``, ``540p``, ``720p`` or ``1080p``; 1080p shortens the longest duration on some
        models.
    :param seed: 0-2147483647; the same seed and inputs give a similar video.
    :param motion_mode: ``normal`` or ``fast``; ``fast`` only on v3.5, v4 and v4.5, with a 5 s duration,
        below 1080p.
    :param template_id: An effect template id (activated in the PixVerse console).
    :param generate_audio_switch: Generate an audio track (v5.5, v5.6, v6 and c1); priced higher.
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
        from pixverse_provider.operators import PixVerseTransitionOperator

        with DAG("pixverse_transition_example", schedule=None) as dag:
            morph = PixVerseTransitionOperator(
                task_id="cat_to_dog",
                first_frame_image="cat.png",
                last_frame_image="dog.png",
                prompt="The cat slowly turns into a dog",
            )
    """

    mode = CreationMode.TRANSITION
    file_inputs = (
        FileInput("first_frame_img", "first_frame_image", "image"),
        FileInput("last_frame_img", "last_frame_image", "image"),
    )
    template_fields: Sequence[str] = (
        *PixVerseGenerationOperator.template_fields,
        "prompt", "first_frame_img", "last_frame_img", "first_frame_image", "last_frame_image", "model", "duration",
        "quality", "seed", "motion_mode", "template_id", "generate_audio_switch", "sound_effect_switch",
        "sound_effect_content", "lip_sync_tts_switch", "lip_sync_tts_content", "lip_sync_tts_speaker_id",
    )  # fmt: skip

    def __init__(
        self,
        *,
        prompt: str,
        first_frame_img: int | str | None = None,
        last_frame_img: int | str | None = None,
        first_frame_image: Any = None,
        last_frame_image: Any = None,
        model: str = "v5",
        duration: int | str = 5,
        quality: str = "540p",
        seed: int | str | None = None,
        motion_mode: str | None = None,
        template_id: int | str | None = None,
        generate_audio_switch: bool | None = None,
        sound_effect_switch: bool | None = None,
        sound_effect_content: str | None = None,
        lip_sync_tts_switch: bool | None = None,
        lip_sync_tts_content: str | None = None,
        lip_sync_tts_speaker_id: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.prompt = prompt
        self.first_frame_img = first_frame_img
        self.last_frame_img = last_frame_img
        self.first_frame_image = first_frame_image
        self.last_frame_image = last_frame_image
        self.model = model
        self.duration = duration
        self.quality = quality
        self.seed = seed
        self.motion_mode = motion_mode
        self.template_id = template_id
        self.generate_audio_switch = generate_audio_switch
        self.sound_effect_switch = sound_effect_switch
        self.sound_effect_content = sound_effect_content
        self.lip_sync_tts_switch = lip_sync_tts_switch
        self.lip_sync_tts_content = lip_sync_tts_content
        self.lip_sync_tts_speaker_id = lip_sync_tts_speaker_id


class PixVerseMultiTransitionOperator(PixVerseGenerationOperator):
    """A video through 2-7 keyframes (``/video/multi_transition/generate``; models v3.5-v5).

    ``multi_transition`` is a list of ``{"img_id" | "image", "duration", "prompt"}``: ``duration`` is the
    seconds from that keyframe to the next (1-8, or 1-5 with three or more keyframes) and is left out on
    the last one. Takes the parameters of every generation operator too
    (:class:`~pixverse_provider.operators.PixVerseGenerationOperator`).

    :param multi_transition: The keyframes, 2-7 items ``{"img_id" | "image", "duration", "prompt"}``, or a
        JSON string of them (a rendered template). ``duration`` is the seconds to the next keyframe, left out
        on the last one; ``prompt`` describes that segment.
    :param model: Model version: v3.5, v4, v4.5 or v5.
    :param quality: ``360p``, ``540p``, ``720p`` or ``1080p``.
    :param motion_mode: ``normal`` or ``fast`` (v3.5-v4.5, every segment at most 5 s, below 1080p).
    :param seed: 0-2147483647; the same seed and inputs give a similar video.

    Example::

        from airflow.sdk import DAG
        from pixverse_provider.operators import PixVerseMultiTransitionOperator

        with DAG("pixverse_multi_transition_example", schedule=None) as dag:
            story = PixVerseMultiTransitionOperator(
                task_id="cat_dog_cat",
                multi_transition=[
                    {"image": "cat.png", "duration": 3, "prompt": "the cat jumps"},
                    {"image": "dog.png", "duration": 3, "prompt": "the dog lands"},
                    {"image": "cat.png"},
                ],
            )
    """

    mode = CreationMode.MULTI_TRANSITION
    file_inputs = (FileInput("img_id", "image", "image", within="multi_transition"),)
    template_fields: Sequence[str] = (
        *PixVerseGenerationOperator.template_fields,
        "multi_transition", "model", "quality", "motion_mode", "seed",
    )  # fmt: skip

    def __init__(
        self,
        *,
        multi_transition: list[dict[str, Any]] | str,
        model: str = "v5",
        quality: str = "540p",
        motion_mode: str | None = None,
        seed: int | str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.multi_transition = multi_transition
        self.model = model
        self.quality = quality
        self.motion_mode = motion_mode
        self.seed = seed
