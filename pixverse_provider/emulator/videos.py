"""The videos the emulator serves: real MP4 files with the frame size, length and sound a job asked for.

A generated video is H.264 (``h264.encode_still``: a grey picture held for every frame) at 24 fps and,
when the job has sound, a silent AAC-LC track (48 kHz mono). Both tracks last exactly the asked length,
to the millisecond: the last frame and the last audio frame are shortened to fit. A 1080p video of 10 s
with sound is about 25 KB; files are built in pure Python in milliseconds and cached per
(width, height, milliseconds, audio).
"""

from __future__ import annotations

import functools
import struct
from typing import TYPE_CHECKING

from pixverse_provider.emulator import h264
from pixverse_provider.emulator.mp4 import Track, avc1_entry, avcc_box, mp4a_entry, write_mp4

if TYPE_CHECKING:
    from pixverse_provider.emulator.records import Job

__all__ = ["FRAME_RATE", "generated_video", "job_video"]

FRAME_RATE = 24
VIDEO_TIMESCALE = FRAME_RATE * 1000
"""Units per second of the video track: a frame is 1000 units and a millisecond 24, so both are exact."""
AUDIO_RATE = 48_000
AAC_FRAME_SAMPLES = 1024
AUDIO_SPECIFIC_CONFIG = bytes([0x11, 0x88])
"""ISO/IEC 14496-3 AudioSpecificConfig: object type 2 (AAC LC), frequency index 3 (48 kHz), 1 channel."""
SILENT_AAC_FRAME = bytes([0x00, 0xC8, 0x00, 0x07])
"""One raw AAC-LC frame of silence: a single-channel element (tag 0, global gain 100, one long window,
max_sfb 0 so no spectral data, no pulse/TNS/gain control), then the END element and zero padding."""
CACHED_VIDEOS = 32


def _durations(total: int, step: int) -> tuple[int, ...]:
    """``total`` cut into samples of ``step`` units, the last one shorter if it does not divide evenly."""
    whole, rest = divmod(total, step)
    return (step,) * whole + ((rest,) if rest else ())


def generated_video(width: int, height: int, seconds: float, audio: bool) -> bytes:
    """An MP4 of ``width`` x ``height`` (even numbers) lasting ``seconds`` (> 0, to the millisecond, at least 1 ms),
    with a silent AAC track if ``audio``. The same arguments always give the same bytes (cached)."""
    if not seconds > 0:
        raise ValueError(f"a video must last more than 0 s, got {seconds} s")
    return _video(width, height, max(1, round(seconds * 1000)), audio)


def job_video(job: Job) -> bytes:
    """The file a finished video job serves: its output frame, duration and sound."""
    return generated_video(job.width, job.height, job.duration, job.has_audio)


@functools.lru_cache(maxsize=CACHED_VIDEOS)
def _video(width: int, height: int, milliseconds: int, audio: bool) -> bytes:
    frame_durations = _durations(milliseconds * VIDEO_TIMESCALE // 1000, 1000)
    stream = h264.encode_still(width, height, len(frame_durations), FRAME_RATE)
    tracks = [
        Track(
            b"vide",
            VIDEO_TIMESCALE,
            avc1_entry(width, height, avcc_box(stream.sps, stream.pps)),
            samples=[struct.pack(">I", len(frame)) + frame for frame in stream.frames],
            durations=frame_durations,
            sync_samples=(1,),
            width=width,
            height=height,
        )
    ]
    if audio:
        audio_durations = _durations(milliseconds * AUDIO_RATE // 1000, AAC_FRAME_SAMPLES)
        bitrate = len(SILENT_AAC_FRAME) * 8 * AUDIO_RATE // AAC_FRAME_SAMPLES
        tracks.append(
            Track(
                b"soun",
                AUDIO_RATE,
                mp4a_entry(AUDIO_RATE, 1, AUDIO_SPECIFIC_CONFIG, bitrate),
                samples=[SILENT_AAC_FRAME] * len(audio_durations),
                durations=audio_durations,
            )
        )
    return write_mp4(tracks)
