"""Upload limits of the PixVerse API (pixverse-api.md §4.2, §4.3, §8)."""

from __future__ import annotations

MB = 1024 * 1024

IMAGE_FORMATS = frozenset({"jpg", "jpeg", "png", "webp"})
IMAGE_CONTENT_TYPES = frozenset({"image/jpeg", "image/jpg", "image/png", "image/webp"})
IMAGE_MAX_BYTES = 20 * MB
"""Images must be smaller than this."""
IMAGE_MAX_SIDE = 4000
"""Pixels per side; a newer guide says 10000 (see rules.UNCERTAIN_RULES["image_max_pixels"])."""

VIDEO_FORMATS = frozenset({"mp4", "mov", "webm"})
AUDIO_FORMATS = frozenset({"mp3", "wav", "m4a", "aac"})
MEDIA_FORMATS = VIDEO_FORMATS | AUDIO_FORMATS
MEDIA_CONTENT_TYPES: dict[str, str] = {
    "video/mp4": "mp4",
    "video/mov": "mov",
    "video/quicktime": "mov",
    "video/webm": "webm",
    "audio/mpeg": "mp3",
    "audio/mp3": "mp3",
    "audio/wav": "wav",
    "audio/vnd.wave": "wav",
    "audio/x-wav": "wav",
    "audio/wave": "wav",
    "audio/x-m4a": "m4a",
    "audio/mp4": "m4a",
    "audio/aac": "aac",
    "audio/x-aac": "aac",
}
MEDIA_MAX_BYTES = 50 * MB
MEDIA_MAX_SECONDS = 30
VIDEO_MAX_SIDE = 1920


def extension(filename: str) -> str:
    """Lower-case extension without the dot ("" when there is none)."""
    _, dot, ext = filename.rpartition(".")
    return ext.lower() if dot else ""
