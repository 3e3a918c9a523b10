"""The emulator's generated videos are honest files: the asked frame size, length and sound, and they play.

Each file is read back by ``mp4_reader`` (written from the specs, independent of the writer) and, where
ffmpeg is installed, by ffprobe and a full ffmpeg decode.
"""

from __future__ import annotations

import json
import math
import shutil
import struct
import subprocess
from typing import TYPE_CHECKING

import pytest

from pixverse_provider.emulator.videos import generated_video

from .mp4_reader import read_mp4

if TYPE_CHECKING:
    from pathlib import Path

FFMPEG = shutil.which("ffmpeg")
FFPROBE = shutil.which("ffprobe")
needs_ffmpeg = pytest.mark.skipif(FFMPEG is None or FFPROBE is None, reason="ffmpeg/ffprobe are not installed")

# (width, height, seconds, audio): every quality and shape PixVerse gives, sizes that need cropping
# (540 and 1080 are not multiples of 16), 21:9, a source-kept odd-length duration, and the smallest size.
CASES = [
    (960, 540, 5.0, False),
    (640, 360, 8.0, True),
    (1280, 720, 5.0, True),
    (1920, 1080, 10.0, True),
    (1080, 1920, 8.0, False),
    (720, 960, 5.0, False),
    (540, 540, 1.0, True),
    (2520, 1080, 5.0, False),
    (960, 540, 4.37, True),
    (2, 2, 0.5, True),
]


def _case_id(case: tuple[int, int, float, bool]) -> str:
    width, height, seconds, audio = case
    return f"{width}x{height}-{seconds:g}s-{'sound' if audio else 'silent'}"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_the_file_has_the_asked_size_length_and_sound(case: tuple[int, int, float, bool]) -> None:
    width, height, seconds, audio = case
    info = read_mp4(generated_video(width, height, seconds, audio))
    assert info.top_level == ["ftyp", "moov", "mdat"]  # faststart: a player can start before the end
    assert info.movie_seconds == seconds

    video = info.track("vide")
    assert video is not None and video.codec == "avc1"
    assert video.sps is not None
    assert (video.sps.width, video.sps.height) == (width, height) == (video.width, video.height)
    assert (video.sps.profile, video.sps.constraints) == (66, 0xC0)  # Constrained Baseline
    assert video.seconds == seconds == sum(video.sample_durations) / video.timescale
    assert len(video.sample_sizes) == math.ceil(seconds * 24)
    assert video.sync_samples == [1]

    sound = info.track("soun")
    assert (sound is not None) == audio
    if sound is not None:
        assert sound.codec == "mp4a"
        assert sound.audio_config[0] >> 3 == 2  # AAC LC
        assert sound.seconds == seconds == sum(sound.sample_durations) / sound.timescale
    assert len(info.tracks) == 1 + audio


@pytest.mark.parametrize("case", CASES[:4], ids=_case_id)
def test_every_sample_lies_in_mdat_and_holds_whole_nal_units(case: tuple[int, int, float, bool]) -> None:
    data = generated_video(*case)
    info = read_mp4(data)
    start, end = info.mdat
    video = info.track("vide")
    assert video is not None
    nal_types = []
    for offset, size in zip(video.sample_offsets, video.sample_sizes, strict=True):
        assert start <= offset and offset + size <= end
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        assert length + 4 == size  # one NAL unit per frame, with its 4-byte length
        nal_types.append(data[offset + 4] & 0x1F)
    assert nal_types == [5] + [1] * (len(nal_types) - 1)  # an IDR picture, then P slices
    for track in info.tracks:
        assert all(start <= o and o + s <= end for o, s in zip(track.sample_offsets, track.sample_sizes, strict=True))
    used = sum(sum(track.sample_sizes) for track in info.tracks)
    assert used == end - start  # mdat holds the samples and nothing else


def test_files_stay_small() -> None:
    assert len(generated_video(1920, 1080, 30, True)) < 64 * 1024
    assert len(generated_video(960, 540, 5, False)) < 8 * 1024


def test_the_same_request_gives_the_same_cached_file() -> None:
    assert generated_video(960, 540, 5, True) is generated_video(960, 540, 5.0, True)
    assert generated_video(960, 540, 5, True) != generated_video(960, 540, 5, False)


@pytest.mark.parametrize(
    ("width", "height", "seconds"), [(961, 540, 5), (960, 541, 5), (0, 540, 5), (9000, 540, 5), (960, 540, 0)]
)
def test_impossible_videos_are_refused(width: int, height: int, seconds: float) -> None:
    with pytest.raises(ValueError):
        generated_video(width, height, seconds, False)


# ---- read and decoded by ffmpeg ------------------------------------------------------------------------


def _ffprobe(path: Path) -> dict[str, object]:
    command = [str(FFPROBE), "-v", "error", "-count_frames", "-show_streams", "-show_format", "-of", "json", str(path)]
    result: dict[str, object] = json.loads(subprocess.run(command, capture_output=True, check=True, text=True).stdout)
    return result


@needs_ffmpeg
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_ffprobe_reads_the_asked_size_length_and_sound(case: tuple[int, int, float, bool], tmp_path: Path) -> None:
    width, height, seconds, audio = case
    path = tmp_path / "video.mp4"
    path.write_bytes(generated_video(width, height, seconds, audio))
    probe = _ffprobe(path)
    streams = {s["codec_type"]: s for s in probe["streams"]}  # type: ignore[attr-defined]
    assert set(streams) == ({"video", "audio"} if audio else {"video"})
    video = streams["video"]
    assert (video["codec_name"], video["profile"], video["pix_fmt"]) == ("h264", "Constrained Baseline", "yuv420p")
    assert (video["width"], video["height"]) == (width, height)
    assert float(video["duration"]) == pytest.approx(seconds, abs=1e-6)
    assert int(video["nb_read_frames"]) == math.ceil(seconds * 24)
    assert float(probe["format"]["duration"]) == pytest.approx(seconds, abs=1e-6)  # type: ignore[index]
    assert int(probe["format"]["size"]) == path.stat().st_size  # type: ignore[index]
    if audio:
        sound = streams["audio"]
        assert (sound["codec_name"], sound["profile"], sound["sample_rate"]) == ("aac", "LC", "48000")
        assert float(sound["duration"]) == pytest.approx(seconds, abs=1e-6)


@needs_ffmpeg
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_ffmpeg_decodes_every_frame_without_an_error(case: tuple[int, int, float, bool], tmp_path: Path) -> None:
    path = tmp_path / "video.mp4"
    path.write_bytes(generated_video(*case))
    result = subprocess.run(
        [str(FFMPEG), "-v", "warning", "-i", str(path), "-f", "null", "-"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert result.stderr == ""  # no error, no warning
