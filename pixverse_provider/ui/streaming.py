"""Stream a landed video to the player, with HTTP Range so it can seek: a local file or any ObjectStoragePath.

The route never takes a path from the request: it names a task instance, and the file is the one that task
recorded as its ``video_path``. Even that recorded URI must look like a landed video (an absolute path, no
``..`` segment, a video file name), so an XCom pushed by hand cannot turn the route into a file server.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from fastapi import HTTPException, status
from fastapi.responses import StreamingResponse

VIDEO_TYPES = {".mp4": "video/mp4", ".m4v": "video/mp4", ".mov": "video/quicktime", ".webm": "video/webm"}
CHUNK = 256 * 1024
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


@dataclass
class LandedFile:
    """A file a recorded video landed at: its size, type and how to open it."""

    size: int
    media_type: str
    open: Callable[[], IO[bytes]]


def not_found(why: str) -> HTTPException:
    return HTTPException(status.HTTP_404_NOT_FOUND, why)


def landed_file(uri: str, conn_id: str | None = None) -> LandedFile:
    """The file behind a recorded ``video_path`` (``file://``, a plain absolute path, or an object store URI)."""
    parts = urlsplit(uri)
    local = parts.scheme in ("", "file")
    raw_path = url2pathname(parts.path) if parts.scheme == "file" else (uri if local else parts.path)
    path = PurePosixPath(raw_path)
    if not path.is_absolute() or ".." in path.parts:
        raise not_found("the recorded path is not an absolute path to a landed video")
    media_type = VIDEO_TYPES.get(path.suffix.lower())
    if media_type is None:
        raise not_found("the recorded path is not a video file")
    if local:
        return _local(Path(raw_path), media_type)
    return _object_store(uri, conn_id, media_type)


def _local(path: Path, media_type: str) -> LandedFile:
    if not path.is_file():
        raise not_found("the landed file is no longer there")
    return LandedFile(path.stat().st_size, media_type, lambda: path.open("rb"))


def _object_store(uri: str, conn_id: str | None, media_type: str) -> LandedFile:
    from airflow.sdk import ObjectStoragePath

    target = ObjectStoragePath(uri, conn_id=conn_id)
    try:
        size = int(target.stat()["size"])
    except (FileNotFoundError, OSError, KeyError) as exc:
        raise not_found(f"the landed file is not readable ({type(exc).__name__})") from None
    opener: Callable[[], Any] = lambda: target.open("rb")  # noqa: E731
    return LandedFile(size, media_type, opener)


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """``(first, last)`` of a ``Range: bytes=...`` header (one range; ``None``: the whole file); 416 when
    it asks for nothing the file has."""
    if not header:
        return None
    match = _RANGE.fullmatch(header.strip())
    if match is None or not any(match.groups()):
        return None  # a form we do not serve (several ranges): the whole file, as RFC 9110 allows
    first, last = match.groups()
    if first == "":
        start, end = max(size - int(last), 0), size - 1
    else:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        # 416 as a number: Starlette renamed its constant, and Airflow 3.1 and 3.3 ship either name
        raise HTTPException(416, "range not satisfiable", {"Content-Range": f"bytes */{size}"})
    return start, end


def _chunks(landed: LandedFile, start: int, length: int) -> Iterator[bytes]:
    with landed.open() as handle:
        handle.seek(start)
        left = length
        while left > 0:
            block = handle.read(min(CHUNK, left))
            if not block:
                return
            left -= len(block)
            yield block


def stream(landed: LandedFile, range_header: str | None) -> StreamingResponse:
    """200 with the whole file, or 206 with the asked range; never more than ``CHUNK`` bytes in memory."""
    wanted = byte_range(range_header, landed.size)
    start, end = wanted or (0, landed.size - 1)
    length = max(end - start + 1, 0)
    headers = {"Accept-Ranges": "bytes", "Content-Length": str(length)}
    if wanted is not None:
        headers["Content-Range"] = f"bytes {start}-{end}/{landed.size}"
    code = status.HTTP_206_PARTIAL_CONTENT if wanted is not None else status.HTTP_200_OK
    return StreamingResponse(_chunks(landed, start, length), code, headers, media_type=landed.media_type)
