"""Operators that edit an existing video: restyle, swap, mimic (motion control) and modify.

Each takes its video as ``source_video_id`` (a finished PixVerse generation), ``video_media_id`` (an
uploaded media) or ``video`` (a file to upload).
"""

from __future__ import annotations

from typing import Any

from pixverse_provider.api import CreationMode
from pixverse_provider.api.request_models import PixVerseRequest
from pixverse_provider.api.validation import FieldProblem
from pixverse_provider.exceptions import PixVerseInvalidRequestError
from pixverse_provider.operators.base import PixVerseGenerationOperator, api_arguments
from pixverse_provider.operators.inputs import FileInput
from pixverse_provider.operators.video import IMAGE, VIDEO


class PixVerseRestyleOperator(PixVerseGenerationOperator):
    """Restyle a video (≤ 16 s) with a preset ``restyle_id`` or a ``restyle_prompt`` (``/video/restyle/generate``).

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
        super().__init__(**api_arguments(locals()))


PENDING_MASK = "pending-mask-selection"
"""Stands in for ``mask_id`` while the request is checked, before the mask selection has run."""


class PixVerseSwapOperator(PixVerseGenerationOperator):
    """Replace a person, object or background of a video with an image (``/video/swap/generate``).

    Choose the mask by ``mask_name`` (``"person"``, ``"object"``, ``"background"``): the operator runs the
    mask selection of ``keyframe_id`` first (PixVerse charges a few credits for it) and swaps the mask of
    that name. Or pass the ``mask_id`` of an earlier selection of the same video and keyframe.

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
    operator_fields = ("mask_name",)
    mask_name: str | None

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
        super().__init__(**api_arguments(locals()))

    def validate(self, values: dict[str, Any]) -> PixVerseRequest:
        if (values.get("mask_id") is None) == (self.mask_name is None):
            problem = FieldProblem("mask_id or mask_name", "give exactly one: mask_name (e.g. 'person') or mask_id")
            raise PixVerseInvalidRequestError(self.mode.value, [problem])
        return super().validate({"mask_id": PENDING_MASK, **values})

    def resolve(self, values: dict[str, Any]) -> PixVerseRequest:
        values = self.upload_files(values)
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
        return self.parse(self.mode, values)


class PixVerseMimicOperator(PixVerseGenerationOperator):
    """Animate a character image with the motion of a reference video (``/video/mimic/generate``).

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
        super().__init__(**api_arguments(locals()))


class PixVerseModifyOperator(PixVerseGenerationOperator):
    """Edit a video by prompt (``/video/modify/generate``).

    The prompt may point at masks of a selection as ``@selection0`` (``mask_ids``) and at reference images
    as ``@img0`` (``img_ids`` or ``images``), up to three of each.

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
        super().__init__(**api_arguments(locals()))
