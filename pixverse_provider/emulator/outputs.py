"""What a generation request produces: the inputs it resolved to, and the output's frame, length and text.

Pure functions of the request and its resolved inputs, so the state only decides *whether* to create a job.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pixverse_provider.api import request_models as rq
from pixverse_provider.api.enums import CreationMode
from pixverse_provider.emulator import charges
from pixverse_provider.emulator.records import StoredUpload, VideoRef


@dataclass(frozen=True)
class Source:
    """A resolved input video: what it is and the facts needed for pricing and output size.

    ``width``/``height`` are None when its header did not say (the output is then 540p 16:9).
    """

    ref: VideoRef
    duration: float
    width: int | None
    height: int | None
    has_audio: bool

    @property
    def size(self) -> tuple[int, int] | None:
        """(width, height) if both are known."""
        return (self.width, self.height) if self.width and self.height else None


@dataclass(frozen=True)
class Inputs:
    """What a request's ids resolved to: its source video, its first image and its lip-sync audio."""

    source: Source | None = None
    image: StoredUpload | None = None
    audio: StoredUpload | None = None


def image_ids(request: rq.PixVerseRequest) -> Iterator[int]:
    """Every uploaded-image id a request refers to, whatever the endpoint calls it."""
    for name in ("img_id", "first_frame_img", "last_frame_img"):
        value = getattr(request, name, None)
        if value is not None:
            yield value
    yield from getattr(request, "img_ids", None) or ()
    for item in getattr(request, "multi_transition", None) or ():
        yield item.img_id
    for item in getattr(request, "image_references", None) or ():
        yield item.img_id


def frame(request: rq.PixVerseRequest, inputs: Inputs) -> tuple[int, int, int]:
    """(width, height, resolution): the quality's short side in the shape of the ratio, source or image.

    Without a quality (lip sync, sound effect, restyle) the output keeps the source's frame, rounded down to
    even sizes as H.264 4:2:0 video needs. Every size is even.
    """
    ratio = getattr(request, "aspect_ratio", None)
    source_size = inputs.source.size if inputs.source is not None else None
    if ratio is not None:
        shape = aspect(ratio.value)
    elif source_size is not None:
        shape = source_size
    elif inputs.image is not None:
        shape = (inputs.image.width or 16, inputs.image.height or 9)
    else:
        shape = (16, 9)
    pixels = quality_pixels(enum_text(getattr(request, "quality", None)))
    if pixels is None:
        if source_size is not None:
            width, height = (max(2, side - side % 2) for side in source_size)
            return width, height, min(width, height)
        pixels = 540
    width, height = output_frame(pixels, shape)
    return width, height, pixels


def priced_seconds(inputs: Inputs) -> float | None:
    """The input length a price depends on: the lip-sync audio if there is one, else the source video."""
    if inputs.audio is not None:
        return inputs.audio.duration if inputs.audio.duration is not None else charges.DEFAULT_SOURCE_SECONDS
    return inputs.source.duration if inputs.source is not None else None


def duration(request: rq.PixVerseRequest, source: Source | None) -> float:
    """Seconds of the output: the asked duration; an extend adds it to its source; a multi-transition sums
    its segments; modes without a duration (lip sync, sound effect, edits) last as long as their source."""
    if isinstance(request, rq.MultiTransitionRequest):
        return float(sum(k.duration or 0 for k in request.multi_transition))
    if isinstance(request, rq.ExtendRequest) and source is not None:
        return source.duration + request.duration
    if isinstance(request, rq.Generation):
        return float(request.duration)
    return source.duration if source is not None else charges.DEFAULT_SOURCE_SECONDS


def has_audio(request: rq.PixVerseRequest, mode: CreationMode, source: Source | None) -> bool:
    """Whether the output has sound: lip sync and sound effect always, a generation whose switch asks for
    audio, and any output of a source video that had sound."""
    switches = ("generate_audio_switch", "sound_effect_switch", "lip_sync_tts_switch", "lip_sync_switch")
    if mode in (CreationMode.LIP_SYNC, CreationMode.SOUND_EFFECT) or any(getattr(request, s, None) for s in switches):
        return True
    return bool(source and source.has_audio)


def prompt_text(request: rq.PixVerseRequest) -> str:
    for name in ("prompt", "restyle_prompt", "sound_effect_content", "lip_sync_tts_content"):
        value = getattr(request, name, None)
        if value:
            return str(value)
    return ""


def enum_text(value: Any) -> str:
    return "" if value is None else str(getattr(value, "value", value))


def quality_pixels(quality: str | None) -> int | None:
    """``"540p"`` → 540."""
    return int(quality[:-1]) if quality and quality.endswith("p") and quality[:-1].isdigit() else None


MAX_STRETCH = 21 / 9
"""The longest side of an output frame is at most this many times its short side."""


def output_frame(short_side: int, shape: tuple[int, int]) -> tuple[int, int]:
    """Scale ``shape`` (width, height or a ratio like 16, 9) so its short side is ``short_side``; even sizes.

    540p 16:9 → 960x540, 720p 9:16 → 720x1280, 540p of a 640x360 image → 960x540. Shapes longer than 21:9,
    PixVerse's widest aspect ratio, are made 21:9 (how PixVerse frames such an image is not documented).
    """
    width, height = shape
    if width <= 0 or height <= 0:
        width, height = 16, 9
    stretch = min(max(width, height) / min(width, height), MAX_STRETCH)
    long_side = round(short_side * stretch / 2) * 2
    return (long_side, short_side) if width >= height else (short_side, long_side)


def aspect(ratio: str) -> tuple[int, int]:
    """``"16:9"`` → (16, 9)."""
    left, _, right = ratio.partition(":")
    return int(left), int(right)
