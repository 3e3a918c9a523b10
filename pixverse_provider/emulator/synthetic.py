"""Small, deterministic media files made in pure Python: images, silent audio, MP4s, the preview video.

The admin API serves them (keyframe and mask stills, template previews) and tests upload them. Each is
built to be read by ``probe`` exactly as a real file of its kind; the videos that finished generations
serve are made by ``videos``.
"""

from __future__ import annotations

import math
import struct
import zlib

from pixverse_provider.emulator import mp4, videos
from pixverse_provider.emulator.probe.images import PNG_SIGNATURE

__all__ = ["make_jpeg", "make_mp4_with_duration", "make_png", "make_wav", "make_webp", "sample_mp4"]

SAMPLE_FRAME = (960, 540)
SAMPLE_SECONDS = 5.0


def sample_mp4() -> bytes:
    """The template preview video, which is also what a default text-to-video (540p, 16:9, 5 s, no sound)
    produces: H.264 960x540 at 24 fps, 5.000 s, no audio track (``videos.generated_video``, cached)."""
    return videos.generated_video(*SAMPLE_FRAME, SAMPLE_SECONDS, False)


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
    return PNG_SIGNATURE + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", b"".join(parts)) + _png_chunk(b"IEND", b"")


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
