"""A tiny H.264 encoder for the emulator's videos: a flat grey picture, held for as many frames as asked.

The stream is Constrained Baseline (profile 66 with constraint_set0 and constraint_set1), 4:2:0, CAVLC, so
every decoder and browser plays it. It is written by hand, bit by bit, from ITU-T H.264 (08/2021):

- the SPS (7.3.2.1.1) carries the size: whole macroblocks, then frame cropping (in 2-pixel units for
  4:2:0) for sizes that are not multiples of 16;
- the first picture is an IDR slice (7.3.3) of I_16x16 macroblocks (mb_type 3: DC prediction, no coded
  block pattern) whose only residual is an empty Intra16x16 DC block, so every macroblock is the same
  8 bits and the picture is the DC predictor's mid-grey;
- every later picture is a P slice that skips all its macroblocks (one ``mb_skip_run``): a copy of the
  previous picture, about ten bytes each.

POC type 2 (output order = decoding order) and one reference frame; the VUI says no frame is reordered,
so decoders output each frame at once. Everything is deterministic: the same size gives the same bytes.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = ["H264Stream", "encode_still"]

PROFILE_BASELINE = 66
CONSTRAINT_FLAGS = 0b1100_0000
"""constraint_set0_flag and constraint_set1_flag: Constrained Baseline."""
LOG2_MAX_FRAME_NUM = 16
"""frame_num is 16 bits: it wraps after 65536 frames (45 minutes at 24 fps), which decoders handle anyway."""
MACROBLOCK = 16
MAX_SIDE = 8192

# (level_idc, MaxMBPS, MaxFS) of Table A-1, from level 3.0 up: the first one the stream fits is declared.
_LEVELS = (
    (30, 40_500, 1_620),
    (31, 108_000, 3_600),
    (32, 216_000, 5_120),
    (40, 245_760, 8_192),
    (42, 522_240, 8_704),
    (50, 589_824, 22_080),
    (51, 983_040, 36_864),
    (52, 2_073_600, 36_864),
    (60, 4_177_920, 139_264),
    (61, 8_355_840, 139_264),
    (62, 16_711_680, 139_264),
)

_NAL_SPS, _NAL_PPS, _NAL_IDR, _NAL_SLICE = 7, 8, 5, 1
_SLICE_P, _SLICE_I = 5, 7  # slice_type + 5: every slice of the picture has this type
_I16X16_DC_MACROBLOCK = (
    "00100"  # mb_type ue(3): I_16x16_2_0_0, DC prediction, chroma and luma coded block patterns 0
    "1"  # intra_chroma_pred_mode ue(0): DC
    "1"  # mb_qp_delta se(0)
    "1"  # Intra16x16DCLevel coeff_token, nC = 0: TotalCoeff 0, TrailingOnes 0
)
_EMULATION = re.compile(b"\x00\x00(?=[\x00-\x03])")


@dataclass(frozen=True)
class H264Stream:
    """An encoded stream: parameter sets for the ``avcC`` box and one NAL unit per frame (no start codes).

    :param sps: the sequence parameter set NAL unit.
    :param pps: the picture parameter set NAL unit.
    :param frames: the coded frames in decoding (= display) order; only the first is a key frame.
    :param level_idc: the level the SPS declares (e.g. 40 for level 4.0).
    """

    sps: bytes
    pps: bytes
    frames: tuple[bytes, ...]
    level_idc: int


class _Bits:
    """Collects a bit string: fixed-width fields, Exp-Golomb codes, raw bits."""

    def __init__(self) -> None:
        self._parts: list[str] = []

    def u(self, bits: int, value: int) -> _Bits:
        self._parts.append(format(value, f"0{bits}b"))
        return self

    def ue(self, value: int) -> _Bits:
        code = value + 1
        self._parts.append("0" * (code.bit_length() - 1) + format(code, "b"))
        return self

    def se(self, value: int) -> _Bits:
        return self.ue(2 * value - 1 if value > 0 else -2 * value)

    def raw(self, bits: str) -> _Bits:
        self._parts.append(bits)
        return self

    def rbsp(self) -> bytes:
        """The bits with rbsp_trailing_bits: a stop bit, then zeros to the byte boundary."""
        bits = "".join(self._parts) + "1"
        bits += "0" * (-len(bits) % 8)
        return int(bits, 2).to_bytes(len(bits) // 8, "big")


def _nal(ref_idc: int, unit_type: int, rbsp: bytes) -> bytes:
    """A NAL unit: header byte, then the payload with emulation prevention bytes (7.4.1)."""
    return bytes([(ref_idc << 5) | unit_type]) + _EMULATION.sub(b"\x00\x00\x03", rbsp)


def level_for(width_mbs: int, height_mbs: int, fps: int) -> int:
    """The lowest level (from 3.0) whose frame size, macroblock rate and frame shape fit the stream."""
    frame_mbs = width_mbs * height_mbs
    for level_idc, max_mbps, max_fs in _LEVELS:
        if frame_mbs <= max_fs and frame_mbs * fps <= max_mbps and max(width_mbs, height_mbs) ** 2 <= 8 * max_fs:
            return level_idc
    raise ValueError(f"{width_mbs * MACROBLOCK}x{height_mbs * MACROBLOCK} at {fps} fps exceeds every H.264 level")


def _sps(width: int, height: int, level_idc: int) -> bytes:
    width_mbs, height_mbs = math.ceil(width / MACROBLOCK), math.ceil(height / MACROBLOCK)
    crop_right, crop_bottom = (width_mbs * MACROBLOCK - width) // 2, (height_mbs * MACROBLOCK - height) // 2
    bits = _Bits().u(8, PROFILE_BASELINE).u(8, CONSTRAINT_FLAGS).u(8, level_idc)
    bits.ue(0)  # seq_parameter_set_id
    bits.ue(LOG2_MAX_FRAME_NUM - 4).ue(2)  # log2_max_frame_num_minus4, pic_order_cnt_type 2
    bits.ue(1).u(1, 0)  # max_num_ref_frames, gaps_in_frame_num_value_allowed_flag
    bits.ue(width_mbs - 1).ue(height_mbs - 1)
    bits.u(1, 1).u(1, 1)  # frame_mbs_only_flag, direct_8x8_inference_flag
    if crop_right or crop_bottom:
        bits.u(1, 1).ue(0).ue(crop_right).ue(0).ue(crop_bottom)
    else:
        bits.u(1, 0)
    bits.u(1, 1)  # vui_parameters_present_flag
    bits.u(1, 1).u(8, 1)  # aspect_ratio_info_present_flag, aspect_ratio_idc 1: square pixels
    bits.u(1, 0)  # overscan_info_present_flag
    # video_signal_type_present_flag, video_format 5 (unspecified), limited range, BT.709 primaries,
    # transfer characteristics and matrix.
    bits.u(1, 1).u(3, 5).u(1, 0).u(1, 1).u(8, 1).u(8, 1).u(8, 1)
    bits.u(1, 0).u(1, 0)  # chroma_loc_info_present_flag, timing_info_present_flag (the container times it)
    bits.u(1, 0).u(1, 0).u(1, 0)  # nal_hrd, vcl_hrd, pic_struct_present_flag
    bits.u(1, 1).u(1, 1)  # bitstream_restriction_flag, motion_vectors_over_pic_boundaries_flag
    bits.ue(0).ue(0).ue(16).ue(16)  # max_bytes_per_pic_denom, max_bits_per_mb_denom, log2 max mv lengths
    bits.ue(0).ue(1)  # max_num_reorder_frames 0, max_dec_frame_buffering 1
    return _nal(3, _NAL_SPS, bits.rbsp())


def _pps() -> bytes:
    bits = _Bits().ue(0).ue(0)  # pic_parameter_set_id, seq_parameter_set_id
    bits.u(1, 0).u(1, 0)  # entropy_coding_mode_flag (CAVLC), bottom_field_pic_order_in_frame_present_flag
    bits.ue(0).ue(0).ue(0)  # num_slice_groups_minus1, num_ref_idx_l0/l1_default_active_minus1
    bits.u(1, 0).u(2, 0)  # weighted_pred_flag, weighted_bipred_idc
    bits.se(0).se(0).se(0)  # pic_init_qp_minus26, pic_init_qs_minus26, chroma_qp_index_offset
    bits.u(1, 0).u(1, 0).u(1, 0)  # deblocking_filter_control_present, constrained_intra_pred, redundant_pic_cnt
    return _nal(3, _NAL_PPS, bits.rbsp())


def _idr(macroblocks: int) -> bytes:
    bits = _Bits().ue(0).ue(_SLICE_I).ue(0)  # first_mb_in_slice, slice_type, pic_parameter_set_id
    bits.u(LOG2_MAX_FRAME_NUM, 0).ue(0)  # frame_num, idr_pic_id
    bits.u(1, 0).u(1, 0)  # dec_ref_pic_marking: no_output_of_prior_pics_flag, long_term_reference_flag
    bits.se(0)  # slice_qp_delta
    bits.raw(_I16X16_DC_MACROBLOCK * macroblocks)
    return _nal(3, _NAL_IDR, bits.rbsp())


def _p_skip(frame_num: int, macroblocks: int) -> bytes:
    bits = _Bits().ue(0).ue(_SLICE_P).ue(0)  # first_mb_in_slice, slice_type, pic_parameter_set_id
    bits.u(LOG2_MAX_FRAME_NUM, frame_num % (1 << LOG2_MAX_FRAME_NUM))
    bits.u(1, 0)  # num_ref_idx_active_override_flag
    bits.u(1, 0)  # ref_pic_list_modification_flag_l0
    bits.u(1, 0)  # dec_ref_pic_marking: adaptive_ref_pic_marking_mode_flag (sliding window)
    bits.se(0)  # slice_qp_delta
    bits.ue(macroblocks)  # mb_skip_run: every macroblock
    return _nal(2, _NAL_SLICE, bits.rbsp())


def encode_still(width: int, height: int, frames: int, fps: int) -> H264Stream:
    """Encode ``frames`` frames of ``width`` x ``height`` (even numbers, at most 8192) mid-grey video.

    ``fps`` only chooses the level; the container gives the frames their times.
    """
    if width % 2 or height % 2 or not (2 <= width <= MAX_SIDE and 2 <= height <= MAX_SIDE):
        raise ValueError(f"H.264 4:2:0 needs even sizes from 2 to {MAX_SIDE}, got {width}x{height}")
    if frames < 1 or fps < 1:
        raise ValueError("frames and fps must be at least 1")
    width_mbs, height_mbs = math.ceil(width / MACROBLOCK), math.ceil(height / MACROBLOCK)
    level_idc = level_for(width_mbs, height_mbs, fps)
    macroblocks = width_mbs * height_mbs
    coded = (_idr(macroblocks), *(_p_skip(n, macroblocks) for n in range(1, frames)))
    return H264Stream(_sps(width, height, level_idc), _pps(), coded, level_idc)
