"""Recognising audio files: RIFF WAVE (with its duration), MP3 and ADTS AAC (whose duration is not cheap)."""

from __future__ import annotations

import struct
from typing import BinaryIO

from pixverse_provider.emulator.probe.media_info import MediaInfo

__all__ = ["probe_after_id3", "probe_audio_frames", "probe_wav"]


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


def probe_audio_frames(head: bytes) -> MediaInfo | None:
    """A raw audio stream starting with a frame: ADTS AAC or MP3.  Their duration is not cheap: None."""
    if _is_adts(head):
        return MediaInfo("audio", "aac", None, None, None)
    if _is_mpeg_audio(head):
        return MediaInfo("audio", "mp3", None, None, None)
    return None


def probe_after_id3(f: BinaryIO, head: bytes) -> MediaInfo | None:
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


def probe_wav(f: BinaryIO, size: int) -> MediaInfo | None:
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
