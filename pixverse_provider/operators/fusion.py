"""The fusion operator: a video from reference images named in the prompt."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pixverse_provider.api import CreationMode
from pixverse_provider.operators.base import PixVerseGenerationOperator
from pixverse_provider.operators.inputs import FileInput


class PixVerseFusionOperator(PixVerseGenerationOperator):
    """A video from up to 7 reference images named in the prompt (``/video/fusion/generate``).

    ``image_references`` is a list of ``{"ref_name", "type": "subject" | "background", "img_id" | "image"}``;
    the prompt names each one as ``@ref_name`` followed by a space. Takes the parameters of every generation
    operator too (:class:`~pixverse_provider.operators.PixVerseGenerationOperator`).

    :param image_references: The references, ``{"ref_name", "type": "subject" | "background", "img_id" |
        "image"}`` each, or a JSON string of them.
    :param prompt: Names every reference as ``@ref_name`` followed by a space.
    :param model: Model version; :ref:`mode-models` lists the models fusion accepts.
    :param duration: Length in seconds; the allowed values depend on the model (:ref:`model-rules`).
    :param quality: ``360p``, ``540p``, ``720p`` or ``1080p``; 1080p shortens the longest duration on some
        models.
    :param aspect_ratio: Frame shape: ``16:9``, ``4:3``, ``1:1``, ``3:4``, ``9:16``; v6 and c1 also take
        ``2:3``, ``3:2`` and ``21:9``.
    :param seed: 0-2147483647; the same seed and inputs give a similar video.
    :param generate_audio_switch: Generate an audio track (v5.6, v6 and c1).

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
    template_fields: Sequence[str] = (
        *PixVerseGenerationOperator.template_fields,
        "image_references", "prompt", "model", "duration", "quality", "aspect_ratio", "seed", "generate_audio_switch",
    )  # fmt: skip

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
        super().__init__(**kwargs)
        self.image_references = image_references
        self.prompt = prompt
        self.model = model
        self.duration = duration
        self.quality = quality
        self.aspect_ratio = aspect_ratio
        self.seed = seed
        self.generate_audio_switch = generate_audio_switch
