"""Tests for the emulator's media probing and generators (pixverse_provider.emulator.probe and .synthetic)."""

from __future__ import annotations

import struct
import tracemalloc
from typing import TYPE_CHECKING

import pytest

from pixverse_provider.emulator.probe import ImageInfo, MediaInfo, iter_boxes, probe_image, probe_media
from pixverse_provider.emulator.synthetic import (
    make_jpeg,
    make_mp4_with_duration,
    make_png,
    make_wav,
    make_webp,
    sample_mp4,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

HEAD = 64 * 1024  # what the emulator keeps of an upload
SIXTY_MB = 60 * 1024 * 1024

# The preview video is what a default text-to-video gives: 540p 16:9 (960x540), 5 s, no sound.
SAMPLE_INFO = MediaInfo("video", "mp4", 5.0, 960, 540)

IMAGE_MAKERS: dict[str, Callable[[int, int], bytes]] = {
    "png": make_png,
    "jpeg": make_jpeg,
    "webp": make_webp,
}


def _write(tmp_path: Path, data: bytes, name: str = "upload.bin") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _boxes(data: bytes) -> dict[str, bytes]:
    """Top-level boxes of ``data`` by type, as raw bytes (header included)."""
    return {box_type: data[offset : offset + size] for box_type, offset, size in iter_boxes(data)}


# ---- sample video ------------------------------------------------------------------------------------


def test_sample_mp4_is_a_small_file_with_ftyp_then_moov_before_mdat() -> None:
    data = sample_mp4()
    types = [box_type for box_type, _, _ in iter_boxes(data)]
    assert len(data) < 8 * 1024
    assert types[0] == "ftyp"
    assert "moov" in types and "mdat" in types
    assert types.index("moov") < types.index("mdat")  # faststart
    assert sum(size for _, _, size in iter_boxes(data)) == len(data)


def test_sample_mp4_is_h264() -> None:
    moov = _boxes(sample_mp4())["moov"]
    assert b"avc1" in moov and b"avcC" in moov


def test_probe_media_reads_sample_duration_and_size(tmp_path: Path) -> None:
    path = _write(tmp_path, sample_mp4(), "result.mp4")
    assert probe_media(path) == SAMPLE_INFO


def test_probe_media_reads_sample_with_moov_after_mdat(tmp_path: Path) -> None:
    boxes = _boxes(sample_mp4())
    path = _write(tmp_path, boxes["ftyp"] + boxes["mdat"] + boxes["moov"])
    assert probe_media(path) == SAMPLE_INFO


# ---- images ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(IMAGE_MAKERS))
@pytest.mark.parametrize(("width", "height"), [(1, 1), (4001, 10), (10, 4001), (640, 360)])
def test_probe_image_reads_generated_sizes(fmt: str, width: int, height: int) -> None:
    data = IMAGE_MAKERS[fmt](width, height)
    assert probe_image(data) == ImageInfo(fmt, width, height)


@pytest.mark.parametrize(("fmt", "side"), [("png", 4000), ("jpeg", 8000)])
def test_probe_image_needs_only_the_head_of_a_large_image(fmt: str, side: int) -> None:
    data = IMAGE_MAKERS[fmt](side, side)
    assert len(data) > HEAD
    assert probe_image(data[:HEAD]) == ImageInfo(fmt, side, side)


def test_make_png_fills_the_requested_colour() -> None:
    import zlib

    data = make_png(3, 2, (1, 2, 3))
    idat_start = data.index(b"IDAT") + 4
    (idat_length,) = struct.unpack(">I", data[idat_start - 8 : idat_start - 4])
    raw = zlib.decompress(data[idat_start : idat_start + idat_length])
    assert raw == (b"\x00" + bytes((1, 2, 3)) * 3) * 2


@pytest.mark.parametrize("data", [b"", b"garbage", b"\x89PNG", b"RIFF\x00\x00\x00\x00WEBP", bytes(100)])
def test_probe_image_rejects_unreadable_data(data: bytes) -> None:
    assert probe_image(data) is None


def test_probe_image_rejects_truncated_png_head() -> None:
    data = make_png(100, 50)
    assert probe_image(data[:33]) == ImageInfo("png", 100, 50)  # signature + whole IHDR suffices
    assert probe_image(data[:20]) is None
    assert probe_image(data[:32]) is None


def test_probe_image_rejects_png_with_bad_ihdr_crc() -> None:
    data = bytearray(make_png(100, 50))
    data[19] ^= 0x01  # width changes, CRC does not
    assert probe_image(bytes(data)) is None


def test_probe_image_rejects_jpeg_cut_before_its_frame_header() -> None:
    data = make_jpeg(320, 240)
    sof = data.index(b"\xff\xc0")
    assert probe_image(data[: sof + 9]) == ImageInfo("jpeg", 320, 240)
    assert probe_image(data[:sof]) is None
    assert probe_image(data[: sof + 6]) is None


def test_probe_image_walks_jpeg_segments_to_the_first_sof() -> None:
    data = make_jpeg(123, 45)
    # An APP1 segment (like EXIF) and a DHT segment whose bytes would read as a size if taken for SOF.
    app1 = b"\xff\xe1" + struct.pack(">H", 5002) + b"Exif\x00\x00" + bytes(4994)
    dht = b"\xff\xc4" + struct.pack(">H", 9) + b"\x00\x02\x00\x03\x00\x04\x00"
    padded = data[:2] + app1 + dht + b"\xff\xff" + data[2:]  # fill bytes before a marker are allowed
    assert probe_image(padded) == ImageInfo("jpeg", 123, 45)


def test_probe_image_reads_progressive_jpeg() -> None:
    data = make_jpeg(800, 600).replace(b"\xff\xc0", b"\xff\xc2", 1)
    assert probe_image(data) == ImageInfo("jpeg", 800, 600)


def test_probe_image_rejects_jpeg_with_scan_before_frame_header() -> None:
    data = make_jpeg(8, 8)
    sos = data.index(b"\xff\xda")
    assert probe_image(data[:2] + data[sos:]) is None


def test_probe_image_reads_lossy_vp8_webp() -> None:
    frame = b"\x10\x02\x00" + b"\x9d\x01\x2a" + struct.pack("<HH", 1920, 1080) + bytes(20)
    data = b"RIFF" + struct.pack("<I", 12 + len(frame)) + b"WEBP" + b"VP8 " + struct.pack("<I", len(frame))
    assert probe_image(data + frame) == ImageInfo("webp", 1920, 1080)
    assert probe_image(data + b"\x10\x02\x00\x00\x00\x00" + frame[6:]) is None  # no start code


def test_probe_image_reads_extended_vp8x_webp() -> None:
    payload = b"\x10\x00\x00\x00" + (5000 - 1).to_bytes(3, "little") + (3000 - 1).to_bytes(3, "little")
    data = b"RIFF" + struct.pack("<I", 4 + 8 + len(payload)) + b"WEBP" + b"VP8X"
    assert probe_image(data + struct.pack("<I", len(payload)) + payload) == ImageInfo("webp", 5000, 3000)


@pytest.mark.parametrize("maker", [make_png, make_jpeg, make_webp])
def test_generators_reject_impossible_sizes(maker: Callable[[int, int], bytes]) -> None:
    with pytest.raises(ValueError):
        maker(0, 10)


def test_make_webp_rejects_sizes_vp8l_cannot_carry() -> None:
    assert probe_image(make_webp(16384, 16384)) == ImageInfo("webp", 16384, 16384)
    with pytest.raises(ValueError):
        make_webp(16385, 10)


def test_generators_are_deterministic() -> None:
    assert make_png(7, 5) == make_png(7, 5)
    assert make_jpeg(7, 5) == make_jpeg(7, 5)
    assert make_webp(7, 5) == make_webp(7, 5)
    assert make_mp4_with_duration(3) == make_mp4_with_duration(3)


# ---- audio and video ---------------------------------------------------------------------------------


def test_probe_media_reads_wav_duration(tmp_path: Path) -> None:
    path = _write(tmp_path, make_wav(31.5), "voice.wav")
    assert probe_media(path) == MediaInfo("audio", "wav", 31.5, None, None)


def test_probe_media_reads_wav_duration_at_another_rate(tmp_path: Path) -> None:
    path = _write(tmp_path, make_wav(2.0, sample_rate=44100))
    assert probe_media(path) == MediaInfo("audio", "wav", 2.0, None, None)


def test_probe_media_reads_generated_mp4_duration_and_size(tmp_path: Path) -> None:
    assert probe_media(_write(tmp_path, make_mp4_with_duration(45))) == MediaInfo("video", "mp4", 45.0, 320, 180)
    path = _write(tmp_path, make_mp4_with_duration(4.5, 1080, 1920), "portrait.mp4")
    assert probe_media(path) == MediaInfo("video", "mp4", 4.5, 1080, 1920)


def test_probe_media_reads_64_bit_mvhd(tmp_path: Path) -> None:
    seconds = 5_000_000  # 5e9 ms does not fit 32 bits: version 1 boxes
    data = make_mp4_with_duration(seconds)
    assert _boxes(data)["moov"][16] == 1  # mvhd version byte
    assert probe_media(_write(tmp_path, data)) == MediaInfo("video", "mp4", float(seconds), 320, 180)


@pytest.mark.parametrize(("brand", "expected"), [(b"qt  ", "mov"), (b"mp42", "mp4"), (b"M4A ", "m4a")])
def test_probe_media_names_the_format_from_the_ftyp_brand(tmp_path: Path, brand: bytes, expected: str) -> None:
    data = make_mp4_with_duration(3).replace(b"ftypisom", b"ftyp" + brand, 1)
    info = probe_media(_write(tmp_path, data))
    assert info is not None
    assert (info.format, info.duration_seconds) == (expected, 3.0)


def test_probe_media_hints_do_not_turn_a_video_into_audio(tmp_path: Path) -> None:
    path = _write(tmp_path, make_mp4_with_duration(3))
    info = probe_media(path, filename="song.m4a", content_type="audio/mp4")
    assert info == MediaInfo("video", "mp4", 3.0, 320, 180)


def test_probe_media_reports_mp4_without_moov_with_unknown_duration(tmp_path: Path) -> None:
    ftyp = _boxes(make_mp4_with_duration(3))["ftyp"]
    mdat_header = struct.pack(">I4s", 1000, b"mdat")  # declares more than the file holds
    assert probe_media(_write(tmp_path, ftyp + mdat_header + bytes(10))) == MediaInfo("video", "mp4", None, None, None)


@pytest.mark.parametrize(
    "head",
    [
        b"ID3\x04\x00\x00\x00\x00\x00\x0a" + bytes(10) + b"\xff\xfb\x90\x64",  # ID3v2 tag, then an MP3 frame
        b"ID3\x03\x00\x00\x00\x00\x00\x00",  # tag only
        b"\xff\xfb\x90\x64" + bytes(400),  # MPEG-1 layer III frame
        b"\xff\xf3\x40\xc4" + bytes(400),  # MPEG-2 layer III frame
    ],
)
def test_probe_media_detects_mp3(tmp_path: Path, head: bytes) -> None:
    assert probe_media(_write(tmp_path, head, "a.mp3")) == MediaInfo("audio", "mp3", None, None, None)


@pytest.mark.parametrize(
    "head",
    [
        b"\xff\xf1\x50\x80\x02\x1f\xfc" + bytes(100),  # ADTS, MPEG-4, no CRC
        b"\xff\xf9\x50\x80\x02\x1f\xfc" + bytes(100),  # ADTS, MPEG-2, no CRC
        b"ID3\x04\x00\x00\x00\x00\x00\x00\xff\xf1\x50\x80",  # ID3 tag before ADTS frames
    ],
)
def test_probe_media_detects_adts_aac(tmp_path: Path, head: bytes) -> None:
    assert probe_media(_write(tmp_path, head)) == MediaInfo("audio", "aac", None, None, None)


@pytest.mark.parametrize(
    "data",
    [b"", b"garbage", b"\xff\xfa", bytes(1000), b"RIFF\x00\x00\x00\x00AVI LIST", make_png(4, 4), make_jpeg(8, 8)],
)
def test_probe_media_rejects_unrecognised_content(tmp_path: Path, data: bytes) -> None:
    assert probe_media(_write(tmp_path, data)) is None


# ---- WebM ----------------------------------------------------------------------------------------------


def _ebml(element_id: int, payload: bytes) -> bytes:
    """An EBML element with an 8-byte size field."""
    id_bytes = element_id.to_bytes((element_id.bit_length() + 7) // 8, "big")
    return id_bytes + b"\x01" + len(payload).to_bytes(7, "big") + payload


def _webm(doc_type: bytes, *, video: bool) -> bytes:
    header = _ebml(0x1A45DFA3, _ebml(0x4286, b"\x01") + _ebml(0x4282, doc_type))
    info = _ebml(
        0x1549A966, _ebml(0x2AD7B1, (1_000_000).to_bytes(3, "big")) + _ebml(0x4489, struct.pack(">d", 12345.0))
    )
    video_track = _ebml(0xE0, _ebml(0xB0, (640).to_bytes(2, "big")) + _ebml(0xBA, (360).to_bytes(2, "big")))
    tracks = _ebml(0xAE, _ebml(0xD7, b"\x01") + _ebml(0x83, b"\x02"))  # audio track
    if video:
        tracks += _ebml(0xAE, _ebml(0xD7, b"\x02") + _ebml(0x83, b"\x01") + video_track)
    segment_children = info + _ebml(0x1654AE6B, tracks) + _ebml(0x1F43B675, bytes(64))
    return header + b"\x18\x53\x80\x67" + b"\x01\xff\xff\xff\xff\xff\xff\xff" + segment_children  # unknown size


def test_probe_media_reads_webm_duration_and_video_size(tmp_path: Path) -> None:
    info = probe_media(_write(tmp_path, _webm(b"webm", video=True)))
    assert info is not None
    assert (info.kind, info.format, info.width, info.height) == ("video", "webm", 640, 360)
    assert info.duration_seconds == pytest.approx(12.345)


def test_probe_media_reads_audio_only_webm_as_audio(tmp_path: Path) -> None:
    info = probe_media(_write(tmp_path, _webm(b"webm", video=False)))
    assert info is not None
    assert (info.kind, info.format, info.width, info.height) == ("audio", "webm", None, None)
    assert info.duration_seconds == pytest.approx(12.345)


def test_probe_media_rejects_matroska_that_is_not_webm(tmp_path: Path) -> None:
    assert probe_media(_write(tmp_path, _webm(b"matroska", video=True))) is None


# ---- large files -------------------------------------------------------------------------------------


def _sparse_mp4(path: Path, *, moov_last: bool, large_size: bool) -> None:
    """A 60 MB MP4 whose mdat is a hole: ftyp, then moov and mdat in either order."""
    boxes = _boxes(make_mp4_with_duration(28.5, 1280, 720))
    ftyp, moov = boxes["ftyp"], boxes["moov"]
    mdat_size = SIXTY_MB - len(ftyp) - len(moov)
    mdat_header = struct.pack(">I4sQ", 1, b"mdat", mdat_size) if large_size else struct.pack(">I4s", mdat_size, b"mdat")
    with path.open("wb") as f:
        f.write(ftyp)
        if moov_last:
            f.write(mdat_header)
            f.seek(len(ftyp) + mdat_size)
            f.write(moov)
        else:
            f.write(moov + mdat_header)
            f.truncate(SIXTY_MB)
    assert path.stat().st_size == SIXTY_MB


@pytest.mark.parametrize(("moov_last", "large_size"), [(False, False), (True, False), (True, True)])
def test_probe_media_seeks_over_a_60_mb_mdat(tmp_path: Path, moov_last: bool, large_size: bool) -> None:
    path = tmp_path / "big.mp4"
    _sparse_mp4(path, moov_last=moov_last, large_size=large_size)
    tracemalloc.start()
    try:
        info = probe_media(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info == MediaInfo("video", "mp4", 28.5, 1280, 720)
    assert peak < 5 * 1024 * 1024


def test_iter_boxes_clips_a_box_that_runs_past_the_data() -> None:
    data = struct.pack(">I4s", 16, b"ftyp") + b"isom" + bytes(4) + struct.pack(">I4s", 1000, b"mdat") + bytes(8)
    assert iter_boxes(data) == [("ftyp", 0, 16), ("mdat", 16, 16)]
    assert iter_boxes(b"garbage") == []
