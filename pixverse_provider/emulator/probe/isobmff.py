"""Reading ISO-BMFF files (mp4, mov, m4a) by seeking over their boxes: brand, duration, first video size.

Only box headers and a few small boxes are read, never the media data, which may be 50+ MB.
"""

from __future__ import annotations

import io
import struct
from typing import TYPE_CHECKING, BinaryIO

from pixverse_provider.emulator.probe.media_info import MediaInfo, media_info

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["LEGACY_FIRST_BOXES", "iter_boxes", "probe_isobmff"]

LEGACY_FIRST_BOXES = frozenset({b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"})
"""Box types that may open a QuickTime file written without an ``ftyp`` box."""
_SMALL_BOX_BYTES = 512
"""Small boxes (mvhd, tkhd, hdlr, mehd, stsd entries) are read at most this far; nothing else is read."""


def _read_box_header(f: BinaryIO, offset: int, end: int) -> tuple[str, int, int] | None:
    """Read the box header at ``offset``: (type, header size, box size), or None if it is not a box.

    Size 1 means a 64-bit size follows; size 0 means the box runs to ``end``.
    """
    f.seek(offset)
    header = f.read(16)
    if len(header) < 8:
        return None
    box_size, raw_type = struct.unpack(">I4s", header[:8])
    header_size = 8
    if box_size == 1:
        if len(header) < 16:
            return None
        (box_size,) = struct.unpack(">Q", header[8:16])
        header_size = 16
    elif box_size == 0:
        box_size = end - offset
    if box_size < header_size:
        return None
    return raw_type.decode("latin-1"), header_size, box_size


def _walk_boxes(f: BinaryIO, start: int, end: int) -> Iterator[tuple[str, int, int, int]]:
    """Yield (type, offset, header size, size) of the boxes between ``start`` and ``end``, by seeking.

    A box that claims to run past ``end`` (a truncated file) is yielded clipped to ``end``, and ends
    the walk; an invalid header ends it too.
    """
    offset = start
    while offset + 8 <= end:
        header = _read_box_header(f, offset, end)
        if header is None:
            return
        box_type, header_size, box_size = header
        if offset + box_size > end:
            yield box_type, offset, header_size, end - offset
            return
        yield box_type, offset, header_size, box_size
        offset += box_size


def _find_box(f: BinaryIO, start: int, end: int, box_type: str) -> tuple[int, int] | None:
    """Return the (content start, end) of the first ``box_type`` child between ``start`` and ``end``."""
    for found_type, offset, header_size, box_size in _walk_boxes(f, start, end):
        if found_type == box_type:
            return offset + header_size, offset + box_size
    return None


def _read_content(f: BinaryIO, span: tuple[int, int]) -> bytes:
    """Read the start of a small box's content, never more than ``_SMALL_BOX_BYTES``."""
    start, end = span
    f.seek(start)
    return f.read(min(end - start, _SMALL_BOX_BYTES))


def iter_boxes(data: bytes) -> list[tuple[str, int, int]]:
    """List the top-level ISO-BMFF boxes of ``data`` as (type, offset, size).

    Stops at the first invalid header; a last box that claims more than ``data`` holds is listed with
    the size that is actually present.  Tests use it to prove a served MP4 has ``ftyp`` and ``moov``.
    """
    stream = io.BytesIO(data)
    return [(box_type, offset, size) for box_type, offset, _, size in _walk_boxes(stream, 0, len(data))]


def _mvhd_duration(content: bytes) -> float | None:
    """Duration in seconds from an ``mvhd`` (version 0: 32-bit fields, version 1: 64-bit times)."""
    if content[0] == 1:
        timescale, duration = struct.unpack(">IQ", content[20:32])
        unknown = 2**64 - 1
    else:
        timescale, duration = struct.unpack(">II", content[12:20])
        unknown = 2**32 - 1
    if timescale == 0 or duration in (0, unknown):
        return None
    return duration / timescale


def _tkhd_size(content: bytes) -> tuple[int, int]:
    """Width and height (16.16 fixed point, rounded) from a ``tkhd`` of version 0 or 1."""
    offset = 88 if content[0] == 1 else 76
    width, height = struct.unpack(">II", content[offset : offset + 8])
    return round(width / 65536), round(height / 65536)


def _stsd_size(f: BinaryIO, stbl: tuple[int, int]) -> tuple[int, int]:
    """Width and height from the first visual sample entry, for tracks whose ``tkhd`` says 0x0."""
    stsd = _find_box(f, *stbl, "stsd")
    if stsd is None:
        return 0, 0
    content = _read_content(f, stsd)
    # full box header (4) + entry count (4), then the entry: size, format, 6 reserved, data ref index,
    # 16 bytes of pre-defined/reserved, then 16-bit width and height.
    if len(content) < 8 + 36:
        return 0, 0
    width, height = struct.unpack(">HH", content[8 + 32 : 8 + 36])
    return width, height


def _probe_trak(f: BinaryIO, trak: tuple[int, int]) -> tuple[str, int, int]:
    """Return (handler type, width, height) of a ``trak``: handler "vide" for video, "soun" for audio."""
    width = height = 0
    handler = ""
    tkhd = _find_box(f, *trak, "tkhd")
    if tkhd is not None:
        width, height = _tkhd_size(_read_content(f, tkhd))
    mdia = _find_box(f, *trak, "mdia")
    if mdia is not None:
        hdlr = _find_box(f, *mdia, "hdlr")
        if hdlr is not None:
            handler = _read_content(f, hdlr)[8:12].decode("latin-1")
        if handler == "vide" and (width == 0 or height == 0):
            minf = _find_box(f, *mdia, "minf")
            stbl = _find_box(f, *minf, "stbl") if minf is not None else None
            if stbl is not None:
                width, height = _stsd_size(f, stbl)
    return handler, width, height


def probe_isobmff(f: BinaryIO, size: int, audio_hint: bool, *, legacy: bool) -> MediaInfo | None:
    """Read brand, duration and first video track size of an MP4/MOV/M4A by seeking over its boxes.

    A file with ``ftyp`` but no readable ``moov`` (e.g. truncated before it) is still reported, with
    duration and size None.  One without ``ftyp`` (old QuickTime) is reported only if it has a ``moov``
    with an ``mvhd``, so that stray bytes are not taken for a movie.
    """
    brand = b"qt  " if legacy else b""
    moov: tuple[int, int] | None = None
    for box_type, offset, header_size, box_size in _walk_boxes(f, 0, size):
        if box_type == "ftyp" and not legacy:
            f.seek(offset + header_size)
            brand = f.read(4)
        elif box_type == "moov":
            moov = offset + header_size, offset + box_size
            break

    duration: float | None = None
    has_audio = False
    video: tuple[int, int] | None = None
    mvhd_found = False
    if moov is not None:
        for box_type, offset, header_size, box_size in _walk_boxes(f, *moov):
            span = offset + header_size, offset + box_size
            if box_type == "mvhd":
                mvhd_found = True
                duration = _mvhd_duration(_read_content(f, span))
            elif box_type == "trak":
                handler, width, height = _probe_trak(f, span)
                if handler == "vide" and video is None:
                    video = width, height
                has_audio = has_audio or handler == "soun"
            elif box_type == "mvex" and duration is None:
                duration = _mehd_duration(f, span, moov)
    if legacy and not mvhd_found:
        return None

    if brand == b"qt  ":
        file_format = "mov"
    elif brand in (b"M4A ", b"M4B ", b"M4P ") or (video is None and audio_hint):
        file_format = "m4a"
    else:
        file_format = "mp4"

    return media_info(file_format, duration, video, audio=has_audio or file_format == "m4a", audio_hint=audio_hint)


def _mehd_duration(f: BinaryIO, mvex: tuple[int, int], moov: tuple[int, int]) -> float | None:
    """Duration of a fragmented file: ``mvex/mehd`` fragment duration over the ``mvhd`` timescale."""
    mehd = _find_box(f, *mvex, "mehd")
    mvhd = _find_box(f, *moov, "mvhd")
    if mehd is None or mvhd is None:
        return None
    mvhd_content = _read_content(f, mvhd)
    (timescale,) = struct.unpack(">I", mvhd_content[20:24] if mvhd_content[0] == 1 else mvhd_content[12:16])
    mehd_content = _read_content(f, mehd)
    if mehd_content[0] == 1:
        (fragment_duration,) = struct.unpack(">Q", mehd_content[4:12])
    else:
        (fragment_duration,) = struct.unpack(">I", mehd_content[4:8])
    if timescale == 0 or fragment_duration == 0:
        return None
    return fragment_duration / timescale
