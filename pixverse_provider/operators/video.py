"""Operators for the prompt-driven modes: text, image, transition, effects, multi-transition, fusion, extend.

Defaults (``model="v5"``, ``duration=5``, ``quality="540p"``, ``aspect_ratio="16:9"``) are the cheapest
shape every mode accepts; set them explicitly to control cost (see ``api.pricing``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pixverse_provider.api import CreationMode
from pixverse_provider.operators.base import PixVerseGenerationOperator, api_arguments
from pixverse_provider.operators.inputs import FileInput

IMAGE = FileInput("img_id", "image", "image")
VIDEO = FileInput("video_media_id", "video", "video", alternatives=("source_video_id",))
"""An input video: ``source_video_id`` (a PixVerse generation), ``video_media_id`` or ``video`` (a file)."""


class PixVerseTextToVideoOperator(PixVerseGenerationOperator):
    """Generate a video from a prompt (``/video/text/generate``).

    Example::

        from airflow.sdk import DAG
        from pixverse_provider.operators import PixVerseTextToVideoOperator

        with DAG("pixverse_text_to_video_example", schedule=None) as dag:
            fox = PixVerseTextToVideoOperator(
                task_id="fox",
                prompt="A red fox running through fresh snow, golden hour",
                model="v5",
                duration=5,
                quality="540p",
                aspect_ratio="16:9",
            )
    """

    mode = CreationMode.TEXT_TO_VIDEO

    def __init__(
        self,
        *,
        prompt: str,
        model: str = "v5",
        duration: int | str = 5,
        quality: str = "540p",
        aspect_ratio: str = "16:9",
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
        super().__init__(**api_arguments(locals()))


class PixVerseImageToVideoOperator(PixVerseGenerationOperator):
    """Animate one image (``/video/img/generate``): give ``img_id`` (from an upload) or ``image`` (a file).

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
        super().__init__(**api_arguments(locals()))


class PixVerseTransitionOperator(PixVerseGenerationOperator):
    """A video that moves from a first frame to a last frame (``/video/transition/generate``).

    Each frame is an ``img_id`` (``first_frame_img``/``last_frame_img``) or a file (``first_frame_image``/
    ``last_frame_image``).

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
        super().__init__(**api_arguments(locals()))


class PixVerseEffectOperator(PixVerseGenerationOperator):
    """Apply an effect template (``template_id``) to one image, several images, or none (a text template).

    The template must be activated in the PixVerse console. Single-image templates take ``img_id`` or
    ``image``; multi-image templates ``img_ids`` or ``images``; without images the template is applied as a
    text-to-video. PixVerse ignores ``prompt`` and decides the length; ``duration=5`` is what it expects.

    Example::

        from airflow.sdk import DAG
        from pixverse_provider.operators import PixVerseEffectOperator

        with DAG("pixverse_effect_example", schedule=None) as dag:
            robot = PixVerseEffectOperator(
                task_id="robot_effect",
                template_id=313358700761536,  # "Anything, Robot"
                image="cat.png",
                sound_effect_switch=True,  # the template's own music, not billed extra
            )
    """

    mode = CreationMode.IMAGE_TO_VIDEO
    file_inputs = (
        FileInput("img_id", "image", "image", required=False),
        FileInput("img_ids", "images", "image", many=True, required=False, alternatives=("img_id", "image")),
    )
    api_fields = ("template_id", "img_id", "img_ids", "prompt", "model", "duration", "quality", "aspect_ratio",
                  "sound_effect_switch")  # fmt: skip

    def __init__(
        self,
        *,
        template_id: int | str,
        img_id: int | str | None = None,
        image: Any = None,
        img_ids: list[int] | str | None = None,
        images: list[Any] | None = None,
        prompt: str = "",
        model: str = "v5",
        duration: int | str = 5,
        quality: str = "540p",
        aspect_ratio: str | None = None,
        sound_effect_switch: bool | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**api_arguments(locals()))

    def request_mode(self, values: Mapping[str, Any]) -> CreationMode:
        images = ("img_id", "image", "img_ids", "images")
        return (
            CreationMode.IMAGE_TO_VIDEO
            if any(values.get(k) is not None for k in images)
            else CreationMode.TEXT_TO_VIDEO
        )

    def request_values(self) -> dict[str, Any]:
        values = super().request_values()
        if self.request_mode(values) == CreationMode.TEXT_TO_VIDEO:
            values.setdefault("aspect_ratio", "16:9")
            values.setdefault("prompt", "")
        else:
            values.pop("aspect_ratio", None)
        return values


class PixVerseMultiTransitionOperator(PixVerseGenerationOperator):
    """A video through 2-7 keyframes (``/video/multi_transition/generate``; models v3.5-v5).

    ``multi_transition`` is a list of ``{"img_id" | "image", "duration", "prompt"}``: ``duration`` is the
    seconds from that keyframe to the next (1-8, or 1-5 with three or more keyframes) and is left out on
    the last one.

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
        super().__init__(**api_arguments(locals()))


class PixVerseFusionOperator(PixVerseGenerationOperator):
    """A video from up to 7 reference images named in the prompt (``/video/fusion/generate``).

    ``image_references`` is a list of ``{"ref_name", "type": "subject" | "background", "img_id" | "image"}``;
    the prompt names each one as ``@ref_name`` followed by a space.

    Example::

        from airflow.sdk import DAG
        from pixverse_provider.operators import PixVerseFusionOperator

        with DAG("pixverse_fusion_example", schedule=None) as dag:
            scene = PixVerseFusionOperator(
                task_id="cat_meets_dog",
                image_references=[
                    {"ref_name": "cat", "type": "subject", "image": "cat.png"},
                    {"ref_name": "dog", "type": "subject", "image": "dog.png"},
                ],
                prompt="@cat and @dog play in a sunny garden",
                model="v5",
            )
    """

    mode = CreationMode.FUSION
    file_inputs = (FileInput("img_id", "image", "image", within="image_references", named_by="ref_name"),)

    def __init__(
        self,
        *,
        image_references: list[dict[str, Any]] | str,
        prompt: str,
        model: str = "v5",
        duration: int | str = 5,
        quality: str = "540p",
        aspect_ratio: str = "16:9",
        seed: int | str | None = None,
        generate_audio_switch: bool | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**api_arguments(locals()))


class PixVerseExtendOperator(PixVerseGenerationOperator):
    """Continue a video (``/video/extend/generate``): a PixVerse ``source_video_id``, or an upload.

    ``seed`` is required by PixVerse for this mode.

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
        super().__init__(**api_arguments(locals()))
