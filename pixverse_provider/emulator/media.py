"""Media probing and generation for the PixVerse emulator, standard library only.

The real PixVerse API rejects uploads whose image or video header it cannot read, and checks their size
and duration.  The emulator has to give the same answers without third-party decoders, so this module
reads only container headers: image headers from the first bytes of an upload, and audio/video
containers by seeking over boxes and chunks (never loading the media data, which may be 50+ MB).

It also builds small, deterministic media files (PNG, JPEG, WebP, WAV, ISO-BMFF) for tests and for the
emulator's generated results; the videos finished generations produce are made by ``videos``.
"""

from __future__ import annotations

import io
import math
import os
import struct
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from pixverse_provider.emulator import mp4, videos

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "ImageInfo",
    "MediaInfo",
    "iter_boxes",
    "make_jpeg",
    "make_mp4_with_duration",
    "make_png",
    "make_wav",
    "make_webp",
    "probe_image",
    "probe_media",
    "sample_mp4",
]

SAMPLE_FRAME = (960, 540)
SAMPLE_SECONDS = 5.0


# --------------------------------------------------------------------------------------------------
# The preview video
# --------------------------------------------------------------------------------------------------


def sample_mp4() -> bytes:
    """The template preview video, which is also what a default text-to-video (540p, 16:9, 5 s, no sound)
    produces: H.264 960x540 at 24 fps, 5.000 s, no audio track (``videos.generated_video``, cached)."""
    return videos.generated_video(*SAMPLE_FRAME, SAMPLE_SECONDS, False)


# --------------------------------------------------------------------------------------------------
# Images
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImageInfo:
    """What the API reads from an image header: its format ("png", "jpeg" or "webp") and pixel size."""

    format: str
    width: int
    height: int


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
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
    try:
        if head.startswith(_PNG_SIGNATURE):
            return _probe_png(head)
        if head.startswith(b"\xff\xd8\xff"):
            return _probe_jpeg(head)
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return _probe_webp(head)
    except (struct.error, IndexError):
        return None
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


# --------------------------------------------------------------------------------------------------
# Audio and video containers
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MediaInfo:
    """What the API reads from an audio or video upload; None where the header does not say it cheaply.

    ``kind`` is "video" or "audio"; ``format`` one of mp4, mov, webm, mp3, wav, m4a, aac.
    """

    kind: str
    format: str
    duration_seconds: float | None
    width: int | None
    height: int | None


_AUDIO_SUFFIXES = frozenset({".m4a", ".mp3", ".wav", ".aac", ".weba", ".oga", ".ogg", ".flac"})
# Box types that may open a QuickTime file written without an ``ftyp`` box.
_LEGACY_QT_FIRST_BOXES = frozenset({b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"})
# How much of a WebM file is searched for its Info and Tracks elements (they normally sit in the first KiB).
_WEBM_HEAD_BYTES = 1024 * 1024
# Small boxes (mvhd, tkhd, hdlr, mehd, stsd entries) are read at most this far; nothing else is read.
_SMALL_BOX_BYTES = 512


def probe_media(
    path: str | os.PathLike[str], filename: str | None = None, content_type: str | None = None
) -> MediaInfo | None:
    """Identify an audio/video file by its magic bytes and read its duration and size where cheap.

    Recognised: ISO-BMFF (``ftyp`` brand ``qt  `` is mov, ``M4A ``/``M4B `` is m4a, any other is mp4;
    an ISO-BMFF file with only audio tracks whose name or content type says audio is m4a), WebM, RIFF
    WAVE, MP3 (ID3 tag or MPEG frame sync) and ADTS AAC.  Duration comes from ``mvhd`` (or ``mehd`` for
    fragmented files), WebM's Info element, or a WAV data chunk; width/height from the first video
    track.  ``filename`` and ``content_type`` are only hints for audio-versus-video where the container
    does not tell.  The file is read by seeking over boxes, never whole.  None for unrecognised content.
    """
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        head = f.read(64)
        audio_hint = _says_audio(filename, content_type)
        try:
            if head[4:8] == b"ftyp":
                return _probe_isobmff(f, size, audio_hint, legacy=False)
            if head[4:8] in _LEGACY_QT_FIRST_BOXES:
                return _probe_isobmff(f, size, audio_hint, legacy=True)
            if head[:4] == b"\x1a\x45\xdf\xa3":
                f.seek(0)
                return _probe_webm(f.read(_WEBM_HEAD_BYTES), audio_hint)
            if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
                return _probe_wav(f, size)
            if head[:3] == b"ID3":
                return _probe_after_id3(f, head)
            return _probe_audio_frames(head)
        except (struct.error, IndexError, ValueError):
            return None


def _known_size(video: tuple[int, int] | None) -> tuple[int | None, int | None]:
    """A video track's (width, height), or (None, None) when there is none or it does not say."""
    if video is None or 0 in video:
        return None, None
    return video


def _says_audio(filename: str | None, content_type: str | None) -> bool:
    """Whether the upload's name or declared content type says it is audio."""
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime.startswith("audio/"):
        return True
    return bool(filename) and os.path.splitext(filename or "")[1].lower() in _AUDIO_SUFFIXES


def _is_adts(frame: bytes) -> bool:
    """ADTS AAC: 12-bit sync word, then MPEG version bit and layer bits that are always 00."""
    return len(frame) >= 2 and frame[0] == 0xFF and (frame[1] & 0xF6) == 0xF0


def _is_mpeg_audio(frame: bytes) -> bool:
    """MPEG audio (MP3 and its layer I/II siblings): 11-bit sync, a valid version and a non-zero layer."""
    if len(frame) < 3 or frame[0] != 0xFF or (frame[1] & 0xE0) != 0xE0:
        return False
    version = (frame[1] >> 3) & 0b11
    layer = (frame[1] >> 1) & 0b11
    bitrate_index = frame[2] >> 4
    return version != 0b01 and layer != 0 and bitrate_index != 0xF


def _probe_audio_frames(head: bytes) -> MediaInfo | None:
    """A raw audio stream starting with a frame: ADTS AAC or MP3.  Their duration is not cheap: None."""
    if _is_adts(head):
        return MediaInfo("audio", "aac", None, None, None)
    if _is_mpeg_audio(head):
        return MediaInfo("audio", "mp3", None, None, None)
    return None


def _probe_after_id3(f: BinaryIO, head: bytes) -> MediaInfo | None:
    """An ID3v2 tag opens most MP3 files (and a few AAC ones): look at the first frame after it."""
    if len(head) < 10:
        return None
    tag_size = 0
    for byte in head[6:10]:  # "syncsafe" integer: 7 bits per byte
        tag_size = (tag_size << 7) | (byte & 0x7F)
    tag_end = 10 + tag_size + (10 if head[5] & 0x10 else 0)  # flag 0x10: a footer follows the tag
    f.seek(tag_end)
    if _is_adts(f.read(4)):
        return MediaInfo("audio", "aac", None, None, None)
    return MediaInfo("audio", "mp3", None, None, None)


def _probe_wav(f: BinaryIO, size: int) -> MediaInfo | None:
    """Walk the RIFF chunks for ``fmt `` (byte rate) and ``data`` (its size); duration = size / rate."""
    byte_rate: int | None = None
    data_size: int | None = None
    offset = 12
    while offset + 8 <= size and (byte_rate is None or data_size is None):
        f.seek(offset)
        chunk_id, chunk_size = struct.unpack("<4sI", f.read(8))
        if chunk_id == b"fmt ":
            fmt = f.read(min(chunk_size, 16))
            if len(fmt) < 12:
                return None
            (byte_rate,) = struct.unpack("<I", fmt[8:12])
        elif chunk_id == b"data":
            data_size = min(chunk_size, size - offset - 8)  # a streamed WAV may declare more than it has
        offset += 8 + chunk_size + (chunk_size & 1)  # chunks are padded to an even length
    duration = data_size / byte_rate if byte_rate and data_size is not None else None
    return MediaInfo("audio", "wav", duration, None, None)


# ---- ISO-BMFF (mp4, mov, m4a) ------------------------------------------------------------------------


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


def _probe_isobmff(f: BinaryIO, size: int, audio_hint: bool, *, legacy: bool) -> MediaInfo | None:
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

    if video is not None:
        kind = "video"
    elif has_audio or file_format == "m4a":
        kind = "audio"
    else:
        kind = "audio" if audio_hint else "video"
    return MediaInfo(kind, file_format, duration, *_known_size(video))


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


# ---- WebM (EBML) -------------------------------------------------------------------------------------

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


def _probe_webm(buf: bytes, audio_hint: bool) -> MediaInfo | None:
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
    if video is not None:
        kind = "video"
    elif has_audio:
        kind = "audio"
    else:
        kind = "audio" if audio_hint else "video"
    return MediaInfo(kind, "webm", duration, *_known_size(video))


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


# --------------------------------------------------------------------------------------------------
# Generators (deterministic, pure Python)
# --------------------------------------------------------------------------------------------------


def _check_size(width: int, height: int, limit: int) -> None:
    """Reject sizes the format cannot carry, rather than write a file that lies about its size."""
    if not (1 <= width <= limit and 1 <= height <= limit):
        raise ValueError(f"image size {width}x{height} outside 1..{limit}")


def _png_chunk(chunk_type: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC-32 of type and data."""
    return struct.pack(">I", len(data)) + chunk_type + data + struct.pack(">I", zlib.crc32(chunk_type + data))


def make_png(width: int, height: int, rgb: tuple[int, int, int] = (30, 120, 200)) -> bytes:
    """A valid, decodable PNG of one colour (8-bit RGB).

    The row is built once and fed to the compressor ``height`` times, so even 4000x4000 stays fast and
    never holds the raw image in memory.
    """
    _check_size(width, height, 2**31 - 1)
    row = b"\x00" + bytes(rgb) * width  # filter type 0 (None), then the pixels
    compressor = zlib.compressobj(1)
    parts = [compressor.compress(row) for _ in range(height)]
    parts.append(compressor.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits, truecolour, no interlace
    return _PNG_SIGNATURE + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", b"".join(parts)) + _png_chunk(b"IEND", b"")


def _jpeg_segment(marker: int, payload: bytes) -> bytes:
    """One JPEG marker segment: 0xFF, marker, 16-bit length (counting itself), payload."""
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def make_jpeg(width: int, height: int) -> bytes:
    """A real, decodable baseline greyscale JPEG (uniform mid-grey) whose SOF0 carries the size.

    Both Huffman tables hold a single one-bit code: DC difference 0 and end-of-block, so each 8x8 block
    is two zero bits and a 4000x4000 image is about 62 KB of scan data.  It decodes with libjpeg-turbo
    and ffmpeg (checked when this was written).
    """
    _check_size(width, height, 65535)
    one_code = bytes([1] + [0] * 15)  # code-length counts: one code of length 1
    blocks = math.ceil(width / 8) * math.ceil(height / 8)
    full_bytes, spare_bits = divmod(2 * blocks, 8)
    # Zero bits never form 0xFF, so no byte stuffing; the last byte is padded with one-bits.
    scan = bytes(full_bytes) + (bytes([(1 << (8 - spare_bits)) - 1]) if spare_bits else b"")
    return b"".join(
        [
            b"\xff\xd8",
            _jpeg_segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
            _jpeg_segment(0xDB, b"\x00" + bytes([1] * 64)),  # 8-bit quantisation table 0, all ones
            _jpeg_segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00"),
            _jpeg_segment(0xC4, b"\x00" + one_code + b"\x00"),  # DC table 0: symbol 0 (difference 0)
            _jpeg_segment(0xC4, b"\x10" + one_code + b"\x00"),  # AC table 0: symbol 0x00 (end of block)
            _jpeg_segment(0xDA, b"\x01\x01\x00\x00\x3f\x00"),  # one component, tables 0/0, full band
            scan,
            b"\xff\xd9",
        ]
    )


class _LsbBitWriter:
    """Collects bits least-significant first, as the VP8L bitstream wants them."""

    def __init__(self) -> None:
        self._value = 0
        self._count = 0

    def write(self, value: int, bits: int) -> None:
        """Append the low ``bits`` bits of ``value``."""
        self._value |= (value & ((1 << bits) - 1)) << self._count
        self._count += bits

    def to_bytes(self) -> bytes:
        """The bits written so far, zero-padded to whole bytes."""
        return self._value.to_bytes((self._count + 7) // 8, "little")


def make_webp(width: int, height: int, rgb: tuple[int, int, int] = (30, 120, 200)) -> bytes:
    """A lossless (VP8L) WebP of one colour, at most 16384x16384 as VP8L allows.

    Every prefix code has a single symbol, so the pixels take no bits and the file is a few dozen bytes.
    It decodes (checked with libwebp's dwebp and ffmpeg when this was written), but callers should only
    rely on ``probe_image`` reading its header; no test here can decode it.
    """
    _check_size(width, height, 16384)
    bits = _LsbBitWriter()
    bits.write(width - 1, 14)
    bits.write(height - 1, 14)
    bits.write(0, 1)  # alpha not used
    bits.write(0, 3)  # version 0
    bits.write(0, 1)  # no transform
    bits.write(0, 1)  # no colour cache
    bits.write(0, 1)  # no meta prefix codes
    red, green, blue = rgb
    for symbol in (green, red, blue, 255):  # green, red, blue, alpha: simple code, one 8-bit symbol
        bits.write(1, 1)
        bits.write(0, 1)
        bits.write(1, 1)
        bits.write(symbol, 8)
    bits.write(1, 1)  # distance code: simple, one 1-bit symbol 0 (never used)
    bits.write(0, 1)
    bits.write(0, 1)
    bits.write(0, 1)
    payload = b"\x2f" + bits.to_bytes()
    chunk = b"VP8L" + struct.pack("<I", len(payload)) + payload + (b"\x00" if len(payload) & 1 else b"")
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def make_wav(seconds: float, sample_rate: int = 8000) -> bytes:
    """Silent mono 16-bit PCM WAV lasting ``seconds`` (rounded to whole samples)."""
    if seconds < 0 or sample_rate <= 0:
        raise ValueError("seconds must be >= 0 and sample_rate > 0")
    data_size = round(seconds * sample_rate) * 2
    fmt = struct.pack("<HHIIHH", 1, 1, sample_rate, sample_rate * 2, 2, 16)  # PCM, mono, 16-bit
    return (
        b"RIFF"
        + struct.pack("<I", 4 + 8 + len(fmt) + 8 + data_size)
        + b"WAVE"
        + b"fmt "
        + struct.pack("<I", len(fmt))
        + fmt
        + b"data"
        + struct.pack("<I", data_size)
        + bytes(data_size)
    )


def make_mp4_with_duration(seconds: float, width: int = 320, height: int = 180) -> bytes:
    """A small, structurally valid MP4 whose ``mvhd`` says ``seconds`` and whose video track is WxH.

    ftyp, then moov (mvhd, one H.264 video trak with tkhd/mdia/minf/stbl and empty sample tables), then
    an empty mdat: it has no frames, so it plays as nothing, but lets tests exercise the duration and
    size limits without a big file.  Duration is stored in milliseconds (64-bit fields when needed).
    """
    if seconds < 0:
        raise ValueError("seconds must be >= 0")
    _check_size(width, height, 65535)
    entry = mp4.avc1_entry(width, height, b"")
    track = mp4.Track(b"vide", 1000, entry, width=width, height=height, duration=round(seconds * 1000))
    return mp4.write_mp4([track])
