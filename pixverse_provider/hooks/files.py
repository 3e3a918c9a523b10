"""Where uploads come from and downloads go: local paths, file objects and ``ObjectStoragePath``.

Both directions stream in chunks; neither ever holds a whole file in memory.
"""

from __future__ import annotations

import contextlib
import mimetypes
import os
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Union

from pixverse_provider.hooks.multipart import StreamingMultipart, file_size

FileSource = Union[str, "os.PathLike[str]", IO[bytes], Any]
"""A local path, an http(s) URL (PixVerse fetches it), a binary file object, or an ``ObjectStoragePath``."""

VIDEO_FILE_TEMPLATE = "pixverse_{video_id}.mp4"


def is_url(source: object) -> bool:
    return isinstance(source, str) and source.startswith(("http://", "https://"))


@dataclass(frozen=True)
class Upload:
    """One file to send as a multipart part; ``open`` can be called again for a retry."""

    source: FileSource
    file_field: str

    @property
    def reopenable(self) -> bool:
        """Paths can be opened again; a file object only if it can seek back to where it started."""
        return not hasattr(self.source, "read") or bool(getattr(self.source, "seekable", lambda: False)())

    @contextlib.contextmanager
    def open(self) -> Iterator[StreamingMultipart]:
        name = _name(self.source)
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        with _opened(self.source) as fileobj:
            yield StreamingMultipart({}, self.file_field, name, fileobj, file_size(fileobj), content_type)


@contextlib.contextmanager
def _opened(source: Any) -> Iterator[IO[bytes]]:
    if hasattr(source, "read"):
        start = source.tell() if source.seekable() else 0
        try:
            yield source
        finally:
            if source.seekable():
                source.seek(start)
        return
    path = Path(source) if isinstance(source, str) else source
    with path.open("rb") as fileobj:
        yield fileobj


def _name(source: FileSource) -> str:
    if hasattr(source, "read"):
        return os.path.basename(str(getattr(source, "name", "") or "upload.bin"))
    return os.path.basename(str(getattr(source, "name", None) or source))


def video_target(destination: Any, video_id: int, conn_id: str | None = None) -> Any:
    """The file a video lands in: ``destination`` itself, or ``pixverse_<id>.mp4`` inside it when it is a folder.

    ``destination`` is a ``Path``, an ``ObjectStoragePath``, or text: a local path, a ``file://`` URI, or an
    object-store URI (``s3://bucket/videos/``, read with the connection ``conn_id``). One ending in "/" or
    naming an existing folder counts as a folder. The name never comes from the remote URL, so PixVerse
    cannot choose where a file is written.
    """
    text = str(destination)
    folder = text.endswith("/")
    if isinstance(destination, str):
        if "://" in text and not text.startswith("file://"):
            from airflow.sdk import ObjectStoragePath

            destination = ObjectStoragePath(text.rstrip("/") if folder else text, conn_id=conn_id)
        else:
            destination = Path(text.removeprefix("file://"))
    if folder or (hasattr(destination, "is_dir") and destination.is_dir()):
        return destination / VIDEO_FILE_TEMPLATE.format(video_id=video_id)
    return destination


def write_stream(chunks: Iterable[bytes], target: Any) -> int:
    """Write ``chunks`` to ``target`` (a Path or ObjectStoragePath); returns the byte count.

    A local file is written under a temporary name and renamed at the end, so a reader never sees half a
    video; a failed write leaves nothing behind.
    """
    if isinstance(target, Path):
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")
        try:
            written = _copy(chunks, partial)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        return written
    parent = getattr(target, "parent", None)
    if parent is not None and hasattr(parent, "mkdir"):
        with contextlib.suppress(Exception):  # object stores have no folders to make
            parent.mkdir(parents=True, exist_ok=True)
    try:
        return _copy(chunks, target)
    except BaseException:
        with contextlib.suppress(Exception):
            target.unlink()
        raise


def _copy(chunks: Iterable[bytes], target: Any) -> int:
    written = 0
    with target.open("wb") as out:
        for chunk in chunks:
            out.write(chunk)
            written += len(chunk)
    return written
