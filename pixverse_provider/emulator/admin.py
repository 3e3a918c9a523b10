"""The emulator's own endpoints (not PixVerse): the admin API and the media "CDN".

Admin (no API key, plain HTTP status codes, never counted nor faulted):

- ``GET /_emulator/health`` → ``{"status": "ok"}``
- ``GET /_emulator/counters`` → ``EmulatorState.counters()``
- ``GET /_emulator/requests?path=<path or glob>`` → ``{"requests": [log entries, oldest first]}``
- ``GET /_emulator/faults`` → ``{"faults": [pending faults with "remaining"]}``
- ``POST /_emulator/faults`` ``{"path", "kind", "count"?, "method"?, "status"?, "retry_after"?, "delay"?,
  "err_code"?}`` → ``{"fault": {...}, "faults_pending": n}`` (see ``faults.Fault``)
- ``DELETE /_emulator/faults`` → ``{"cleared": n}``
- ``POST /_emulator/clock/advance`` ``{"seconds": s}`` → ``{"offset": total seconds}``
- ``POST /_emulator/reset`` → ``{"status": "reset"}``
- ``GET /_emulator/config`` / ``PATCH /_emulator/config`` ``{"generation_seconds"?, "concurrency"?, "credits"?,
  "credit_monthly"?, "max_image_side"?, "slot_release_seconds"?}`` → the settings (never the API keys)

Bad admin input answers HTTP 400 ``{"error": "..."}``.

Media (no API key, like a CDN; counted and faultable like API requests): finished videos
``/_emulator/media/video/{id}.mp4``, image-template results ``/_emulator/media/image/{id}.png``, uploads
``/_emulator/media/uploads/{id}.{ext}``, template previews ``/_emulator/media/preview/{id}.mp4`` and
keyframe/mask stills ``/_emulator/media/still/{name}.png``. Unknown or unfinished items answer 404.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, Response

from pixverse_provider.emulator import catalog, synthetic, videos
from pixverse_provider.emulator.faults import Fault
from pixverse_provider.emulator.records import Job
from pixverse_provider.emulator.state import EmulatorState

CONTENT_TYPES = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "mp4": "video/mp4",
    "mov": "video/quicktime",
    "webm": "video/webm",
    "mp3": "audio/mpeg",
    "wav": "audio/wav",
    "m4a": "audio/mp4",
    "aac": "audio/aac",
}
STILL_SIZE = (320, 180)
MEDIA_METHODS = ["GET", "HEAD"]


@functools.lru_cache(maxsize=16)
def _png(width: int, height: int) -> bytes:
    return synthetic.make_png(width, height)


def _not_found() -> Response:
    return PlainTextResponse("not found\n", status_code=404)


def _bad(message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=400)


def _id(name: str, suffix: str) -> int | None:
    stem = name[: -len(suffix)] if name.endswith(suffix) else ""
    return int(stem) if stem.isdigit() else None


async def _json(request: Request) -> Any:
    body = await request.body()
    if not body.strip():
        return {}
    try:
        return json.loads(body)
    except ValueError:
        raise ValueError("the body is not valid JSON") from None


BodyAction = Callable[[Any], Any]
"""Takes a request's JSON body, returns the JSON answer; raises TypeError or ValueError for a bad body."""


def _body_route(action: BodyAction) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint answering ``action(JSON body)``, or HTTP 400 ``{"error": ...}`` naming what is wrong."""

    async def endpoint(request: Request) -> Response:
        try:
            return JSONResponse(action(await _json(request)))
        except (TypeError, ValueError) as exc:
            return _bad(str(exc))

    return endpoint


def _body_actions(state: EmulatorState) -> list[tuple[str, str, BodyAction]]:
    """(method, path, action) of the admin endpoints that take a JSON body."""

    def add_fault(body: Any) -> dict[str, Any]:
        fault = Fault.from_json(body)
        state.add_fault(fault)
        return {"fault": fault.to_json(), "faults_pending": state.counters()["faults_pending"]}

    def advance(body: Any) -> dict[str, float]:
        if not isinstance(body, dict) or "seconds" not in body:
            raise ValueError('the body must be {"seconds": <number>}')
        return {"offset": state.advance(body["seconds"])}

    def change_config(body: Any) -> dict[str, object]:
        if not isinstance(body, dict):
            raise ValueError("the body must be a JSON object")
        return state.update_config(**body).public()

    return [
        ("POST", "/_emulator/faults", add_fault),
        ("POST", "/_emulator/clock/advance", advance),
        ("PATCH", "/_emulator/config", change_config),
    ]


def _job_file(
    state: EmulatorState, kind: str, suffix: str, media_type: str, content: Callable[[Job], bytes]
) -> Callable[[str], Awaitable[Response]]:
    """An endpoint serving ``content(job)`` for ``<job id><suffix>`` once that ``kind`` job succeeded, else 404."""

    async def job_file(name: str) -> Response:
        job_id = _id(name, suffix)
        job = state.finished(kind, job_id) if job_id is not None else None
        if job is None:
            return _not_found()
        return Response(content(job), media_type=media_type)

    return job_file


def admin_router(state: EmulatorState) -> APIRouter:
    """Routes of the admin API and the media files, bound to ``state``."""
    router = APIRouter(include_in_schema=False)

    @router.get("/_emulator/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/_emulator/counters")
    async def counters() -> dict[str, Any]:
        return state.counters()

    @router.get("/_emulator/requests")
    async def requests_log(path: str | None = None) -> dict[str, Any]:
        return {"requests": state.request_log(path)}

    @router.get("/_emulator/faults")
    async def list_faults() -> dict[str, Any]:
        return {"faults": state.pending_faults()}

    @router.delete("/_emulator/faults")
    async def clear_faults() -> dict[str, int]:
        return {"cleared": state.clear_faults()}

    @router.post("/_emulator/reset")
    async def reset() -> dict[str, str]:
        state.reset()
        return {"status": "reset"}

    @router.get("/_emulator/config")
    async def get_config() -> dict[str, object]:
        return state.config.public()

    for method, path, action in _body_actions(state):
        router.add_api_route(path, _body_route(action), methods=[method])

    job_files: list[tuple[str, str, str, Callable[[Job], bytes]]] = [
        ("video", ".mp4", "video/mp4", videos.job_video),
        ("image", ".png", "image/png", lambda job: _png(job.width, job.height)),
    ]
    for kind, suffix, media_type, content in job_files:
        route = _job_file(state, kind, suffix, media_type, content)
        router.add_api_route(f"/_emulator/media/{kind}/{{name}}", route, methods=MEDIA_METHODS)

    @router.api_route("/_emulator/media/uploads/{name}", methods=MEDIA_METHODS)
    async def uploaded_file(name: str) -> Response:
        stem = name.partition(".")[0]
        upload = state.upload(int(stem)) if stem.isdigit() else None
        if upload is None or upload.filename != name or not upload.path.exists():
            return _not_found()
        return FileResponse(upload.path, media_type=CONTENT_TYPES.get(upload.format, "application/octet-stream"))

    @router.api_route("/_emulator/media/preview/{name}", methods=MEDIA_METHODS)
    async def template_preview(name: str) -> Response:
        template_id = _id(name, ".mp4")
        if template_id not in catalog.TEMPLATES_BY_ID:
            return _not_found()
        return Response(synthetic.sample_mp4(), media_type="video/mp4")

    @router.api_route("/_emulator/media/still/{name}", methods=MEDIA_METHODS)
    async def still(name: str) -> Response:
        if not name.endswith(".png"):
            return _not_found()
        return Response(_png(*STILL_SIZE), media_type="image/png")

    return router
