"""Operators that upload a file to PixVerse and return its id for the generation tasks downstream."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from airflow.sdk import BaseOperator

from pixverse_provider.api.validation import FieldProblem
from pixverse_provider.exceptions import PixVerseInvalidRequestError
from pixverse_provider.hooks.settings import DEFAULT_CONN_ID
from pixverse_provider.operators.inputs import FileInput, check_choice, naming_the_input

if TYPE_CHECKING:
    from airflow.sdk import Context

    from pixverse_provider.hooks import PixVerseHook


class _PixVerseUploadOperator(BaseOperator):
    """Upload one file; subclasses say which field holds it and which endpoint takes it."""

    source_field: str
    ui_color = "#f3edff"

    def __init__(self, *, pixverse_conn_id: str = DEFAULT_CONN_ID, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pixverse_conn_id = pixverse_conn_id

    @cached_property
    def hook(self) -> PixVerseHook:
        from pixverse_provider.hooks import PixVerseHook  # heavy (requests): loaded when a task runs

        return PixVerseHook(pixverse_conn_id=self.pixverse_conn_id)

    def _checked_source(self) -> Any:
        """The file to upload; fails before any request when it is missing or not a readable kind."""
        source = getattr(self, self.source_field)
        spec = FileInput("id", self.source_field, "image")
        problems = check_choice({self.source_field: source}, spec, "")
        if problems:
            if source is None:
                problems = [FieldProblem(self.source_field, "is required: a path, an http(s) URL or ObjectStoragePath")]
            raise PixVerseInvalidRequestError("upload", problems)
        return source


class PixVerseUploadImageOperator(_PixVerseUploadOperator):
    """Upload an image (png, jpg, webp; < 20 MB); returns its ``img_id`` and pushes ``img_url``.

    :param image: The image: a local path, an ``http(s)`` URL (PixVerse fetches it), a binary file object or
        an ``ObjectStoragePath``. Templated.
    :param pixverse_conn_id: The ``pixverse`` connection (API key and base URL); see :doc:`/connection`.

    Example::

        from airflow.sdk import DAG
        from pixverse_provider.operators import PixVerseImageToVideoOperator, PixVerseUploadImageOperator

        with DAG("pixverse_upload_image_example", schedule=None) as dag:
            upload = PixVerseUploadImageOperator(task_id="upload_cat", image="cat.png")
            PixVerseImageToVideoOperator(task_id="animate", img_id=upload.output, prompt="The cat blinks")
    """

    source_field = "image"
    template_fields: Sequence[str] = ("image", "pixverse_conn_id")

    def __init__(self, *, image: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.image = image

    def execute(self, context: Context) -> int:
        source = self._checked_source()
        with naming_the_input(self.source_field, source):
            uploaded = self.hook.upload_image(source)
        self.log.info("Uploaded image as img_id %s", uploaded.img_id)
        context["ti"].xcom_push(key="img_url", value=uploaded.img_url)
        return uploaded.img_id


class PixVerseUploadMediaOperator(_PixVerseUploadOperator):
    """Upload a video (mp4, mov, webm) or audio (mp3, wav, m4a, aac) file; returns its ``media_id``.

    Limits: 50 MB and 30 s; videos up to 1920 px. Pushes ``media_type`` ("video"/"audio") and ``url``.

    :param file: The video or audio: a local path, an ``http(s)`` URL (PixVerse fetches it), a binary file
        object or an ``ObjectStoragePath``. Templated.
    :param pixverse_conn_id: The ``pixverse`` connection (API key and base URL); see :doc:`/connection`.

    Example::

        from airflow.sdk import DAG
        from pixverse_provider.operators import PixVerseLipSyncOperator, PixVerseUploadMediaOperator

        with DAG("pixverse_upload_media_example", schedule=None) as dag:
            clip = PixVerseUploadMediaOperator(task_id="upload_clip", file="clip.mp4")
            voice = PixVerseUploadMediaOperator(task_id="upload_voice", file="voice.wav")
            PixVerseLipSyncOperator(task_id="talk", video_media_id=clip.output, audio_media_id=voice.output)
    """

    source_field = "file"
    template_fields: Sequence[str] = ("file", "pixverse_conn_id")

    def __init__(self, *, file: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.file = file

    def execute(self, context: Context) -> int:
        source = self._checked_source()
        with naming_the_input(self.source_field, source):
            uploaded = self.hook.upload_media(source)
        self.log.info("Uploaded %s as media_id %s", uploaded.media_type.value, uploaded.media_id)
        context["ti"].xcom_push(key="media_type", value=uploaded.media_type.value)
        context["ti"].xcom_push(key="url", value=uploaded.url)
        return uploaded.media_id
