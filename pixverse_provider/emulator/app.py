"""The PixVerse API over HTTP: every endpoint of docs/api-facts.rst, 'Endpoints', plus the emulator's admin API.

Each PixVerse call is checked in the real server's order: fault injection (middleware) → ``API-KEY`` →
``Ai-trace-id`` → JSON binding (400013) → the request model's rules (``parse_request(strict=True)``) →
the state's resource, replay, credit and concurrency checks. Every answer is HTTP 200 with the
``{ErrCode, ErrMsg, Resp}`` envelope; the API key is never logged nor echoed.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from pixverse_provider.api import errors, uploads
from pixverse_provider.api import request_models as rq
from pixverse_provider.api.endpoints import Endpoint
from pixverse_provider.api.enums import TemplateType
from pixverse_provider.api.validation import RequestValidationError, parse_request
from pixverse_provider.emulator import catalog, intake, upload_rules
from pixverse_provider.emulator.admin import admin_router
from pixverse_provider.emulator.answers import ApiError, envelope, error_envelope
from pixverse_provider.emulator.config import EmulatorConfig
from pixverse_provider.emulator.middleware import FaultMiddleware, drain
from pixverse_provider.emulator.probe import ImageInfo, MediaInfo
from pixverse_provider.emulator.records import StoredUpload
from pixverse_provider.emulator.state import EmulatorState

JSON_BODY_MAX_BYTES = 1024 * 1024
RequestT = TypeVar("RequestT", bound=rq.PixVerseRequest)
Handler = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class Caller:
    """Who is calling (the key's account), with which trace id, and the base URL media links use."""

    account_id: int
    trace_id: str
    base_url: str


def create_app(config: EmulatorConfig, state: EmulatorState | None = None) -> FastAPI:
    """A FastAPI app that answers like PixVerse; ``state`` defaults to a fresh ``EmulatorState(config)``."""
    state = state or EmulatorState(config)
    app = FastAPI(
        title="PixVerse API emulator",
        docs_url="/_emulator/docs",
        openapi_url="/_emulator/openapi.json",
        redoc_url=None,
    )
    app.state.emulator = state
    app.add_middleware(FaultMiddleware, state=state)
    app.add_exception_handler(ApiError, _api_error_handler)  # type: ignore[arg-type]
    api = _PixVerseApi(state)
    for mode, model in rq.GENERATION_REQUESTS.items():
        app.add_api_route(model.endpoint.value, api.generation(model), methods=["POST"], name=mode.value)
    routes: list[tuple[Endpoint, str, Handler]] = [
        (Endpoint.BALANCE, "GET", api.balance),
        (Endpoint.UPLOAD_IMAGE, "POST", api.upload_image),
        (Endpoint.UPLOAD_MEDIA, "POST", api.upload_media),
        (Endpoint.TTS_SPEAKERS, "GET", api.tts_speakers),
        (Endpoint.TEMPLATES, "GET", api.templates),
        (Endpoint.RESTYLE_LIST, "GET", api.restyles),
        (Endpoint.MASK_SELECTION, "POST", api.mask_selection),
        (Endpoint.IMAGE_TEMPLATE, "POST", api.image_template),
        (Endpoint.IMAGE_RESULT, "GET", api.image_result),
        (Endpoint.VIDEO_RESULT, "GET", api.video_result),
    ]
    for endpoint, method, handler in routes:
        app.add_api_route(endpoint.value, handler, methods=[method], name=endpoint.name.lower())
    app.include_router(admin_router(state))
    return app


class _PixVerseApi:
    """The PixVerse endpoint handlers, bound to one state."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state

    # ---------------------------------------------------------------- plumbing shared by every endpoint

    def caller(self, request: Request) -> Caller:
        """Check ``API-KEY`` then ``Ai-trace-id``."""
        account_id = self.state.authenticate(request.headers.get("api-key"))
        trace_id = (request.headers.get("ai-trace-id") or "").strip()
        if not trace_id:
            raise ApiError(errors.REQUIRED_PARAMETER_EMPTY, "the Ai-trace-id header is required")
        return Caller(account_id, trace_id, str(request.base_url).rstrip("/"))

    async def json_object(self, request: Request, *, optional: bool = False) -> dict[str, Any]:
        """The body as a JSON object, or 400013; with ``optional`` an empty body is ``{}``."""
        body = bytearray()
        async for chunk in request.stream():
            if len(body) <= JSON_BODY_MAX_BYTES:
                body += chunk
        if optional and not body.strip():
            return {}
        if len(body) > JSON_BODY_MAX_BYTES:
            raise ApiError(errors.BINDING_ERROR, "invalid binding request: the body is too large")
        try:
            data = json.loads(body)
        except ValueError:
            raise ApiError(errors.BINDING_ERROR, "invalid binding request: the body is not valid JSON") from None
        if not isinstance(data, dict):
            raise ApiError(errors.BINDING_ERROR, "invalid binding request: the body must be a JSON object")
        _annotate(request, body=data)
        return data

    def generation(self, model: type[rq.PixVerseRequest]) -> Handler:
        """One handler for all 12 generation modes, told apart by their request model."""

        async def generate(request: Request) -> Response:
            caller = self.caller(request)
            parsed = _parse(model, await self.json_object(request))
            return _ok(request, self.state.submit(caller.account_id, caller.trace_id, parsed))

        generate.__name__ = f"generate_{model.__name__}"
        return generate

    # ---------------------------------------------------------------- account, lists, results

    async def balance(self, request: Request) -> Response:
        caller = self.caller(request)
        return _ok(request, self.state.balance(caller.account_id))

    async def tts_speakers(self, request: Request) -> Response:
        self.caller(request)
        query = _parse(rq.TtsSpeakerQuery, dict(request.query_params), query=True)
        items = catalog.page(catalog.SPEAKERS, query.page_num, query.page_size)
        return _ok(request, {"total": len(catalog.SPEAKERS), "data": [s.to_json() for s in items]})  # type: ignore[attr-defined]

    async def templates(self, request: Request) -> Response:
        caller = self.caller(request)
        query = _parse(rq.TemplateListQuery, dict(request.query_params), query=True)
        wanted = None if query.type is None else TemplateType(query.type)
        chosen = tuple(t for t in catalog.TEMPLATES if wanted is None or t.template_type == wanted)
        items = catalog.page(chosen, query.page, query.page_size)
        return _ok(
            request,
            {"effect_items": [t.to_json(caller.base_url) for t in items], "total": len(chosen)},  # type: ignore[attr-defined]
        )

    async def restyles(self, request: Request) -> Response:
        """The spec sends paging as a JSON body on this GET, clients as query parameters: both work (query wins)."""
        self.caller(request)
        body = await self.json_object(request, optional=True)
        query = _parse(rq.RestyleListQuery, {**body, **request.query_params}, query=True)
        items = catalog.page(catalog.RESTYLES, query.page_num, query.page_size)
        return _ok(request, {"total": len(catalog.RESTYLES), "data": [r.to_json() for r in items]})  # type: ignore[attr-defined]

    async def video_result(self, request: Request) -> Response:
        caller = self.caller(request)
        video_id = _path_id(request.path_params["video_id"])
        return _ok(request, self.state.video_record(caller.account_id, video_id, caller.base_url))

    async def image_result(self, request: Request) -> Response:
        caller = self.caller(request)
        image_id = _path_id(request.path_params["image_id"])
        return _ok(request, self.state.image_record(caller.account_id, image_id, caller.base_url))

    # ---------------------------------------------------------------- other POSTs

    async def mask_selection(self, request: Request) -> Response:
        caller = self.caller(request)
        parsed = _parse(rq.MaskSelectionRequest, await self.json_object(request))
        return _ok(request, self.state.select_masks(caller.account_id, caller.trace_id, parsed, caller.base_url))

    async def image_template(self, request: Request) -> Response:
        caller = self.caller(request)
        parsed = _parse(rq.ImageTemplateRequest, await self.json_object(request))
        return _ok(request, self.state.submit_image_template(caller.account_id, caller.trace_id, parsed))

    # ---------------------------------------------------------------- uploads

    async def upload_image(self, request: Request) -> Response:
        """``image`` file xor ``image_url``; judged by content (see ``upload_rules.check_image``)."""
        caller = self.caller(request)
        refused = ApiError(errors.IMAGE_BAD_PATH, "invalid image path")
        received, from_url = await self._received(request, "image", "image_url", uploads.IMAGE_MAX_BYTES, refused)

        def check() -> ImageInfo:
            if from_url and upload_rules.is_octet_stream(received.content_type):
                raise ApiError(errors.IMAGE_BAD_FORMAT, "invalid image format: application/octet-stream is refused")
            return upload_rules.check_image(received, self.state.config.max_image_side)

        upload, url = self._keep(caller, received, check)
        return _ok(request, {"img_id": upload.upload_id, "img_url": url})

    async def upload_media(self, request: Request) -> Response:
        """``file`` xor ``file_url``; video or audio by content (see ``upload_rules.check_media``)."""
        caller = self.caller(request)
        refused = ApiError(errors.INVALID_PARAMETER, "invalid file path")
        received, _ = await self._received(request, "file", "file_url", uploads.MEDIA_MAX_BYTES, refused)
        upload, url = self._keep(caller, received, lambda: upload_rules.check_media(received))
        return _ok(request, {"media_id": upload.upload_id, "media_type": upload.kind, "url": url})

    def _keep(
        self, caller: Caller, received: intake.Received, check: Callable[[], ImageInfo | MediaInfo]
    ) -> tuple[StoredUpload, str]:
        """Judge the received file with ``check`` and keep it; returns the upload and its URL.

        The received file is removed if it is refused (or anything else goes wrong).
        """
        try:
            info = check()
            kind, duration = ("image", None) if isinstance(info, ImageInfo) else (info.kind, info.duration_seconds)
            upload = self.state.add_upload(
                caller.account_id,
                kind,
                info.format,
                received.path,
                received.size,
                width=info.width,
                height=info.height,
                duration=duration,
            )
        except BaseException:
            received.discard()
            raise
        return upload, f"{caller.base_url}/_emulator/media/uploads/{upload.filename}"

    async def _received(
        self, request: Request, file_field: str, url_field: str, limit: int, refused: ApiError
    ) -> tuple[intake.Received, bool]:
        """Read the form and take exactly one of the file part and the URL field (fetched from loopback);
        also says whether the file came from the URL."""
        form = await intake.read_form(request, self.state.incoming_path, frozenset({file_field}), limit)
        _annotate(request, form_fields=form.names)
        received = form.files.get(file_field)
        url = form.fields.get(url_field, "").strip()
        if received is not None and url:
            form.discard()
            raise ApiError(errors.INVALID_PARAMETER, f"give either {file_field} or {url_field}, not both")
        if received is not None:
            return received, False
        if not url:
            raise ApiError(errors.REQUIRED_PARAMETER_EMPTY, f"{file_field} or {url_field} is required")
        return await intake.fetch(url, self.state.incoming_path, limit, refused), True


# -------------------------------------------------------------------- helpers


def _parse(model: type[RequestT], payload: dict[str, Any], *, query: bool = False) -> RequestT:
    """Bind and validate. ``null`` members count as absent, as in PixVerse's Go server (a required field sent
    as ``null`` is "empty", 400011, not a type error); query strings are text, so their type errors are
    parameter errors (400017)."""
    payload = _without_nulls(payload)
    try:
        return parse_request(model, payload, strict=True)
    except RequestValidationError as exc:
        code = errors.INVALID_PARAMETER if query and exc.code == errors.BINDING_ERROR else exc.code
        raise ApiError(code, str(exc)) from None


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def _path_id(text: str) -> int:
    if not text.isdigit() or len(text) > 19:
        raise ApiError(errors.BINDING_ERROR, f"invalid binding request: id must be an integer, got {text!r}")
    return int(text)


def _annotate(request: Request, **fields: Any) -> None:
    entry = request.scope.get("state", {}).get("log_entry")
    if entry is not None:
        request.app.state.emulator.annotate(entry, **fields)


def _ok(request: Request, resp: Any) -> Response:
    _annotate(request, err_code=errors.SUCCESS)
    return JSONResponse(envelope(resp))


async def _api_error_handler(request: Request, exc: ApiError) -> Response:
    """Answer an ApiError as PixVerse does: HTTP 200 with the error in the envelope."""
    await drain(request.receive, request.scope.setdefault("state", {}))
    _annotate(request, err_code=exc.code)
    return JSONResponse(error_envelope(exc))
