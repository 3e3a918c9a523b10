"""The effect operator: an effect template applied to images (image-to-video) or to none (text-to-video)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pixverse_provider.api import CreationMode
from pixverse_provider.operators.base import PixVerseGenerationOperator
from pixverse_provider.operators.inputs import FileInput


class PixVerseEffectOperator(PixVerseGenerationOperator):
    """Apply an effect template (``template_id``) to one image, several images, or none (a text template).

    The template must be activated in the PixVerse console. Single-image templates take ``img_id`` or
    ``image``; multi-image templates ``img_ids`` or ``images``; without images the template is applied as a
    text-to-video. PixVerse ignores ``prompt`` and decides the length; ``duration=5`` is what it expects.
    Takes the parameters of every generation operator too
    (:class:`~pixverse_provider.operators.PixVerseGenerationOperator`).

    :param template_id: The effect template, from ``pixverse-catalog templates`` (:ref:`catalogues`). It must
        be activated in the PixVerse console (else ErrCode 500070).
    :param img_id: An uploaded image, for a single-image template.
    :param image: An image file for a single-image template.
    :param img_ids: Uploaded images, for a multi-image template.
    :param images: Image files for a multi-image template.
    :param prompt: Ignored by PixVerse for templates; may stay empty.
    :param model: Model version; :ref:`mode-models` lists the models image- and text-to-video accept.
    :param duration: PixVerse decides the length of an effect; ``5`` is what it expects.
    :param quality: Some templates refuse ``720p`` and ``1080p`` (ErrCode 500071).
    :param aspect_ratio: Only for text templates (no image); defaults to ``16:9`` there and is dropped when
        images are given.
    :param sound_effect_switch: Add the template's own music (not billed extra).

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
    template_fields: Sequence[str] = (
        *PixVerseGenerationOperator.template_fields,
        "template_id", "img_id", "image", "img_ids", "images", "prompt", "model", "duration", "quality",
        "aspect_ratio", "sound_effect_switch",
    )  # fmt: skip

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
        super().__init__(**kwargs)
        self.template_id = template_id
        self.img_id = img_id
        self.image = image
        self.img_ids = img_ids
        self.images = images
        self.prompt = prompt
        self.model = model
        self.duration = duration
        self.quality = quality
        self.aspect_ratio = aspect_ratio
        self.sound_effect_switch = sound_effect_switch

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
