"""What the API reads from an audio or video upload, and the one rule that says which of the two it is."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MediaInfo", "media_info"]


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


def media_info(
    file_format: str, duration: float | None, video: tuple[int, int] | None, *, audio: bool, audio_hint: bool
) -> MediaInfo:
    """The info of a container that may hold video: ``video`` is the first video track's (width, height).

    A file with a video track is video; without one, it is audio if it has audio (``audio``), and otherwise
    whatever its name or content type says (``audio_hint``). A size of 0 is reported as unknown (None).
    """
    if video is not None:
        kind = "video"
    elif audio:
        kind = "audio"
    else:
        kind = "audio" if audio_hint else "video"
    width, height = (None, None) if video is None or 0 in video else video
    return MediaInfo(kind, file_format, duration, width, height)
