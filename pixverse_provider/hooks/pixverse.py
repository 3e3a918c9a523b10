"""``PixVerseHook``: every PixVerse endpoint over one pooled ``requests`` session.

Reads and uploads are retried on transient failures; a generation request is sent once and never retried
once it may have reached PixVerse, since a second one could be charged again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any

import requests
from airflow.sdk import BaseHook
from tenacity import Retrying
from urllib3.exceptions import NewConnectionError

from pixverse_provider.after_submit import clock
from pixverse_provider.after_submit.poller import VideoPoller
from pixverse_provider.after_submit.verdict import DEFAULT_MAX_POLL_FAILURES, Verdict, judge
from pixverse_provider.api import (
    GENERATION_REQUESTS,
    CreationMode,
    Endpoint,
    RequestValidationError,
    TemplateType,
    parse_request,
)
from pixverse_provider.api.request_models import (
    ImageTemplateRequest,
    MaskSelectionRequest,
    PixVerseRequest,
    RestyleListQuery,
    TemplateListQuery,
    TtsSpeakerQuery,
)
from pixverse_provider.api.responses import (
    CreditBalance,
    EffectTemplateList,
    ImageRecord,
    MaskSelection,
    RestyleList,
    SubmittedImage,
    SubmittedVideo,
    TtsSpeakerList,
    UploadedImage,
    UploadedMedia,
    VideoRecord,
)
from pixverse_provider.api.validation import RequestT
from pixverse_provider.exceptions import (
    PixVerseAmbiguousSubmitError,
    PixVerseConfigurationError,
    PixVerseConnectionError,
    PixVerseError,
    PixVerseInvalidRequestError,
    PixVerseTransportError,
    PixVerseVideoError,
)
from pixverse_provider.get_provider_info import CONN_TYPE
from pixverse_provider.hooks.files import FileSource, Upload, is_url, video_target, write_stream
from pixverse_provider.hooks.form import field_behaviour, form_widgets
from pixverse_provider.hooks.settings import DEFAULT_CONN_ID, ConnectionSettings
from pixverse_provider.hooks.transport import (
    ResponseT,
    RetryPolicy,
    connection_failure,
    connection_problem,
    explain_test_failure,
    is_ambiguous_submit,
    is_transient,
    never,
    new_trace_id,
    read_http,
    request_headers,
    was_not_sent,
)

DOWNLOAD_CHUNK = 64 * 1024
"""64 KiB reads keep pace with curl on loopback; 1 MiB reads ran at a third of its speed (bench/RESULTS.md)."""


class Submission(SubmittedVideo):
    """A generation PixVerse accepted: its ``video_id``, the ``trace_id`` of the submit and the charge echoed."""

    trace_id: str


class PixVerseHook(BaseHook):
    """Talks to the PixVerse Platform API with the API key and base URL of a ``pixverse`` connection.

    Creating a hook costs nothing: the connection is looked up and checked on first use (``settings``), so a
    DAG file may build one without touching the metadata database or a secrets backend.

    :param pixverse_conn_id: the connection; its password is the API key and its host the base URL.
    :param retry_wait: first backoff (seconds) between retries of a read; doubles each time, with jitter.
    """

    conn_name_attr = "pixverse_conn_id"
    default_conn_name = DEFAULT_CONN_ID
    conn_type = CONN_TYPE
    hook_name = "PixVerse"

    def __init__(self, pixverse_conn_id: str = DEFAULT_CONN_ID, *, retry_wait: float = 1.0) -> None:
        super().__init__()
        self.pixverse_conn_id = pixverse_conn_id
        self.retry_wait = retry_wait

    @cached_property
    def settings(self) -> ConnectionSettings:
        """The connection's settings, looked up and checked on first use, then kept for the hook's life.

        Raises Airflow's not-found error for an unknown connection id, and ``PixVerseConfigurationError``
        naming the field for an unusable connection; either way before any request is sent.
        """
        return ConnectionSettings.from_connection(self.get_connection(self.pixverse_conn_id))

    @property
    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(self.settings.max_retries, initial_wait=self.retry_wait)

    def __repr__(self) -> str:
        loaded = self.__dict__.get("settings")
        base_url = f", base_url={loaded.base_url!r}" if loaded is not None else ""
        return f"PixVerseHook(pixverse_conn_id={self.pixverse_conn_id!r}{base_url})"

    @classmethod
    def get_ui_field_behaviour(cls) -> dict[str, Any]:
        """Connection form for Airflow 3.1 (3.2+ reads it from the provider info without importing the hook)."""
        return field_behaviour()

    @classmethod
    def get_connection_form_widgets(cls) -> dict[str, Any]:
        """Connection extras for Airflow 3.1's form (3.2+ reads ``conn-fields`` from the provider info)."""
        return form_widgets()

    @cached_property
    def session(self) -> requests.Session:
        """One pooled session for the hook's life; the API key goes per request, never into the session."""
        return requests.Session()

    def get_conn(self) -> requests.Session:
        return self.session

    # --- account ----------------------------------------------------------------------------------------

    def get_credit_balance(self) -> CreditBalance:
        """Credits left on the account (free; used by ``test_connection``)."""
        return self._read(CreditBalance, "GET", Endpoint.BALANCE)

    def test_connection(self) -> tuple[bool, str]:
        """Airflow's connection test: reads the credit balance, which costs nothing.

        One request, never retried, so the answer comes within the connection's timeouts (tasks keep their
        retries).
        """
        try:
            base_url = self.settings.base_url
        except PixVerseConfigurationError as exc:
            return False, str(exc)
        try:
            balance = self._read(CreditBalance, "GET", Endpoint.BALANCE, retry_on=never)
        except PixVerseError as exc:
            return False, explain_test_failure(exc, base_url)
        return True, f"Connected to PixVerse at {base_url}: {balance.total} credits available"

    # --- uploads ----------------------------------------------------------------------------------------

    def upload_image(self, source: FileSource) -> UploadedImage:
        """Upload an image (png, jpg, webp; < 20 MB): a local path, file object, ObjectStoragePath or URL."""
        return self._upload(UploadedImage, Endpoint.UPLOAD_IMAGE, "image", "image_url", source)

    def upload_media(self, source: FileSource) -> UploadedMedia:
        """Upload a video (mp4, mov, webm) or audio (mp3, wav, m4a, aac) file for the modes that take one."""
        return self._upload(UploadedMedia, Endpoint.UPLOAD_MEDIA, "file", "file_url", source)

    def _upload(
        self, model: type[ResponseT], endpoint: Endpoint, file_field: str, url_field: str, source: FileSource
    ) -> ResponseT:
        if is_url(source):
            return self._read(model, "POST", endpoint, data={url_field: source})
        upload = Upload(source, file_field)
        # Uploads are free, so retrying one is safe, as long as the file can be read again from the start.
        retry_on = is_transient if upload.reopenable else was_not_sent
        return self._read(model, "POST", endpoint, upload=upload, retry_on=retry_on)

    # --- generation -------------------------------------------------------------------------------------

    def validate(self, mode: CreationMode | str, payload: Mapping[str, Any] | PixVerseRequest) -> PixVerseRequest:
        """The request model for ``payload``; raises ``PixVerseInvalidRequestError`` naming every bad field."""
        mode = CreationMode(mode)
        if isinstance(payload, PixVerseRequest):
            return payload
        return _parsed(GENERATION_REQUESTS[mode], payload, mode.value)

    def submit(self, mode: CreationMode | str, payload: Mapping[str, Any] | PixVerseRequest) -> int:
        """Validate and send one generation; returns its ``video_id``."""
        return self.submit_request(self.validate(mode, payload)).video_id

    def submit_request(self, request: PixVerseRequest) -> Submission:
        """Send a validated generation request once; see ``Submission`` for what comes back."""
        trace_id = new_trace_id()
        submitted = self._send_generation(SubmittedVideo, request.endpoint, request.to_payload(), trace_id)
        return Submission.model_validate({**submitted.model_dump(), "trace_id": trace_id})

    def _send_generation(
        self, model: type[ResponseT], endpoint: Endpoint, payload: dict[str, Any], trace_id: str
    ) -> ResponseT:
        """POST a billable request with a fixed trace id; re-sent only when it certainly never left.

        A failure that leaves unknown whether PixVerse accepted it (``is_ambiguous_submit``) becomes
        ``PixVerseAmbiguousSubmitError``; any other is raised as it is.
        """
        retrying = Retrying(**self.retry_policy.tenacity_kwargs(was_not_sent))
        try:
            return retrying(self._attempt, model, "POST", endpoint.value, trace_id=trace_id, json=payload)
        except PixVerseTransportError as exc:
            if not is_ambiguous_submit(exc):
                raise
            raise PixVerseAmbiguousSubmitError(
                f"The generation request may have been accepted by PixVerse, so it is not retried ({exc})",
                trace_id=trace_id,
                path=endpoint.value,
            ) from exc

    def submit_image_template(self, img_ids: list[int], template_id: int) -> SubmittedImage:
        """Apply an image template (type 2) to uploaded images; billed, so sent once like a video."""
        request = parse_request(ImageTemplateRequest, {"img_ids": img_ids, "template_id": template_id})
        return self._send_generation(SubmittedImage, request.endpoint, request.to_payload(), new_trace_id())

    def select_masks(
        self, *, source_video_id: int | None = None, video_media_id: int | None = None, keyframe_id: int | None = None
    ) -> MaskSelection:
        """Detect swappable masks (person, object, background) in a frame; PixVerse charges a few credits."""
        payload = {"source_video_id": source_video_id, "video_media_id": video_media_id, "keyframe_id": keyframe_id}
        request = _parsed(MaskSelectionRequest, payload, "mask selection")
        return self._send_generation(MaskSelection, request.endpoint, request.to_payload(), new_trace_id())

    # --- results ----------------------------------------------------------------------------------------

    def get_video(self, video_id: int) -> VideoRecord:
        """The status record of a video (status, url once ready, size, seed, output size)."""
        return self._read(VideoRecord, "GET", Endpoint.VIDEO_RESULT, video_id=video_id)

    def get_image(self, image_id: int) -> ImageRecord:
        return self._read(ImageRecord, "GET", Endpoint.IMAGE_RESULT, image_id=image_id)

    def wait_for_video(
        self,
        video_id: int,
        *,
        poll_interval: float = 5.0,
        timeout: float = 1800.0,
        trace_id: str | None = None,
        max_poll_failures: int = DEFAULT_MAX_POLL_FAILURES,
    ) -> VideoRecord:
        """Poll until the video is ready and return its record; raise when it fails or ``timeout`` passes.

        The wait is the shared ``VideoPoller``'s, so it ends exactly as the sensor's and the trigger's do:
        the same progress lines, tolerance of ``max_poll_failures`` failed reads in a row, and exceptions.
        This holds the calling process; in a task prefer the deferrable sensor, which waits in the triggerer.
        """
        poller = VideoPoller(
            video_id,
            poll_interval=poll_interval,
            deadline=clock.now().add(seconds=timeout),
            max_poll_failures=max_poll_failures,
            trace_id=trace_id,
            log=self.log,
        )
        return poller.wait_sync(lambda: self.get_video(video_id))

    def download_video(self, video_id: int, destination: Any, *, record: VideoRecord | None = None) -> Any:
        """Stream a finished video to a local path or ``ObjectStoragePath``; returns where it landed.

        A folder destination gets ``pixverse_<video_id>.mp4``. The API key is not sent to the file host, and
        the byte count is checked against the size PixVerse reported.
        """
        record = record or self.get_video(video_id)
        if judge(record.status).verdict != Verdict.SUCCEEDED or not record.url:
            raise PixVerseVideoError(f"is not ready to download (status {record.status})", video_id=video_id)
        target = video_target(destination, video_id)

        def attempt() -> int:
            try:
                with self.session.get(record.url, stream=True, timeout=self.settings.timeout) as response:
                    response.raise_for_status()
                    return write_stream(response.iter_content(DOWNLOAD_CHUNK), target)
            except requests.RequestException as exc:
                raise PixVerseConnectionError(
                    f"download failed: {type(exc).__name__}", trace_id="-", path="video url"
                ) from exc

        written = Retrying(**self.retry_policy.tenacity_kwargs())(attempt)
        if record.size and written != record.size:
            raise PixVerseTransportError(
                f"downloaded {written} bytes but PixVerse reported {record.size}", trace_id="-", path="video url"
            )
        self.log.info("Video %s downloaded to %s (%d bytes)", video_id, target, written)
        return target

    # --- catalogues -------------------------------------------------------------------------------------

    def list_tts_speakers(self, page_num: int = 1, page_size: int = 30) -> TtsSpeakerList:
        """Voices for lip sync with text-to-speech (``lip_sync_tts_speaker_id``)."""
        query = parse_request(TtsSpeakerQuery, {"page_num": page_num, "page_size": page_size})
        return self._read(TtsSpeakerList, "GET", Endpoint.TTS_SPEAKERS, params=query.to_payload())

    def list_effect_templates(
        self, template_type: TemplateType | int | None = None, page: int = 1, page_size: int = 50
    ) -> EffectTemplateList:
        """Effect templates (``template_id`` values); a template must be activated in the PixVerse console."""
        raw = {"type": template_type, "page": page, "pageSize": page_size}
        query = _parsed(TemplateListQuery, raw, "template list")
        return self._read(EffectTemplateList, "GET", Endpoint.TEMPLATES, params=query.to_payload())

    def list_restyles(self, page_num: int = 1, page_size: int = 30) -> RestyleList:
        """Restyle presets (``restyle_id`` values)."""
        query = parse_request(RestyleListQuery, {"page_num": page_num, "page_size": page_size})
        return self._read(RestyleList, "GET", Endpoint.RESTYLE_LIST, params=query.to_payload())

    # --- transport --------------------------------------------------------------------------------------

    def _read(
        self,
        model: type[ResponseT],
        method: str,
        endpoint: Endpoint,
        *,
        retry_on: Callable[[BaseException], bool] = is_transient,
        **kwargs: Any,
    ) -> ResponseT:
        """A request that may be repeated safely: retried on transient failures, answer parsed as ``model``."""
        ids = {k: kwargs.pop(k) for k in ("video_id", "image_id") if k in kwargs}
        path = endpoint.format(**ids) if ids else endpoint.value
        retrying = Retrying(**self.retry_policy.tenacity_kwargs(retry_on))
        return retrying(lambda: self._attempt(model, method, path, trace_id=new_trace_id(), **kwargs))

    def _attempt(
        self,
        model: type[ResponseT],
        method: str,
        path: str,
        *,
        trace_id: str,
        upload: Upload | None = None,
        **kwargs: Any,
    ) -> ResponseT:
        """One HTTP exchange: fresh headers, library errors turned into ``PixVerseConnectionError``."""
        settings = self.settings
        headers = request_headers(settings.api_key, trace_id)
        self.log.debug("PixVerse %s %s Ai-trace-id=%s", method, path, trace_id)
        url = settings.base_url + path
        try:
            if upload is None:
                response = self.session.request(method, url, headers=headers, timeout=settings.timeout, **kwargs)
            else:
                with upload.open() as body:
                    headers["Content-Type"] = body.content_type
                    response = self.session.request(
                        method, url, headers=headers, data=body, timeout=settings.timeout, **kwargs
                    )
        except requests.RequestException as exc:
            raise _connection_error(exc, settings.base_url, trace_id=trace_id, path=path) from None
        return read_http(model, response, trace_id=trace_id, path=path, base_url=settings.base_url)


def _parsed(model: type[RequestT], values: Mapping[str, Any], what: str) -> RequestT:
    """``values`` (``None`` meaning unset) as ``model``; a request PixVerse would refuse fails before sending."""
    try:
        return parse_request(model, {k: v for k, v in values.items() if v is not None})
    except RequestValidationError as exc:
        raise PixVerseInvalidRequestError(what, exc.problems) from None


def _connection_error(exc: requests.RequestException, base_url: str, *, trace_id: str, path: str) -> PixVerseError:
    """requests' failure in words; ``request_sent`` is False only when the connection itself was never made."""
    problem = connection_problem(
        exc,
        connect_timeout=isinstance(exc, requests.ConnectTimeout),
        read_timeout=isinstance(exc, requests.ReadTimeout),
    )
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    never_sent = isinstance(exc, requests.ConnectTimeout) or isinstance(reason, NewConnectionError)
    message = connection_failure(problem, base_url, exc)
    return PixVerseConnectionError(message, trace_id=trace_id, path=path, request_sent=not never_sent)
