"""Reading WebM files (EBML): DocType, duration from the Info element, and track kinds and pixel size.

Only the start of the file is read (``HEAD_BYTES``): the headers sit before the first Cluster of media data.
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING

from pixverse_provider.emulator.probe.media_info import MediaInfo, media_info

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["EBML_MAGIC", "HEAD_BYTES", "probe_webm"]

EBML_MAGIC = b"\x1a\x45\xdf\xa3"
"""The first bytes of every EBML file (the EBML header element's id)."""
HEAD_BYTES = 1024 * 1024
"""How much of a WebM file is searched for its Info and Tracks elements (they normally sit in the first KiB)."""

_EBML_HEADER = 0x1A45DFA3
_EBML_DOCTYPE = 0x4282
_MKV_SEGMENT = 0x18538067
_MKV_INFO = 0x1549A966
_MKV_TIMESTAMP_SCALE = 0x2AD7B1
_MKV_DURATION = 0x4489
_MKV_TRACKS = 0x1654AE6B
_MKV_TRACK_ENTRY = 0xAE
_MKV_TRACK_TYPE = 0x83
_MKV_VIDEO = 0xE0
_MKV_PIXEL_WIDTH = 0xB0
_MKV_PIXEL_HEIGHT = 0xBA
_MKV_CLUSTER = 0x1F43B675


def _ebml_vint(buf: bytes, pos: int, *, keep_marker: bool) -> tuple[int | None, int]:
    """Decode an EBML variable-length integer at ``pos``: (value, next position).

    IDs keep their length-marker bit; sizes drop it, and an all-ones size ("unknown") gives None.
    """
    first = buf[pos]
    if first == 0:
        raise ValueError("EBML integer longer than 8 bytes")
    length = 9 - first.bit_length()
    if pos + length > len(buf):
        raise ValueError("truncated EBML integer")
    value = int.from_bytes(buf[pos : pos + length], "big")
    if keep_marker:
        return value, pos + length
    value &= (1 << (7 * length)) - 1
    if value == (1 << (7 * length)) - 1:
        return None, pos + length
    return value, pos + length


def _ebml_children(buf: bytes, start: int, end: int) -> Iterator[tuple[int, int, int]]:
    """Yield (id, data start, data end) of the elements between ``start`` and ``end``.

    An element of unknown size runs to ``end``; the data end may lie past the buffer for a truncated
    element, which callers check before reading a value.  A header cut off by the buffer ends the walk.
    """
    pos = start
    while pos < end:
        try:
            element_id, pos = _ebml_vint(buf, pos, keep_marker=True)
            element_size, pos = _ebml_vint(buf, pos, keep_marker=False)
        except (ValueError, IndexError):
            return  # the head we were given ends inside an element header
        data_end = end if element_size is None else pos + element_size
        yield element_id or 0, pos, data_end
        pos = data_end


def _ebml_uint(buf: bytes, start: int, end: int) -> int | None:
    """An unsigned integer element's value, or None if it is not wholly in the buffer."""
    if end > len(buf) or end - start > 8:
        return None
    return int.from_bytes(buf[start:end], "big")


def probe_webm(buf: bytes, audio_hint: bool) -> MediaInfo | None:
    """Read DocType, Info (duration) and Tracks (kind, pixel size) from the start of a WebM file.

    Matroska files whose DocType is not "webm" (a missing DocType means "matroska") are not an
    accepted format and give None.
    """
    doc_type: bytes | None = None
    scale = 1_000_000  # nanoseconds per timestamp tick, the Matroska default
    raw_duration: float | None = None
    video: tuple[int, int] | None = None
    has_audio = False
    for element_id, start, end in _ebml_children(buf, 0, len(buf)):
        if element_id == _EBML_HEADER:
            for child_id, child_start, child_end in _ebml_children(buf, start, min(end, len(buf))):
                if child_id == _EBML_DOCTYPE:
                    doc_type = buf[child_start:child_end].rstrip(b"\x00")
        elif element_id == _MKV_SEGMENT:
            for child_id, child_start, child_end in _ebml_children(buf, start, min(end, len(buf))):
                if child_id == _MKV_INFO:
                    for info_id, info_start, info_end in _ebml_children(buf, child_start, child_end):
                        if info_end > len(buf):
                            break
                        if info_id == _MKV_TIMESTAMP_SCALE:
                            scale = _ebml_uint(buf, info_start, info_end) or scale
                        elif info_id == _MKV_DURATION and info_end - info_start in (4, 8):
                            fmt = ">f" if info_end - info_start == 4 else ">d"
                            (raw_duration,) = struct.unpack(fmt, buf[info_start:info_end])
                elif child_id == _MKV_TRACKS:
                    for track_video, is_audio in _webm_tracks(buf, child_start, min(child_end, len(buf))):
                        if track_video is not None and video is None:
                            video = track_video
                        has_audio = has_audio or is_audio
                elif child_id == _MKV_CLUSTER:
                    break  # media data from here on: the headers we want come before it
            break
        else:
            break
    if doc_type != b"webm":
        return None
    duration = raw_duration * scale / 1e9 if raw_duration and raw_duration > 0 else None
    return media_info("webm", duration, video, audio=has_audio, audio_hint=audio_hint)


def _webm_tracks(buf: bytes, start: int, end: int) -> Iterator[tuple[tuple[int, int] | None, bool]]:
    """Yield, per TrackEntry, the video pixel size (None if not video) and whether it is audio."""
    for entry_id, entry_start, entry_end in _ebml_children(buf, start, end):
        if entry_id != _MKV_TRACK_ENTRY or entry_end > len(buf):
            continue
        track_type: int | None = None
        width = height = 0
        for child_id, child_start, child_end in _ebml_children(buf, entry_start, entry_end):
            if child_id == _MKV_TRACK_TYPE:
                track_type = _ebml_uint(buf, child_start, child_end)
            elif child_id == _MKV_VIDEO:
                for video_id, video_start, video_end in _ebml_children(buf, child_start, child_end):
                    if video_id == _MKV_PIXEL_WIDTH:
                        width = _ebml_uint(buf, video_start, video_end) or 0
                    elif video_id == _MKV_PIXEL_HEIGHT:
                        height = _ebml_uint(buf, video_start, video_end) or 0
        yield ((width, height) if track_type == 1 else None), track_type == 2
