"""Credit estimates of ``pixverse_provider.api.pricing`` against the tables of docs/api-facts.rst, 'Prices'."""

from __future__ import annotations

from typing import Any

import pytest

from pixverse_provider.api import request_models as rq
from pixverse_provider.api.enums import Model, MotionMode, Quality
from pixverse_provider.api.pricing import estimate_credits, sound_effect_price, tts_price, video_price
from pixverse_provider.api.validation import parse_request

M = Model
Q = Quality
FAST = MotionMode.FAST

VIDEO = 397190920840764
MEDIA = 402331965264704
IMG = 302325299692608
TEMPLATE = 324641385496960


def t2v(**fields: Any) -> rq.TextToVideoRequest:
    """A valid text-to-video request (v5, 540p, 5 s, 16:9 unless overridden)."""
    base = {"prompt": "a cat surfing", "model": "v5", "duration": 5, "quality": "540p", "aspect_ratio": "16:9"}
    return parse_request(rq.TextToVideoRequest, base | fields)


def i2v(**fields: Any) -> rq.ImageToVideoRequest:
    base = {"img_id": IMG, "prompt": "the cat smiles", "model": "v5", "duration": 5, "quality": "540p"}
    return parse_request(rq.ImageToVideoRequest, base | fields)


# ---------------------------------------------------------------------------------------------------------
# Per-video prices


@pytest.mark.parametrize(
    ("model", "quality", "duration", "options", "credits"),
    [
        # V5
        pytest.param(M.V5, Q.Q360P, 5, {}, 45, id="v5-360p-5s"),
        pytest.param(M.V5, Q.Q540P, 5, {}, 45, id="v5-540p-5s"),
        pytest.param(M.V5, Q.Q540P, 8, {}, 90, id="v5-540p-8s"),
        pytest.param(M.V5, Q.Q720P, 5, {}, 60, id="v5-720p-5s"),
        pytest.param(M.V5, Q.Q720P, 8, {}, 120, id="v5-720p-8s"),
        pytest.param(M.V5, Q.Q1080P, 5, {}, 120, id="v5-1080p-5s"),
        pytest.param(M.V5, Q.Q1080P, 8, {}, 240, id="v5-1080p-8s"),
        # V4.5 / V4 / V3.5
        pytest.param(M.V3_5, Q.Q360P, 8, {}, 90, id="v3.5-360p-8s"),
        pytest.param(M.V4, Q.Q720P, 8, {}, 120, id="v4-720p-8s"),
        pytest.param(M.V4_5, Q.Q1080P, 5, {}, 120, id="v4.5-1080p-5s"),
        pytest.param(M.V4_5, Q.Q540P, 5, {"motion_mode": FAST}, 90, id="v4.5-fast-540p-5s"),
        pytest.param(M.V4, Q.Q360P, 5, {"motion_mode": FAST}, 90, id="v4-fast-360p-5s"),
        pytest.param(M.V3_5, Q.Q720P, 5, {"motion_mode": FAST}, 120, id="v3.5-fast-720p-5s"),
        pytest.param(M.V4_5, Q.Q540P, 5, {"motion_mode": MotionMode.NORMAL}, 45, id="v4.5-normal-540p-5s"),
        # v5.5: single silent / single audio / multi silent / multi audio
        pytest.param(M.V5_5, Q.Q540P, 5, {}, 45, id="v5.5-540p-5s"),
        pytest.param(M.V5_5, Q.Q360P, 8, {"audio": True}, 100, id="v5.5-360p-8s-audio"),
        pytest.param(M.V5_5, Q.Q720P, 10, {}, 132, id="v5.5-720p-10s"),
        pytest.param(M.V5_5, Q.Q720P, 10, {"multi_clip": True}, 162, id="v5.5-720p-10s-multi"),
        pytest.param(M.V5_5, Q.Q720P, 10, {"audio": True, "multi_clip": True}, 132 + 10 + 30, id="v5.5-720p-10s-all"),
        pytest.param(M.V5_5, Q.Q1080P, 8, {"audio": True, "multi_clip": True}, 280, id="v5.5-1080p-8s-all"),
        # v5.6: silent / audio
        pytest.param(M.V5_6, Q.Q360P, 5, {"audio": True}, 80, id="v5.6-360p-5s-audio"),
        pytest.param(M.V5_6, Q.Q540P, 5, {"audio": True}, 90, id="v5.6-540p-5s-audio"),
        pytest.param(M.V5_6, Q.Q720P, 5, {"audio": True}, 80, id="v5.6-720p-5s-audio"),
        pytest.param(M.V5_6, Q.Q540P, 8, {}, 70, id="v5.6-540p-8s"),
        pytest.param(M.V5_6, Q.Q720P, 10, {"audio": True}, 144, id="v5.6-720p-10s-audio"),
        pytest.param(M.V5_6, Q.Q1080P, 8, {"audio": True}, 195, id="v5.6-1080p-8s-audio"),
        # v6 and c1: per second
        pytest.param(M.V6, Q.Q720P, 7, {"audio": True}, 84, id="v6-720p-7s-audio"),
        pytest.param(M.V6, Q.Q360P, 1, {}, 5, id="v6-360p-1s"),
        pytest.param(M.V6, Q.Q1080P, 15, {"audio": True}, 345, id="v6-1080p-15s-audio"),
        pytest.param(M.C1, Q.Q1080P, 15, {}, 285, id="c1-1080p-15s"),
        pytest.param(M.C1, Q.Q540P, 10, {"audio": True}, 100, id="c1-540p-10s-audio"),
        pytest.param(M.C1, Q.Q360P, 3, {}, 18, id="c1-360p-3s"),
    ],
)
def test_video_price(model: Model, quality: Quality, duration: int, options: dict[str, Any], credits: int) -> None:
    assert video_price(model, quality, duration, **options) == credits


@pytest.mark.parametrize(
    ("model", "quality", "duration", "options"),
    [
        pytest.param(M.V5, Q.Q540P, 10, {}, id="v5-10s"),
        pytest.param(M.V4, Q.Q540P, 6, {}, id="v4-6s"),
        pytest.param(M.V4_5, Q.Q1080P, 5, {"motion_mode": FAST}, id="v4.5-fast-1080p"),
        pytest.param(M.V5_5, Q.Q1080P, 10, {}, id="v5.5-1080p-10s"),
        pytest.param(M.V5_5, Q.Q540P, 7, {"audio": True}, id="v5.5-7s"),
        pytest.param(M.V5_6, Q.Q1080P, 10, {"audio": True}, id="v5.6-1080p-10s"),
        pytest.param(M.V5_6, Q.Q360P, 6, {}, id="v5.6-6s"),
        pytest.param(
            M.V4_5,
            Q.Q1080P,
            8,
            {},
            id="v4.5-1080p-8s",
        ),
        pytest.param(
            M.V4,
            Q.Q1080P,
            8,
            {},
            id="v4-1080p-8s",
        ),
    ],
)
def test_video_price_unknown(model: Model, quality: Quality, duration: int, options: dict[str, Any]) -> None:
    assert video_price(model, quality, duration, **options) is None


# ---------------------------------------------------------------------------------------------------------
# Estimates of whole requests


def parse(model: type[rq.PixVerseRequest], data: dict[str, Any]) -> rq.PixVerseRequest:
    return parse_request(model, data)


GENERATIONS = [
    pytest.param(t2v(), 45, id="t2v-v5-540p-5s"),
    pytest.param(t2v(quality="1080p", duration=8), 240, id="t2v-v5-1080p-8s"),
    pytest.param(t2v(model="v4.5", motion_mode="fast"), 90, id="t2v-v4.5-fast-540p-5s"),
    pytest.param(
        t2v(model="v5.5", quality="720p", duration=10, generate_audio_switch=True, generate_multi_clip_switch=True),
        132 + 10 + 30,
        id="t2v-v5.5-720p-10s-audio-multi-clip",
    ),
    pytest.param(
        t2v(model="v5.5", quality="720p", duration=10, generate_audio_switch=False), 132, id="t2v-v5.5-audio-off"
    ),
    pytest.param(i2v(model="v5.6", quality="360p", generate_audio_switch=True), 80, id="i2v-v5.6-360p-5s-audio"),
    pytest.param(
        i2v(model="v6", quality="720p", duration=7, generate_audio_switch=True), 84, id="i2v-v6-720p-7s-audio"
    ),
    pytest.param(
        parse(
            rq.TransitionRequest,
            {
                "first_frame_img": IMG,
                "last_frame_img": IMG + 1,
                "prompt": "morph",
                "model": "v6",
                "duration": 7,
                "quality": "720p",
                "generate_audio_switch": True,
            },
        ),
        84,
        id="transition-v6-720p-7s-audio",
    ),
    pytest.param(
        parse(
            rq.FusionRequest,
            {
                "image_references": [{"type": "subject", "img_id": IMG, "ref_name": "cat"}],
                "prompt": "@cat runs",
                "model": "c1",
                "duration": 15,
                "quality": "1080p",
                "aspect_ratio": "21:9",
            },
        ),
        285,
        id="fusion-c1-1080p-15s-silent",
    ),
    pytest.param(
        parse(
            rq.FusionRequest,
            {
                "image_references": [{"type": "subject", "img_id": IMG, "ref_name": "cat"}],
                "prompt": "@cat runs",
                "model": "v4.5",
                "duration": 8,
                "quality": "720p",
                "aspect_ratio": "16:9",
            },
        ),
        120,
        id="fusion-v4.5-720p-8s",
    ),
    pytest.param(
        parse(
            rq.ExtendRequest,
            {"source_video_id": VIDEO, "prompt": "more", "seed": 1, "model": "v6", "duration": 15, "quality": "1080p"},
        ),
        270,
        id="extend-v6-1080p-15s",
    ),
]


@pytest.mark.parametrize(("request_", "credits"), GENERATIONS)
def test_generation_estimates(request_: rq.PixVerseRequest, credits: int) -> None:
    assert estimate_credits(request_) == credits


# Without a template, sound effect +10 per started 5 s, lip sync switch = duration x 4.
ADD_ONS = [
    pytest.param(t2v(sound_effect_switch=True), 45 + 10, id="v5-5s-sound"),
    pytest.param(t2v(duration=8, sound_effect_switch=True), 90 + 20, id="v5-8s-sound"),
    pytest.param(t2v(model="v3.5", quality="720p", sound_effect_switch=True), 60 + 10, id="v3.5-720p-5s-sound"),
    pytest.param(
        t2v(lip_sync_tts_switch=True, lip_sync_tts_content="hi", lip_sync_tts_speaker_id="1"), 45 + 20, id="v5-5s-tts"
    ),
    pytest.param(t2v(duration=8, lip_sync_switch=True), 90 + 32, id="v5-8s-lip-sync-switch"),
    pytest.param(t2v(sound_effect_switch=True, lip_sync_tts_switch=True), 45 + 10 + 20, id="v5-5s-both"),
    pytest.param(i2v(model="v4", sound_effect_switch=True), 45 + 10, id="i2v-v4-sound"),
    pytest.param(t2v(sound_effect_switch=False, lip_sync_tts_switch=False), 45, id="switches-off"),
    pytest.param(t2v(sound_effect_content="rain"), 45, id="content-without-switch"),
    # A template video costs the normal price; its sound is not billed extra.
    pytest.param(t2v(template_id=TEMPLATE, sound_effect_switch=True), 45, id="t2v-template-sound"),
    pytest.param(
        i2v(model="v5.5", template_id=TEMPLATE, sound_effect_switch=True, lip_sync_tts_switch=True),
        45,
        id="i2v-v5.5-template-sound-and-tts",
    ),
    pytest.param(
        i2v(img_id=None, img_ids=[IMG, IMG + 1], template_id=TEMPLATE, prompt="", quality="720p"),
        60,
        id="i2v-multi-image-template",
    ),
]


@pytest.mark.parametrize(("request_", "credits"), ADD_ONS)
def test_legacy_add_on_surcharges(request_: rq.PixVerseRequest, credits: int) -> None:
    assert estimate_credits(request_) == credits


LIP_SYNC_TTS = {"source_video_id": VIDEO, "lip_sync_tts_speaker_id": "Auto"}


@pytest.mark.parametrize(
    ("content", "credits"),
    [
        pytest.param("hello", 4, id="5-bytes"),
        pytest.param("x" * 15, 4, id="15-bytes"),
        pytest.param("x" * 16, 8, id="16-bytes"),
        pytest.param("x" * 200, 4 * 14, id="200-bytes"),
        pytest.param("你好世界你好", 8, id="6-cjk-chars-18-bytes"),
        pytest.param("é" * 8, 8, id="8-accented-chars-16-bytes"),
        pytest.param("语" * 200, 4 * 40, id="200-cjk-chars-600-bytes"),
    ],
)
def test_lip_sync_tts_costs_4_credits_per_started_15_utf8_bytes(content: str, credits: int) -> None:
    request = parse(rq.LipSyncRequest, LIP_SYNC_TTS | {"lip_sync_tts_content": content})
    assert estimate_credits(request) == credits
    assert estimate_credits(request, source_seconds=30) == credits  # the video length does not matter
    assert tts_price(content) == credits


@pytest.mark.parametrize(
    ("seconds", "credits"),
    [
        pytest.param(1, 4, id="1s"),
        pytest.param(7.2, 32, id="7.2s"),
        pytest.param(10, 40, id="10s"),
        pytest.param(29.01, 120, id="29.01s"),
        pytest.param(None, None, id="unknown-length"),
    ],
)
def test_lip_sync_uploaded_audio_costs_4_credits_per_started_second(seconds: float | None, credits: int | None) -> None:
    request = parse(rq.LipSyncRequest, {"video_media_id": MEDIA, "audio_media_id": MEDIA + 1})
    assert estimate_credits(request, source_seconds=seconds) == credits


@pytest.mark.parametrize(
    ("seconds", "credits"),
    [
        pytest.param(3, 10, id="3s"),
        pytest.param(5, 10, id="5s"),
        pytest.param(8, 20, id="8s"),
        pytest.param(10, 20, id="10s"),
        pytest.param(10.5, 30, id="10.5s"),
        pytest.param(None, None, id="unknown-length"),
    ],
)
def test_sound_effect_costs_10_credits_per_started_5_seconds(seconds: float | None, credits: int | None) -> None:
    request = parse(rq.SoundEffectRequest, {"source_video_id": VIDEO})
    assert estimate_credits(request, source_seconds=seconds) == credits
    if seconds is not None:
        assert sound_effect_price(seconds) == credits


@pytest.mark.parametrize(
    ("quality", "seconds", "credits"),
    [
        pytest.param("360p", 10, 90, id="360p-10s"),
        pytest.param("540p", 7.5, 80, id="540p-7.5s"),
        pytest.param("720p", 3, 36, id="720p-3s"),
        pytest.param("720p", None, None, id="unknown-length"),
        pytest.param("1080p", 5, None, id="1080p-not-priced"),
    ],
)
def test_mimic_costs_per_started_second(quality: str, seconds: float | None, credits: int | None) -> None:
    request = parse(rq.MimicRequest, {"video_media_id": MEDIA, "img_id": IMG, "quality": quality})
    assert estimate_credits(request, source_seconds=seconds) == credits


def test_restyle_costs_10_credits_per_started_second() -> None:
    request = parse(rq.RestyleRequest, {"source_video_id": VIDEO, "restyle_id": 3})
    assert estimate_credits(request, source_seconds=4.2) == 50
    assert estimate_credits(request) is None


@pytest.mark.parametrize(
    ("request_", "seconds"),
    [
        pytest.param(
            parse(
                rq.MultiTransitionRequest,
                {
                    "multi_transition": [{"img_id": IMG, "duration": 5}, {"img_id": IMG + 1}],
                    "model": "v5",
                    "quality": "540p",
                },
            ),
            5,
            id="multi-transition-tiers-unknown",
        ),
        pytest.param(
            parse(
                rq.SwapRequest,
                {"source_video_id": VIDEO, "keyframe_id": 1, "mask_id": "m", "img_id": IMG, "quality": "720p"},
            ),
            5,
            id="swap-unknown",
        ),
        pytest.param(parse(rq.MaskSelectionRequest, {"source_video_id": VIDEO}), 5, id="mask-selection"),
        pytest.param(
            parse(rq.ModifyRequest, {"source_video_id": VIDEO, "prompt": "night", "quality": "540p"}), 5, id="modify"
        ),
        pytest.param(
            parse(rq.ImageTemplateRequest, {"img_ids": [IMG], "template_id": TEMPLATE}), None, id="image-template"
        ),
        pytest.param(parse(rq.TemplateListQuery, {}), None, id="template-list"),
    ],
)
def test_unpriced_requests_are_none(request_: rq.PixVerseRequest, seconds: float | None) -> None:
    assert estimate_credits(request_, source_seconds=seconds) is None


def test_generation_outside_the_tables_is_none_even_with_a_surcharge() -> None:
    # v5.6 has no 1080p 10 s price; model_construct skips the validation that would refuse this shape.
    request = rq.TextToVideoRequest.model_construct(
        prompt="p", model=M.V5_6, duration=10, quality=Q.Q1080P, aspect_ratio="16:9", sound_effect_switch=True
    )
    assert estimate_credits(request) is None
