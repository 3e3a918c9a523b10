"""Identifying an audio or video upload by its magic bytes and handing it to the reader of its container."""

from __future__ import annotations

import os
import struct

from pixverse_provider.emulator.probe import audio, isobmff, webm
from pixverse_provider.emulator.probe.media_info import MediaInfo

__all__ = ["probe_media"]

_AUDIO_SUFFIXES = frozenset({".m4a", ".mp3", ".wav", ".aac", ".weba", ".oga", ".ogg", ".flac"})


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
                return isobmff.probe_isobmff(f, size, audio_hint, legacy=False)
            if head[4:8] in isobmff.LEGACY_FIRST_BOXES:
                return isobmff.probe_isobmff(f, size, audio_hint, legacy=True)
            if head[:4] == webm.EBML_MAGIC:
                f.seek(0)
                return webm.probe_webm(f.read(webm.HEAD_BYTES), audio_hint)
            if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
                return audio.probe_wav(f, size)
            if head[:3] == b"ID3":
                return audio.probe_after_id3(f, head)
            return audio.probe_audio_frames(head)
        except (struct.error, IndexError, ValueError):
            return None


def _says_audio(filename: str | None, content_type: str | None) -> bool:
    """Whether the upload's name or declared content type says it is audio."""
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime.startswith("audio/"):
        return True
    return bool(filename) and os.path.splitext(filename or "")[1].lower() in _AUDIO_SUFFIXES
