"""Operators that edit an existing video: restyle, swap, mimic (motion control) and modify.

Each takes its video as ``source_video_id`` (a finished PixVerse generation), ``video_media_id`` (an
uploaded media) or ``video`` (a file to upload).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pixverse_provider.api import CreationMode
from pixverse_provider.api.validation import FieldProblem
from pixverse_provider.exceptions import PixVerseInvalidRequestError
from pixverse_provider.operators.base import PixVerseGenerationOperator
from pixverse_provider.operators.inputs import IMAGE, VIDEO, FileInput

if TYPE_CHECKING:
    from pixverse_provider.api.request_models import PixVerseRequest


class PixVerseRestyleOperator(PixVerseGenerationOperator):
    """Restyle a video (≤ 16 s) with a preset ``restyle_id`` or a ``restyle_prompt`` (``/video/restyle/generate``).

    Takes the parameters of every generation operator too
    (:class:`~pixverse_provider.operators.PixVerseGenerationOperator`).

    :param source_video_id: A finished PixVerse video, usually a generation task's ``.output``.
    :param video_media_id: An uploaded video
        (:class:`~pixverse_provider.operators.PixVerseUploadMediaOperator`).
    :param video: A video file to upload first (mp4, mov, webm; at most 50 MB, 30 s, 1920 px). Give exactly
        one of ``source_video_id``, ``video_media_id`` and ``video``.
    :param restyle_id: A preset, from ``pixverse-catalog restyles`` (:ref:`catalogues`).
    :param restyle_prompt: The style in words; at most 5000 characters.
    :param seed: 0-2147483647; the same seed and inputs give a similar video.

    Example::

        from airflow.sdk import DAG
        from pixverse_provider.operators import PixVerseRestyleOperator

        with DAG("pixverse_restyle_example", schedule=None) as dag:
            painted = PixVerseRestyleOperator(
                task_id="watercolour",
                video="clip.mp4",
                restyle_prompt="a soft watercolour painting",
            )
    """

    mode = CreationMode.RESTYLE
    file_inputs = (VIDEO,)
    template_fields: Sequence[str] = (
        *PixVerseGenerationOperator.template_fields,
        "source_video_id", "video_media_id", "video", "restyle_id", "restyle_prompt", "seed",
    )  # fmt: skip

    def __init__(
        self,
        *,
        source_video_id: int | str | None = None,
        video_media_id: int | str | None = None,
        video: Any = None,
        restyle_id: int | str | None = None,
        restyle_prompt: str | None = None,
        seed: int | str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.source_video_id = source_video_id
        self.video_media_id = video_media_id
        self.video = video
        self.restyle_id = restyle_id
        self.restyle_prompt = restyle_prompt
        self.seed = seed


PENDING_MASK = "pending-mask-selection"
"""Stands in for ``mask_id`` while the request is checked, before the mask selection has run."""


class PixVerseSwapOperator(PixVerseGenerationOperator):
    """Replace a person, object or background of a video with an image (``/video/swap/generate``).

    Choose the mask by ``mask_name`` (``"person"``, ``"object"``, ``"background"``): the operator runs the
    mask selection of ``keyframe_id`` first (PixVerse charges a few credits for it) and swaps the mask of
    that name. Or pass the ``mask_id`` of an earlier selection of the same video and keyframe. Takes the
    parameters of every generation operator too (:class:`~pixverse_provider.operators.PixVerseGenerationOperator`).

    :param mask_name: ``"person"``, ``"object"`` or ``"background"`` (case-insensitive): run a mask selection
        of ``keyframe_id`` first and swap the mask of that name. Give ``mask_name`` or ``mask_id``.
    :param mask_id: The id of a mask from an earlier selection of the same video and keyframe
        (``PixVerseHook.select_masks``).
    :param img_id: The uploaded image to put in place of the mask.
    :param image: The replacement image as a file to upload. Give ``img_id`` or ``image``, not both.
    :param source_video_id: A finished PixVerse video, usually a generation task's ``.output``.
    :param video_media_id: An uploaded video
        (:class:`~pixverse_provider.operators.PixVerseUploadMediaOperator`).
    :param video: A video file to upload first (mp4, mov, webm; at most 50 MB, 30 s, 1920 px). Give exactly
        one of ``source_video_id``, ``video_media_id`` and ``video``.
    :param keyframe_id: The frame whose masks are selected (default 1).
    :param quality: ``360p``, ``540p`` or ``720p``.

    Example::

        from airflow.sdk import DAG
        from pixverse_provider.operators import PixVerseSwapOperator

        with DAG("pixverse_swap_example", schedule=None) as dag:
            swapped = PixVerseSwapOperator(
                task_id="dog_instead",
                video="clip.mp4",
                mask_name="person",
                image="dog.png",
            )
    """

    mode = CreationMode.SWAP
    file_inputs = (VIDEO, IMAGE)
    not_sent = ("mask_name",)
    template_fields: Sequence[str] = (
        *PixVerseGenerationOperator.template_fields,
        "mask_name", "mask_id", "img_id", "image", "source_video_id", "video_media_id", "video", "keyframe_id",
        "quality",
    )  # fmt: skip

    def __init__(
        self,
        *,
        mask_name: str | None = None,
        mask_id: str | None = None,
        img_id: int | str | None = None,
        image: Any = None,
        source_video_id: int | str | None = None,
        video_media_id: int | str | None = None,
        video: Any = None,
        keyframe_id: int | str = 1,
        quality: str = "540p",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.mask_name = mask_name
        self.mask_id = mask_id
        self.img_id = img_id
        self.image = image
        self.source_video_id = source_video_id
        self.video_media_id = video_media_id
        self.video = video
        self.keyframe_id = keyframe_id
        self.quality = quality

    def validate(self, values: dict[str, Any]) -> PixVerseRequest:
        if (values.get("mask_id") is None) == (self.mask_name is None):
            problem = FieldProblem("mask_id or mask_name", "give exactly one: mask_name (e.g. 'person') or mask_id")
            raise PixVerseInvalidRequestError(self.mode.value, [problem])
        return super().validate({"mask_id": PENDING_MASK, **values})

    def resolve(self, values: dict[str, Any]) -> PixVerseRequest:
        values = self._upload_files(values)
        if self.mask_name is not None:
            selection = self.hook.select_masks(
                source_video_id=values.get("source_video_id"),
                video_media_id=values.get("video_media_id"),
                keyframe_id=values.get("keyframe_id"),
            )
            masks = {m.mask_name.lower(): m for m in selection.mask_info}
            mask = masks.get(str(self.mask_name).lower())
            if mask is None:
                found = ", ".join(m.mask_name for m in selection.mask_info) or "none"
                problem = FieldProblem("mask_name", f"no mask named '{self.mask_name}' in keyframe; found: {found}")
                raise PixVerseInvalidRequestError(self.mode.value, [problem])
            self.log.info("Mask selection chose '%s' (mask_id %s)", mask.mask_name, mask.mask_id)
            values = {**values, "mask_id": mask.mask_id, "keyframe_id": selection.keyframe_id}
        return self._parse(self.mode, values)


class PixVerseMimicOperator(PixVerseGenerationOperator):
    """Animate a character image with the motion of a reference video (``/video/mimic/generate``).

    Takes the parameters of every generation operator too
    (:class:`~pixverse_provider.operators.PixVerseGenerationOperator`).

    :param img_id: The uploaded character image to animate.
    :param image: The character image as a file to upload. Give ``img_id`` or ``image``, not both.
    :param source_video_id: A finished PixVerse video whose motion is copied.
    :param video_media_id: An uploaded reference video whose motion is copied.
    :param video: The reference video as a file to upload (PixVerse allows up to 100 MB for mimic).
    :param quality: ``360p``, ``540p`` or ``720p``; ``1080p`` is left to PixVerse (:ref:`uncertain-rules`).

    Example::

        from airflow.sdk import DAG
        from pixverse_provider.operators import PixVerseMimicOperator

        with DAG("pixverse_mimic_example", schedule=None) as dag:
            dance = PixVerseMimicOperator(
                task_id="cat_dances",
                image="cat.png",
                video="clip.mp4",
                quality="540p",
            )
    """

    mode = CreationMode.MIMIC
    file_inputs = (VIDEO, IMAGE)
    template_fields: Sequence[str] = (
        *PixVerseGenerationOperator.template_fields,
        "img_id", "image", "source_video_id", "video_media_id", "video", "quality",
    )  # fmt: skip

    def __init__(
        self,
        *,
        img_id: int | str | None = None,
        image: Any = None,
        source_video_id: int | str | None = None,
        video_media_id: int | str | None = None,
        video: Any = None,
        quality: str = "540p",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.img_id = img_id
        self.image = image
        self.source_video_id = source_video_id
        self.video_media_id = video_media_id
        self.video = video
        self.quality = quality


class PixVerseModifyOperator(PixVerseGenerationOperator):
    """Edit a video by prompt (``/video/modify/generate``).

    The prompt may point at masks of a selection as ``@selection0`` (``mask_ids``) and at reference images
    as ``@img0`` (``img_ids`` or ``images``), up to three of each. Takes the parameters of every generation
    operator too (:class:`~pixverse_provider.operators.PixVerseGenerationOperator`).

    :param prompt: The edit, at most 5000 characters. Point at masks as ``@selection0``... and at reference
        images as ``@img0``...
    :param source_video_id: A finished PixVerse video, usually a generation task's ``.output``.
    :param video_media_id: An uploaded video
        (:class:`~pixverse_provider.operators.PixVerseUploadMediaOperator`).
    :param video: A video file to upload first (mp4, mov, webm; at most 50 MB, 30 s, 1920 px). Give exactly
        one of ``source_video_id``, ``video_media_id`` and ``video``.
    :param img_ids: Uploaded reference images, at most 3.
    :param images: Reference images as files to upload, at most 3; give ``img_ids`` or ``images``, not both.
    :param mask_ids: Masks of a selection of the same video (``PixVerseHook.select_masks``), at most 3.
    :param keyframe_ids: The frame of the mask selection: a single index, despite the plural name.
    :param quality: ``360p``, ``540p`` or ``720p``.

    Example::

        from airflow.sdk import DAG
        from pixverse_provider.operators import PixVerseModifyOperator

        with DAG("pixverse_modify_example", schedule=None) as dag:
            night = PixVerseModifyOperator(
                task_id="make_it_night",
                video="clip.mp4",
                prompt="Make it night, with @img0 glowing in the sky",
                images=["cat.png"],
            )
    """

    mode = CreationMode.MODIFY
    file_inputs = (VIDEO, FileInput("img_ids", "images", "image", many=True, required=False))
    template_fields: Sequence[str] = (
        *PixVerseGenerationOperator.template_fields,
        "prompt", "source_video_id", "video_media_id", "video", "img_ids", "images", "mask_ids", "keyframe_ids",
        "quality",
    )  # fmt: skip

    def __init__(
        self,
        *,
        prompt: str,
        source_video_id: int | str | None = None,
        video_media_id: int | str | None = None,
        video: Any = None,
        img_ids: list[int] | str | None = None,
        images: list[Any] | None = None,
        mask_ids: list[str] | str | None = None,
        keyframe_ids: int | str | None = None,
        quality: str = "540p",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.prompt = prompt
        self.source_video_id = source_video_id
        self.video_media_id = video_media_id
        self.video = video
        self.img_ids = img_ids
        self.images = images
        self.mask_ids = mask_ids
        self.keyframe_ids = keyframe_ids
        self.quality = quality
