"""An MP4 reader for the tests, written from the specs (ISO/IEC 14496-12/-14/-15, H.264 7.3.2.1.1) and
independent of the emulator's writer, so a served video is checked by something that did not make it.

It reads what a player needs: the top-level layout, each track's handler, timescale, duration, sample
sizes, durations and file positions, the H.264 SPS (profile, level, cropped size) and the AAC config.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field


@dataclass
class Sps:
    profile: int
    constraints: int
    level: int
    width: int
    height: int


@dataclass
class TrackInfo:
    handler: str
    timescale: int
    duration: int
    codec: str
    width: int = 0
    height: int = 0
    sample_sizes: list[int] = field(default_factory=list)
    sample_durations: list[int] = field(default_factory=list)
    sample_offsets: list[int] = field(default_factory=list)
    sync_samples: list[int] | None = None
    sps: Sps | None = None
    audio_config: bytes = b""

    @property
    def seconds(self) -> float:
        return self.duration / self.timescale


@dataclass
class Mp4Info:
    top_level: list[str]
    movie_seconds: float
    tracks: list[TrackInfo]
    mdat: tuple[int, int]
    """(start, end) of the mdat payload in the file."""

    def track(self, handler: str) -> TrackInfo | None:
        return next((t for t in self.tracks if t.handler == handler), None)


def children(data: bytes, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """(type, payload start, payload end) of the boxes in ``data[start:end]``; every size must add up."""
    end = len(data) if end is None else end
    found = []
    pos = start
    while pos < end:
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1:
            (size,) = struct.unpack(">Q", data[pos + 8 : pos + 16])
            header = 16
        assert size >= header and pos + size <= end, f"box {kind!r} at {pos} overruns its parent"
        found.append((kind.decode("latin-1"), pos + header, pos + size))
        pos += size
    assert pos == end, "boxes do not fill their parent exactly"
    return found


def child(data: bytes, start: int, end: int, kind: str) -> tuple[int, int]:
    matches = [(s, e) for k, s, e in children(data, start, end) if k == kind]
    assert len(matches) == 1, f"expected one {kind} box, found {len(matches)}"
    return matches[0]


class _BitReader:
    def __init__(self, data: bytes) -> None:
        self.bits = "".join(format(byte, "08b") for byte in data)
        self.pos = 0

    def u(self, count: int) -> int:
        value = int(self.bits[self.pos : self.pos + count], 2)
        self.pos += count
        return value

    def ue(self) -> int:
        zeros = 0
        while self.bits[self.pos] == "0":
            zeros += 1
            self.pos += 1
        return self.u(zeros + 1) - 1


def unescape(nal: bytes) -> bytes:
    """Remove emulation prevention bytes (00 00 03 → 00 00)."""
    out = bytearray()
    zeros = 0
    for byte in nal:
        if zeros >= 2 and byte == 3:
            zeros = 0
            continue
        out.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return bytes(out)


def parse_sps(nal: bytes) -> Sps:
    assert nal[0] & 0x1F == 7, "not an SPS NAL unit"
    bits = _BitReader(unescape(nal[1:]))
    profile, constraints, level = bits.u(8), bits.u(8), bits.u(8)
    bits.ue()  # seq_parameter_set_id
    assert profile in (66, 77, 88), "the reader handles profiles without chroma_format_idc only"
    bits.ue()  # log2_max_frame_num_minus4
    poc_type = bits.ue()
    if poc_type == 0:
        bits.ue()
    assert poc_type != 1, "pic_order_cnt_type 1 is not handled here"
    bits.ue()  # max_num_ref_frames
    bits.u(1)  # gaps_in_frame_num_value_allowed_flag
    width_mbs, height_units = bits.ue() + 1, bits.ue() + 1
    frame_mbs_only = bits.u(1)
    if not frame_mbs_only:
        bits.u(1)
    bits.u(1)  # direct_8x8_inference_flag
    left = right = top = bottom = 0
    if bits.u(1):
        left, right, top, bottom = bits.ue(), bits.ue(), bits.ue(), bits.ue()
    unit_y = 2 * (2 - frame_mbs_only)
    width = 16 * width_mbs - 2 * (left + right)
    height = 16 * (2 - frame_mbs_only) * height_units - unit_y * (top + bottom)
    return Sps(profile, constraints, level, width, height)


def _full(data: bytes, start: int) -> tuple[int, int]:
    """(version, first content byte after version and flags)."""
    return data[start], start + 4


def _sample_tables(data: bytes, stbl: tuple[int, int], track: TrackInfo) -> None:
    _, pos = _full(data, child(data, *stbl, "stts")[0])
    (entries,) = struct.unpack(">I", data[pos : pos + 4])
    for i in range(entries):
        count, delta = struct.unpack(">II", data[pos + 4 + 8 * i : pos + 12 + 8 * i])
        track.sample_durations += [delta] * count
    _, pos = _full(data, child(data, *stbl, "stsz")[0])
    uniform, count = struct.unpack(">II", data[pos : pos + 8])
    track.sample_sizes = (
        [uniform] * count if uniform else list(struct.unpack(f">{count}I", data[pos + 8 : pos + 8 + 4 * count]))
    )
    _, pos = _full(data, child(data, *stbl, "stco")[0])
    (chunk_count,) = struct.unpack(">I", data[pos : pos + 4])
    chunk_offsets = struct.unpack(f">{chunk_count}I", data[pos + 4 : pos + 4 + 4 * chunk_count])
    _, pos = _full(data, child(data, *stbl, "stsc")[0])
    (entries,) = struct.unpack(">I", data[pos : pos + 4])
    runs = [struct.unpack(">III", data[pos + 4 + 12 * i : pos + 16 + 12 * i]) for i in range(entries)]
    sample = 0
    for chunk in range(1, chunk_count + 1):
        per_chunk = next(n for first, n, _ in reversed(runs) if first <= chunk)
        offset = chunk_offsets[chunk - 1]
        for _ in range(per_chunk):
            track.sample_offsets.append(offset)
            offset += track.sample_sizes[sample]
            sample += 1
    stss = [s for k, s, _ in children(data, *stbl) if k == "stss"]
    if stss:
        _, pos = _full(data, stss[0])
        (count,) = struct.unpack(">I", data[pos : pos + 4])
        track.sync_samples = list(struct.unpack(f">{count}I", data[pos + 4 : pos + 4 + 4 * count]))


def _sample_entry(data: bytes, stbl: tuple[int, int], track: TrackInfo) -> None:
    _, pos = _full(data, child(data, *stbl, "stsd")[0])
    (kind, start, end) = children(data, pos + 4, child(data, *stbl, "stsd")[1])[0]
    track.codec = kind
    if kind == "avc1":
        track.width, track.height = struct.unpack(">HH", data[start + 24 : start + 28])
        avcc_start, _ = child(data, start + 78, end, "avcC")
        assert data[avcc_start] == 1 and data[avcc_start + 4] & 3 == 3, "avcC version 1 with 4-byte lengths"
        assert data[avcc_start + 5] & 0x1F == 1, "one SPS"
        (sps_length,) = struct.unpack(">H", data[avcc_start + 6 : avcc_start + 8])
        track.sps = parse_sps(data[avcc_start + 8 : avcc_start + 8 + sps_length])
    elif kind == "mp4a":
        esds_start, esds_end = child(data, start + 28, end, "esds")
        tag, es = _descriptor(data[esds_start + 4 : esds_end])
        assert tag == 0x03, "esds must hold an ES_Descriptor"
        flags = es[2]
        skip = 3 + (2 if flags & 0x80 else 0) + (1 + es[3] if flags & 0x40 else 0) + (2 if flags & 0x20 else 0)
        tag, decoder_config = _descriptor(es[skip:])
        assert tag == 0x04 and decoder_config[0] == 0x40, "DecoderConfigDescriptor for MPEG-4 audio"
        tag, track.audio_config = _descriptor(decoder_config[13:])
        assert tag == 0x05, "DecoderSpecificInfo"


def _timescale_and_duration(data: bytes, start: int) -> tuple[int, int]:
    """Of an mvhd or mdhd: version 1 has 64-bit creation/modification times and duration."""
    version, pos = _full(data, start)
    if version == 1:
        timescale, duration = struct.unpack(">IQ", data[pos + 16 : pos + 28])
    else:
        timescale, duration = struct.unpack(">II", data[pos + 8 : pos + 16])
    return int(timescale), int(duration)


def _descriptor(buf: bytes) -> tuple[int, bytes]:
    """(tag, payload) of the MPEG-4 descriptor at the start of ``buf`` (lengths of 1-4 bytes, 7 bits each)."""
    length = 0
    pos = 1
    while True:
        byte = buf[pos]
        length = (length << 7) | (byte & 0x7F)
        pos += 1
        if not byte & 0x80:
            break
    return buf[0], buf[pos : pos + length]


def read_mp4(data: bytes) -> Mp4Info:
    top = children(data)
    moov = next((s, e) for k, s, e in top if k == "moov")
    mdat = next((s, e) for k, s, e in top if k == "mdat")
    timescale, duration = _timescale_and_duration(data, child(data, *moov, "mvhd")[0])
    tracks = []
    for kind, start, end in children(data, *moov):
        if kind != "trak":
            continue
        mdia = child(data, start, end, "mdia")
        track_scale, track_duration = _timescale_and_duration(data, child(data, *mdia, "mdhd")[0])
        handler = data[child(data, *mdia, "hdlr")[0] + 8 : child(data, *mdia, "hdlr")[0] + 12].decode()
        track = TrackInfo(handler, track_scale, track_duration, "")
        stbl = child(data, *child(data, *mdia, "minf"), "stbl")
        _sample_entry(data, stbl, track)
        _sample_tables(data, stbl, track)
        tracks.append(track)
    return Mp4Info([k for k, _, _ in top], duration / timescale, tracks, mdat)
