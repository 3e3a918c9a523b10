"""Receiving upload bodies: multipart (or url-encoded) forms streamed to disk, and ``*_url`` downloads.

Files are written to the media directory chunk by chunk as they arrive; only the first 64 KiB stay in
memory (enough for the header probes), and nothing past the size limit is written, although the rest of
the body is still read so the client gets an answer instead of a reset connection.

``image_url``/``file_url`` are fetched only from loopback hosts (127.0.0.0/8, ``localhost``, ``::1``): the
emulator is for offline use and must never reach the internet; any other host is refused before
connecting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast
from urllib.parse import parse_qsl, urlsplit

import httpx
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from pixverse_provider.api import errors
from pixverse_provider.api.loopback import is_loopback_url
from pixverse_provider.emulator.answers import ApiError

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

HEAD_BYTES = 64 * 1024
FIELD_MAX_BYTES = 64 * 1024
FETCH_TIMEOUT_SECONDS = 10.0

NewPath = Callable[[], Path]


class _Sink:
    """Writes a stream to a file up to ``limit`` bytes, counts every byte, keeps the first ``HEAD_BYTES``."""

    def __init__(self, out: IO[bytes], limit: int) -> None:
        self.out = out
        self.limit = limit
        self.size = 0
        self.head = bytearray()

    def write(self, data: bytes) -> None:
        if len(self.head) < HEAD_BYTES:
            self.head += data[: HEAD_BYTES - len(self.head)]
        room = self.limit - self.size
        if room > 0:
            self.out.write(data[:room])
        self.size += len(data)


@dataclass
class Received:
    """A received file: ``size`` counts every byte sent, even past the limit (those were not kept)."""

    path: Path
    size: int
    head: bytes
    filename: str | None = None
    content_type: str | None = None

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


@dataclass
class Form:
    """The parts of an upload form: text fields, accepted file parts, and every part name (for the log)."""

    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, Received] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)

    def discard(self) -> None:
        for received in self.files.values():
            received.discard()


class _Collector:
    """python-multipart callbacks that route each part to a file (accepted file fields) or to memory."""

    def __init__(self, new_path: NewPath, accept: frozenset[str], limit: int) -> None:
        self.form = Form()
        self._new_path = new_path
        self._accept = accept
        self._limit = limit
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._headers: dict[bytes, bytes] = {}
        self._name = ""
        self._text: bytearray | None = None
        self._sink: _Sink | None = None
        self._file: IO[bytes] | None = None
        self.problem: ApiError | None = None

    def on_part_begin(self) -> None:
        self._headers = {}

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[bytes(self._header_name).lower()] = bytes(self._header_value)
        self._header_name.clear()
        self._header_value.clear()

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        self.form.names.append(self._name)
        self._text, self._sink = None, None
        if b"filename" not in options:
            self._text = bytearray()
        elif self._name in self._accept and self._name not in self.form.files:
            path = self._new_path()
            self._file = path.open("wb")
            self._sink = _Sink(self._file, self._limit)
            content_type = self._headers.get(b"content-type")
            self.form.files[self._name] = Received(
                path,
                0,
                b"",
                filename=options[b"filename"].decode("utf-8", "replace"),
                content_type=content_type.decode("latin-1") if content_type else None,
            )
        # any other file part is read and dropped

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._sink is not None:
            self._sink.write(data[start:end])
        elif self._text is not None:
            self._text += data[start:end]
            if len(self._text) > FIELD_MAX_BYTES and self.problem is None:
                self.problem = ApiError(errors.INVALID_PARAMETER, f"form field {self._name!r} is too long")

    def on_part_end(self) -> None:
        if self._sink is not None and self._file is not None:
            self._file.close()
            received = self.form.files[self._name]
            received.size, received.head = self._sink.size, bytes(self._sink.head)
            self._file, self._sink = None, None
        elif self._text is not None:
            self.form.fields.setdefault(self._name, self._text.decode("utf-8", "replace"))
            self._text = None

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


async def read_form(request: Request, new_path: NewPath, accept_files: frozenset[str], limit: int) -> Form:
    """Stream a ``multipart/form-data`` (or url-encoded) body; file parts named in ``accept_files`` go to disk."""
    mime, options = parse_options_header(request.headers.get("content-type"))
    if mime == b"application/x-www-form-urlencoded":
        body = await _read_capped(request, FIELD_MAX_BYTES)
        form = Form()
        for name, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
            form.names.append(name)
            form.fields.setdefault(name, value)
        return form
    boundary = options.get(b"boundary")
    if mime != b"multipart/form-data" or not boundary:
        async for _ in request.stream():
            pass
        raise ApiError(errors.BINDING_ERROR, "invalid binding request: expected a multipart/form-data body")
    collector = _Collector(new_path, accept_files, limit)
    parser = MultipartParser(boundary, callbacks=_callbacks(collector))
    try:
        async for chunk in request.stream():
            if collector.problem is None:
                parser.write(chunk)
        parser.finalize()
    except FormParserError:
        collector.problem = collector.problem or ApiError(errors.BINDING_ERROR, "malformed multipart body")
    finally:
        collector.close()
    if collector.problem is not None:
        collector.form.discard()
        raise collector.problem
    return collector.form


def _callbacks(collector: _Collector) -> MultipartCallbacks:
    names = (
        "on_part_begin",
        "on_part_data",
        "on_part_end",
        "on_header_field",
        "on_header_value",
        "on_header_end",
        "on_headers_finished",
    )
    return cast("MultipartCallbacks", {name: getattr(collector, name) for name in names})


async def _read_capped(request: Request, limit: int) -> bytes:
    """Read the whole body, keeping at most ``limit`` bytes (a longer url-encoded form is refused)."""
    kept = bytearray()
    async for chunk in request.stream():
        kept += chunk[: max(0, limit + 1 - len(kept))]
    if len(kept) > limit:
        raise ApiError(errors.INVALID_PARAMETER, "form body is too long")
    return bytes(kept)


async def fetch(url: str, new_path: NewPath, limit: int, refused: ApiError) -> Received:
    """Download ``url`` to a new file (at most ``limit`` bytes kept); ``refused`` is raised for a
    non-loopback URL (before any connection), a non-200 answer, a redirect or a network error."""
    if not is_loopback_url(url):
        raise refused
    path = new_path()
    try:
        client = httpx.AsyncClient(trust_env=False, follow_redirects=False, timeout=FETCH_TIMEOUT_SECONDS)
        async with client, client.stream("GET", url) as response:
            if response.status_code != 200:
                raise ApiError(refused.code, f"{refused.message}: the URL answered HTTP {response.status_code}")
            with path.open("wb") as out:
                sink = _Sink(out, limit)
                async for chunk in response.aiter_bytes():
                    sink.write(chunk)
                    if sink.size > limit:
                        break
            content_type = response.headers.get("content-type")
    except httpx.HTTPError as exc:
        path.unlink(missing_ok=True)
        raise ApiError(refused.code, f"{refused.message}: {type(exc).__name__}") from None
    except ApiError:
        path.unlink(missing_ok=True)
        raise
    name = urlsplit(url).path.rsplit("/", 1)[-1] or None
    return Received(path, sink.size, bytes(sink.head), filename=name, content_type=content_type)
