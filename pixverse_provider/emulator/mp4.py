"""Writing ISO-BMFF (MP4) files from samples held in memory: boxes, sample entries and a muxer.

``write_mp4`` lays a file out "faststart" (ftyp, moov, mdat) with the samples of all tracks interleaved
in one-second chunks, and the sample tables every player reads: stts (durations), stss (key frames),
stsc (samples per chunk), stsz (sizes) and stco (chunk offsets). It is small enough to serve the
emulator's generated videos and the empty test files of ``synthetic.make_mp4_with_duration``.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["IDENTITY_MATRIX", "Track", "avc1_entry", "avcc_box", "box", "full_box", "mp4a_entry", "write_mp4"]

MOVIE_TIMESCALE = 1000
"""The ``mvhd`` timescale: movie and track-header durations are in milliseconds."""
IDENTITY_MATRIX = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
_LANGUAGE_UND = 0x55C4
_HANDLER_NAMES = {b"vide": b"VideoHandler\x00", b"soun": b"SoundHandler\x00"}


def box(box_type: bytes, *parts: bytes) -> bytes:
    """One ISO-BMFF box: 32-bit size, type, content."""
    content = b"".join(parts)
    return struct.pack(">I4s", 8 + len(content), box_type) + content


def full_box(box_type: bytes, version: int, flags: int, *parts: bytes) -> bytes:
    """An ISO-BMFF full box: a box whose content starts with version (8 bits) and flags (24 bits)."""
    return box(box_type, struct.pack(">I", (version << 24) | flags), *parts)


@dataclass(frozen=True)
class Track:
    """One track of a file to write.

    :param handler: ``b"vide"`` or ``b"soun"``.
    :param timescale: units per second of the sample durations.
    :param sample_entry: the ``stsd`` entry (``avc1_entry``, ``mp4a_entry``).
    :param samples: the coded samples, in decoding order.
    :param durations: each sample's duration in ``timescale`` units.
    :param sync_samples: 1-based numbers of the key frames; None when every sample is one (no ``stss``).
    :param width: display width of a video track (0 for audio).
    :param height: display height of a video track (0 for audio).
    :param duration: the track's duration in ``timescale`` units; by default the sum of ``durations``.
    """

    handler: bytes
    timescale: int
    sample_entry: bytes
    samples: Sequence[bytes] = ()
    durations: Sequence[int] = ()
    sync_samples: Sequence[int] | None = None
    width: int = 0
    height: int = 0
    duration: int | None = None

    @property
    def length(self) -> int:
        """The duration in ``timescale`` units."""
        return sum(self.durations) if self.duration is None else self.duration


def avc1_entry(width: int, height: int, avcc: bytes) -> bytes:
    """An H.264 visual sample entry; ``avcc`` is its ``avcC`` box (empty for a file without frames)."""
    return box(
        b"avc1",
        bytes(6),
        struct.pack(">H", 1),  # reserved, data reference index 1
        bytes(16),  # pre-defined and reserved
        struct.pack(">HHIIIH", width, height, 0x480000, 0x480000, 0, 1),  # 72 dpi, one frame per sample
        bytes(32),  # compressor name
        struct.pack(">Hh", 0x18, -1),  # depth 24, pre-defined -1
        avcc,
    )


def avcc_box(sps: bytes, pps: bytes) -> bytes:
    """``avcC``: version 1, profile, compatibility and level from the SPS, 4-byte NAL lengths, one SPS, one PPS."""
    return box(
        b"avcC",
        bytes([1, sps[1], sps[2], sps[3], 0xFF, 0xE1]),  # 0xFF: 4-byte lengths; 0xE1: one SPS
        struct.pack(">H", len(sps)),
        sps,
        bytes([1]),
        struct.pack(">H", len(pps)),
        pps,
    )


def _descriptor(tag: int, payload: bytes) -> bytes:
    """An MPEG-4 descriptor with a one-byte length (payloads here are always under 128 bytes)."""
    return bytes([tag, len(payload)]) + payload


def mp4a_entry(sample_rate: int, channels: int, audio_specific_config: bytes, bitrate: int) -> bytes:
    """An AAC audio sample entry with its ``esds`` (ISO/IEC 14496-1 ES descriptor)."""
    decoder_config = _descriptor(
        0x04,
        # objectTypeIndication 0x40 (MPEG-4 audio); streamType 5 (audio) << 2 | reserved 1; buffer; bitrates
        struct.pack(">BB", 0x40, 0x15)
        + (1536).to_bytes(3, "big")
        + struct.pack(">II", bitrate, bitrate)
        + _descriptor(0x05, audio_specific_config),  # DecoderSpecificInfo
    )
    es = _descriptor(0x03, struct.pack(">HB", 0, 0) + decoder_config + _descriptor(0x06, b"\x02"))
    return box(
        b"mp4a",
        bytes(6),
        struct.pack(">H", 1),  # reserved, data reference index 1
        bytes(8),  # reserved
        struct.pack(">HHHHI", channels, 16, 0, 0, sample_rate << 16),
        full_box(b"esds", 0, 0, es),
    )


def _times(created: int, track_id: int | None, timescale: int | None, duration: int) -> tuple[int, bytes]:
    """(version, time fields) of mvhd/tkhd/mdhd: version 1 (64-bit) only when the duration needs it."""
    version = 1 if duration >= 2**32 else 0
    head = struct.pack(">QQ" if version else ">II", created, created)
    # tkhd has the track ID and a reserved word before the duration; mvhd and mdhd the timescale.
    middle = struct.pack(">II", track_id, 0) if track_id is not None else struct.pack(">I", timescale or 0)
    return version, head + middle + struct.pack(">Q" if version else ">I", duration)


def _runs(values: Sequence[int]) -> list[tuple[int, int]]:
    """Run-length encode: [(count, value), ...]."""
    runs: list[tuple[int, int]] = []
    for value in values:
        if runs and runs[-1][1] == value:
            runs[-1] = (runs[-1][0] + 1, value)
        else:
            runs.append((1, value))
    return runs


def _stbl(track: Track, chunk_sizes: Sequence[int], chunk_offsets: Sequence[int]) -> bytes:
    stts = _runs(track.durations)
    stsc: list[tuple[int, int]] = []  # (first chunk, samples per chunk)
    for number, count in enumerate(chunk_sizes, start=1):
        if not stsc or stsc[-1][1] != count:
            stsc.append((number, count))
    sizes = [len(sample) for sample in track.samples]
    uniform = sizes[0] if sizes and len(set(sizes)) == 1 else 0
    parts = [
        full_box(b"stsd", 0, 0, struct.pack(">I", 1), track.sample_entry),
        full_box(b"stts", 0, 0, struct.pack(">I", len(stts)), *(struct.pack(">II", n, d) for n, d in stts)),
    ]
    if track.sync_samples is not None:
        sync = track.sync_samples
        parts.append(full_box(b"stss", 0, 0, struct.pack(">I", len(sync)), *(struct.pack(">I", n) for n in sync)))
    parts += [
        full_box(b"stsc", 0, 0, struct.pack(">I", len(stsc)), *(struct.pack(">III", f, n, 1) for f, n in stsc)),
        full_box(
            b"stsz",
            0,
            0,
            struct.pack(">II", uniform, len(sizes)),
            b"" if uniform else struct.pack(f">{len(sizes)}I", *sizes),
        ),
        full_box(
            b"stco", 0, 0, struct.pack(">I", len(chunk_offsets)), struct.pack(f">{len(chunk_offsets)}I", *chunk_offsets)
        ),
    ]
    return box(b"stbl", *parts)


def _trak(track_id: int, track: Track, chunk_sizes: Sequence[int], chunk_offsets: Sequence[int]) -> bytes:
    video = track.handler == b"vide"
    movie_duration = round(track.length * MOVIE_TIMESCALE / track.timescale)
    version, times = _times(0, track_id, None, movie_duration)
    tkhd = full_box(
        b"tkhd",
        version,
        0x3,  # enabled, in movie
        times,
        struct.pack(">8xHHHH", 0, 0 if video else 1, 0 if video else 0x100, 0),  # layer, group, volume
        IDENTITY_MATRIX,
        struct.pack(">II", track.width << 16, track.height << 16),
    )
    version, times = _times(0, None, track.timescale, track.length)
    mdhd = full_box(b"mdhd", version, 0, times, struct.pack(">HH", _LANGUAGE_UND, 0))
    hdlr = full_box(b"hdlr", 0, 0, struct.pack(">I4s12x", 0, track.handler), _HANDLER_NAMES[track.handler])
    header = full_box(b"vmhd", 0, 1, bytes(8)) if video else full_box(b"smhd", 0, 0, bytes(4))
    minf = box(
        b"minf",
        header,
        box(b"dinf", full_box(b"dref", 0, 0, struct.pack(">I", 1), full_box(b"url ", 0, 1))),
        _stbl(track, chunk_sizes, chunk_offsets),
    )
    return box(b"trak", tkhd, box(b"mdia", mdhd, hdlr, minf))


def _chunks(track: Track, chunk_seconds: float) -> list[tuple[int, int, int]]:
    """Split a track's samples by start time: [(chunk number in time, first sample, sample count)]."""
    chunks: list[tuple[int, int, int]] = []
    start = 0
    for index, duration in enumerate(track.durations):
        slot = int(start / (track.timescale * chunk_seconds))
        if chunks and chunks[-1][0] == slot:
            chunks[-1] = (slot, chunks[-1][1], chunks[-1][2] + 1)
        else:
            chunks.append((slot, index, 1))
        start += duration
    return chunks


def _moov(tracks: Sequence[Track], layout: Sequence[list[tuple[int, int, int]]], offsets: Sequence[list[int]]) -> bytes:
    movie_duration = max((round(t.length * MOVIE_TIMESCALE / t.timescale) for t in tracks), default=0)
    version, times = _times(0, None, MOVIE_TIMESCALE, movie_duration)
    mvhd = full_box(
        b"mvhd",
        version,
        0,
        times,
        struct.pack(">IH10x", 0x10000, 0x100),  # rate 1.0, volume 1.0, reserved
        IDENTITY_MATRIX,
        bytes(24),  # pre-defined
        struct.pack(">I", len(tracks) + 1),  # next track ID
    )
    traks = (
        _trak(number, track, [count for _, _, count in chunks], track_offsets)
        for number, (track, chunks, track_offsets) in enumerate(zip(tracks, layout, offsets, strict=True), start=1)
    )
    return box(b"moov", mvhd, *traks)


def write_mp4(tracks: Sequence[Track], chunk_seconds: float = 1.0) -> bytes:
    """A whole MP4 file: ftyp, moov, then mdat with each second of every track in its own chunk."""
    for track in tracks:
        if len(track.samples) != len(track.durations):
            raise ValueError("a track needs one duration per sample")
    layout = [_chunks(track, chunk_seconds) for track in tracks]
    order = sorted(
        (slot, number, first, count) for number, chunks in enumerate(layout) for slot, first, count in chunks
    )
    ftyp = box(b"ftyp", b"isom", struct.pack(">I", 0x200), b"isom", b"iso2", b"avc1", b"mp41")
    placeholder = [[0] * len(chunks) for chunks in layout]
    data_start = len(ftyp) + len(_moov(tracks, layout, placeholder)) + 8  # the offsets do not change the size
    offsets: list[list[int]] = [[] for _ in tracks]
    payload: list[bytes] = []
    position = data_start
    for _, number, first, count in order:
        offsets[number].append(position)
        chunk = b"".join(tracks[number].samples[first : first + count])
        payload.append(chunk)
        position += len(chunk)
    if position >= 2**32:
        raise ValueError("the file would need 64-bit chunk offsets")
    return ftyp + _moov(tracks, layout, offsets) + box(b"mdat", *payload)
