"""Upload limits of the PixVerse API (docs/api-facts.rst, 'Upload limits')."""

from __future__ import annotations

MB = 1024 * 1024

IMAGE_MAX_BYTES = 20 * MB
"""Images must be smaller than this."""
IMAGE_MAX_SIDE = 4000
"""Pixels per side; a newer guide says 10000 (see rules.UNCERTAIN_RULES["image_max_pixels"])."""

VIDEO_FORMATS = frozenset({"mp4", "mov", "webm"})
AUDIO_FORMATS = frozenset({"mp3", "wav", "m4a", "aac"})
MEDIA_FORMATS = VIDEO_FORMATS | AUDIO_FORMATS
MEDIA_MAX_BYTES = 50 * MB
MEDIA_MAX_SECONDS = 30
VIDEO_MAX_SIDE = 1920
