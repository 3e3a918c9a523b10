"""Reading an image's format and pixel size from its first bytes: PNG, JPEG and WebP.

Only headers are read (the emulator keeps just the first 64 KiB of an upload); an image it cannot read is
what PixVerse calls "cannot read image info".
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

__all__ = ["PNG_SIGNATURE", "ImageInfo", "image_format", "probe_image"]


@dataclass(frozen=True)
class ImageInfo:
    """What the API reads from an image header: its format ("png", "jpeg" or "webp") and pixel size."""

    format: str
    width: int
    height: int


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# SOFn markers carry the frame size; C4 (DHT), C8 (JPG extension) and CC (DAC) share the range but do not.
_JPEG_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
# Markers that stand alone, without a length field: TEM and the restart markers RST0-7.
_JPEG_STANDALONE_MARKERS = frozenset({0x01, *range(0xD0, 0xD8)})


def probe_image(head: bytes) -> ImageInfo | None:
    """Read format and size from the start of a PNG, JPEG or WebP file; None if it cannot be read.

    Only the header is needed (the emulator keeps just the first 64 KiB of an upload).  None is the
    API's "cannot read image info" case: unknown format, truncated or inconsistent header, zero size.
    A JPEG whose metadata segments before the frame header exceed ``head`` also gives None.
    """
    readers = {"png": _probe_png, "jpeg": _probe_jpeg, "webp": _probe_webp}
    file_format = image_format(head)
    if file_format is None:
        return None
    try:
        return readers[file_format](head)
    except (struct.error, IndexError):
        return None


def image_format(head: bytes) -> str | None:
    """The image format the first bytes announce ("png", "jpeg" or "webp"), whether or not the rest reads."""
    if head.startswith(PNG_SIGNATURE):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def _probe_png(head: bytes) -> ImageInfo | None:
    """Read the IHDR chunk, which the PNG spec requires to come first; its CRC must match."""
    if len(head) < 33:
        return None
    length, chunk_type = struct.unpack(">I4s", head[8:16])
    if length != 13 or chunk_type != b"IHDR":
        return None
    (crc,) = struct.unpack(">I", head[29:33])
    if zlib.crc32(head[12:29]) != crc:
        return None
    width, height = struct.unpack(">II", head[16:24])
    if not (0 < width < 2**31 and 0 < height < 2**31):
        return None
    return ImageInfo("png", width, height)


def _probe_jpeg(head: bytes) -> ImageInfo | None:
    """Walk the marker segments after SOI up to the first SOFn frame header, which holds the size."""
    pos = 2
    while pos < len(head):
        if head[pos] != 0xFF:
            return None
        while pos < len(head) and head[pos] == 0xFF:  # fill bytes may pad before a marker
            pos += 1
        if pos >= len(head):
            return None
        marker = head[pos]
        pos += 1
        if marker in _JPEG_STANDALONE_MARKERS:
            continue
        if marker in (0x00, 0xD8, 0xD9, 0xDA):  # stuffing, second SOI, EOI or scan before any frame header
            return None
        if pos + 2 > len(head):
            return None
        (length,) = struct.unpack(">H", head[pos : pos + 2])
        if length < 2:
            return None
        if marker in _JPEG_SOF_MARKERS:
            if length < 8 or pos + 7 > len(head):
                return None
            height, width = struct.unpack(">HH", head[pos + 3 : pos + 7])
            if width == 0 or height == 0:  # height 0 means "defined later by DNL": not readable here
                return None
            return ImageInfo("jpeg", width, height)
        pos += length
    return None


def _probe_webp(head: bytes) -> ImageInfo | None:
    """Read the size from the first chunk: lossy ``VP8 ``, lossless ``VP8L`` or extended ``VP8X``."""
    if len(head) < 30:
        return None
    chunk = head[12:16]
    data = head[20:30]
    if chunk == b"VP8 ":
        # 3-byte frame tag (bit 0 clear on a key frame), start code, then 14-bit width and height.
        if data[0] & 1 or data[3:6] != b"\x9d\x01\x2a":
            return None
        width, height = struct.unpack("<HH", data[6:10])
        width &= 0x3FFF
        height &= 0x3FFF
    elif chunk == b"VP8L":
        if data[0] != 0x2F:
            return None
        (bits,) = struct.unpack("<I", data[1:5])
        width = (bits & 0x3FFF) + 1
        height = ((bits >> 14) & 0x3FFF) + 1
    elif chunk == b"VP8X":
        width = int.from_bytes(data[4:7], "little") + 1
        height = int.from_bytes(data[7:10], "little") + 1
    else:
        return None
    if width == 0 or height == 0:
        return None
    return ImageInfo("webp", width, height)
