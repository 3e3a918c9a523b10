"""The view's FastAPI app, mounted by Airflow's api-server at ``/pixverse``: two pages, their JSON, and the file
stream. Every route depends on ``access.viewer``; every answer carries a Content-Security-Policy that allows
only this app's own script and style (no CDN, no inline code), so a prompt can never run as code.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response

from pixverse_provider.ui import access, streaming
from pixverse_provider.ui.credits import BALANCES, credits_by_day
from pixverse_provider.ui.details import describe, rendered_fields
from pixverse_provider.ui.records import STATUSES, TaskRef, load_entries, operator_modes

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

STATIC = Path(__file__).parent / "static"
PAGE_SIZE = 50
PAGES = {"index.html", "task.html"}
ASSETS = {"view.js": "text/javascript", "view.css": "text/css", "pixverse.svg": "image/svg+xml"}
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "media-src 'self' https: http:",  # PixVerse's result URLs (and an emulator's, on loopback)
        "connect-src 'self'",
        "frame-ancestors 'self'",
        "base-uri 'none'",
        "form-action 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
Viewer = Annotated[Any, Depends(access.viewer)]
"""The signed-in user (an auth manager's ``BaseUser``; typed ``Any`` so FastAPI needs no import to read it)."""


def ui_conn_id() -> str:
    """The connection whose balance the credits panel shows: ``[pixverse] ui_conn_id``."""
    from pixverse_provider._compat import conf
    from pixverse_provider.hooks.settings import DEFAULT_CONN_ID

    return str(conf.get("pixverse", "ui_conn_id", fallback=DEFAULT_CONN_ID))


def map_index_of(value: str | None) -> int:
    """The tab's ``{MAP_INDEX}``: Airflow leaves the placeholder as it is for a task that is not mapped."""
    try:
        return int(value or -1)
    except ValueError:
        return -1


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        from fastapi import HTTPException

        raise HTTPException(422, f"{name} must be a date like 2026-01-31") from None


def create_app() -> FastAPI:
    app = FastAPI(title="PixVerse view", docs_url=None, redoc_url=None, openapi_url=None)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.get("/", include_in_schema=False)
    def index(user: Viewer) -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/task", include_in_schema=False)
    def task_page(user: Viewer) -> FileResponse:
        return FileResponse(STATIC / "task.html", media_type="text/html")

    @app.get("/static/{name}", include_in_schema=False)
    def asset(name: str, user: Viewer) -> FileResponse:
        if name not in ASSETS:
            raise streaming.not_found("no such file")
        return FileResponse(STATIC / name, media_type=ASSETS[name])

    @app.get("/api/videos")
    def videos(
        user: Viewer,
        dag_id: str | None = None,
        status: str | None = None,
        mode: str | None = None,
        start: str | None = None,
        end: str | None = None,
        page: Annotated[int, Query(ge=1)] = 1,
    ) -> dict[str, Any]:
        from airflow.utils.session import create_session

        readable = access.readable_dag_ids(user)
        first, last = _day(start, "start"), _day(end, "end")
        since = datetime.combine(first, time.min, tzinfo=timezone.utc) if first else None
        until = datetime.combine(last + timedelta(days=1), time.min, tzinfo=timezone.utc) if last else None
        scope = readable & {dag_id} if dag_id else readable
        with create_session() as session:
            entries = load_entries(session, scope, since=since)
            chosen = [
                e
                for e in entries
                if (not status or e.status == status)
                and (not mode or e.mode == mode)
                and (until is None or e.created < until)
            ]
            shown = chosen[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
            return {
                "videos": describe(session, shown),
                "total": len(chosen),
                "page": page,
                "pages": max(math.ceil(len(chosen) / PAGE_SIZE), 1),
                "page_size": PAGE_SIZE,
                "dag_ids": sorted(readable),
                "modes": sorted({*operator_modes().values()}),
                "statuses": list(STATUSES),
            }

    @app.get("/api/task-video")
    def task_video(user: Viewer, dag_id: str, run_id: str, task_id: str, map_index: str | None = None) -> Any:
        from airflow.utils.session import create_session

        access.require_readable(user, dag_id)
        ref = TaskRef(dag_id, run_id, task_id, map_index_of(map_index))
        with create_session() as session:
            entries = [e for e in load_entries(session, {dag_id}, run_id=run_id) if ref in e.tasks()]
            if not entries:
                return JSONResponse({"detail": "no PixVerse video recorded for this task"}, status_code=404)
            return describe(session, entries[:1])[0]

    @app.get("/api/reason")
    def reason(user: Viewer, dag_id: str, run_id: str, task_id: str, map_index: str | None = None) -> Any:
        """Why a video failed, from the log of the task that waited for it (asked for one failed video)."""
        from airflow.utils.session import create_session

        from pixverse_provider.ui.reasons import failure_reason

        access.require_readable(user, dag_id)
        with create_session() as session:
            found = failure_reason(session, TaskRef(dag_id, run_id, task_id, map_index_of(map_index)))
        if found is None:
            return JSONResponse({"detail": "the task log names no PixVerse video error"}, status_code=404)
        return found

    @app.get("/api/credits")
    def credits(user: Viewer) -> dict[str, Any]:
        from airflow.utils.session import create_session

        with create_session() as session:
            chart = credits_by_day(session, access.readable_dag_ids(user))
        return {**chart, "balance": BALANCES.get(ui_conn_id())}

    @app.get("/api/file")
    def landed_file(
        request: Request, user: Viewer, dag_id: str, run_id: str, task_id: str, map_index: str | None = None
    ) -> Response:
        from airflow.utils.session import create_session

        access.require_readable(user, dag_id)
        ref = TaskRef(dag_id, run_id, task_id, map_index_of(map_index))
        with create_session() as session:
            recorded = _recorded_landing(session, ref)
        if recorded is None:
            raise streaming.not_found("no landed video recorded for this task")
        uri, conn_id = recorded
        return streaming.stream(streaming.landed_file(uri, conn_id), request.headers.get("range"))

    return app


def _recorded_landing(session: Any, ref: TaskRef) -> tuple[str, str | None] | None:
    """The ``video_path`` a PixVerse task of ``ref`` recorded, and the ``output_conn_id`` it landed with."""
    from pixverse_provider.after_submit.delivery import XCOM_VIDEO_PATH
    from pixverse_provider.ui.details import recorded_xcoms

    for entry in load_entries(session, {ref.dag_id}, run_id=ref.run_id):
        if ref in entry.tasks():
            uri = recorded_xcoms(session, {ref}).get(ref, {}).get(XCOM_VIDEO_PATH)
            if not isinstance(uri, str):
                return None
            conn_id = rendered_fields(session, {ref}).get(ref, {}).get("output_conn_id")
            return uri, conn_id if isinstance(conn_id, str) else None
    return None
