"""PixVerse's rules for uploaded files (docs/api-facts.rst, 'Upload limits'), judged by content, not by name."""

from __future__ import annotations

import struct

from pixverse_provider.api import errors, uploads
from pixverse_provider.emulator.answers import ApiError
from pixverse_provider.emulator.intake import Received
from pixverse_provider.emulator.probe import ImageInfo, MediaInfo, probe_image, probe_media
from pixverse_provider.emulator.probe.images import PNG_SIGNATURE, image_format

OCTET_STREAM = "application/octet-stream"


def check_image(received: Received, max_side: int) -> ImageInfo:
    """The image's format and size, or the upload error PixVerse answers (checked in this order):
    ≥ 20 MB → 500030; not PNG/JPEG/WebP → 500032; a side of 0 → 500033; header unreadable → 500031;
    a side over ``max_side`` → 500030."""
    if received.size >= uploads.IMAGE_MAX_BYTES:
        raise ApiError(errors.IMAGE_TOO_LARGE, "image size must be less than 20 MB")
    head = received.head
    if image_format(head) is None:
        raise ApiError(errors.IMAGE_BAD_FORMAT, "invalid image format: png, jpg, jpeg or webp only")
    info = probe_image(head)
    if info is None:
        if _png_has_zero_side(head):
            raise ApiError(errors.IMAGE_BAD_DIMENSIONS, "invalid image width or height")
        raise ApiError(errors.IMAGE_UNREADABLE, "cannot read image information")
    if info.width > max_side or info.height > max_side:
        raise ApiError(
            errors.IMAGE_TOO_LARGE,
            f"image is {info.width}x{info.height} px; it cannot exceed {max_side}x{max_side} px",
        )
    return info


def check_media(received: Received) -> MediaInfo:
    """The media's kind, format and duration, or 400017 naming the limit it breaks."""
    if received.size > uploads.MEDIA_MAX_BYTES:
        raise ApiError(errors.INVALID_PARAMETER, "media file cannot exceed 50 MB")
    info = probe_media(received.path, received.filename, received.content_type)
    if info is None or info.format not in uploads.MEDIA_FORMATS:
        formats = ", ".join(sorted(uploads.MEDIA_FORMATS))
        raise ApiError(errors.INVALID_PARAMETER, f"unsupported media format; accepted: {formats}")
    if info.duration_seconds is not None and info.duration_seconds > uploads.MEDIA_MAX_SECONDS:
        raise ApiError(
            errors.INVALID_PARAMETER,
            f"media cannot be longer than {uploads.MEDIA_MAX_SECONDS} s, got {info.duration_seconds:.1f} s",
        )
    longest = max(info.width or 0, info.height or 0)
    if info.kind == "video" and longest > uploads.VIDEO_MAX_SIDE:
        raise ApiError(
            errors.INVALID_PARAMETER,
            f"video cannot exceed {uploads.VIDEO_MAX_SIDE} px per side, got {info.width}x{info.height}",
        )
    return info


def is_octet_stream(content_type: str | None) -> bool:
    """``image_url`` answers served as ``application/octet-stream`` are refused."""
    return (content_type or "").split(";", 1)[0].strip().lower() == OCTET_STREAM


def _png_has_zero_side(head: bytes) -> bool:
    """A PNG whose IHDR declares a width or height of 0 (``probe_image`` reports it as unreadable)."""
    if not head.startswith(PNG_SIGNATURE) or len(head) < 24 or head[12:16] != b"IHDR":
        return False
    width, height = struct.unpack(">II", head[16:24])
    return width == 0 or height == 0
