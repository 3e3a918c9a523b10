"""Request models of ``pixverse_provider.api.request_models``: valid payloads and every rule of docs/api-facts.rst
('Generation fields', 'Modes').

Each refusal names the exact field and ErrCode PixVerse answers with (400011 missing/empty, 400013 wrong JSON
type, 400017 rule, 400018/400019 prompt too long) and, where there is a set of allowed values, the set itself.
"""

from __future__ import annotations

import copy
import inspect
import json
from dataclasses import dataclass
from typing import Any

import pytest

from pixverse_provider.api import request_models as rq
from pixverse_provider.api.enums import CreationMode
from pixverse_provider.api.validation import FieldProblem, RequestValidationError, parse_request

# ErrCodes, written out so that a wrong constant in api/errors.py is caught too.
EMPTY = 400011
TYPE = 400013
RULE = 400017
LONG_PROMPT = 400018
LONG_NEGATIVE = 400019

T2V = rq.TextToVideoRequest
I2V = rq.ImageToVideoRequest
TRANSITION = rq.TransitionRequest
MULTI = rq.MultiTransitionRequest
FUSION = rq.FusionRequest
EXTEND = rq.ExtendRequest
LIP_SYNC = rq.LipSyncRequest
SOUND = rq.SoundEffectRequest
RESTYLE = rq.RestyleRequest
MASKS = rq.MaskSelectionRequest
SWAP = rq.SwapRequest
MIMIC = rq.MimicRequest
MODIFY = rq.ModifyRequest
IMAGE_TEMPLATE = rq.ImageTemplateRequest
TTS_LIST = rq.TtsSpeakerQuery
RESTYLE_LIST = rq.RestyleListQuery
TEMPLATE_LIST = rq.TemplateListQuery

# 15-digit ids as PixVerse hands them out.
IMG = 302325299692608
IMG2 = 302325299692609
VIDEO = 397190920840764
MEDIA = 402331965264704
AUDIO = 402331965264705
TEMPLATE = 324641385496960

VALID: dict[type[rq.PixVerseRequest], dict[str, Any]] = {
    T2V: {"prompt": "a cat surfing", "model": "v5", "duration": 5, "quality": "540p", "aspect_ratio": "16:9"},
    I2V: {"img_id": IMG, "prompt": "the cat smiles", "model": "v5", "duration": 5, "quality": "540p"},
    TRANSITION: {
        "first_frame_img": IMG,
        "last_frame_img": IMG2,
        "prompt": "day turns to night",
        "model": "v5",
        "duration": 5,
        "quality": "540p",
    },
    MULTI: {"multi_transition": [{"img_id": IMG, "duration": 3}, {"img_id": IMG2}], "model": "v5", "quality": "540p"},
    FUSION: {
        "image_references": [{"type": "subject", "img_id": IMG, "ref_name": "cat"}],
        "prompt": "@cat plays in the snow",
        "model": "v5",
        "duration": 5,
        "quality": "540p",
        "aspect_ratio": "16:9",
    },
    EXTEND: {
        "source_video_id": VIDEO,
        "prompt": "keep going",
        "seed": 42,
        "model": "v5",
        "duration": 5,
        "quality": "540p",
    },
    LIP_SYNC: {"source_video_id": VIDEO, "audio_media_id": AUDIO},
    SOUND: {"source_video_id": VIDEO},
    RESTYLE: {"source_video_id": VIDEO, "restyle_id": 7},
    MASKS: {"video_media_id": MEDIA},
    SWAP: {"source_video_id": VIDEO, "keyframe_id": 1, "mask_id": "mask-1", "img_id": IMG, "quality": "720p"},
    MIMIC: {"video_media_id": MEDIA, "img_id": IMG, "quality": "540p"},
    MODIFY: {"source_video_id": VIDEO, "prompt": "make it night", "quality": "540p"},
    IMAGE_TEMPLATE: {"img_ids": [IMG, IMG2], "template_id": TEMPLATE},
    TTS_LIST: {},
    RESTYLE_LIST: {},
    TEMPLATE_LIST: {},
}
"""A minimal valid payload of every request model."""

# The list endpoints fill in their paging defaults; every other payload goes out exactly as given.
EXPECTED_PAYLOAD: dict[type[rq.PixVerseRequest], dict[str, Any]] = {
    **VALID,
    TTS_LIST: {"page_num": 1, "page_size": 30},
    RESTYLE_LIST: {"page_num": 1, "page_size": 30},
    TEMPLATE_LIST: {"page": 1, "pageSize": 50},
}

DROP = object()
"""Override value that removes a key from the valid payload."""


def payload(model: type[rq.PixVerseRequest], overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The valid payload of ``model`` with ``overrides`` applied (``DROP`` removes a key)."""
    data = copy.deepcopy(VALID[model])
    for key, value in (overrides or {}).items():
        if value is DROP:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def refusal(model: type[rq.PixVerseRequest], data: Any, *, strict: bool = False) -> list[FieldProblem]:
    with pytest.raises(RequestValidationError) as caught:
        parse_request(model, data, strict=strict)
    return caught.value.problems


def found(problems: list[FieldProblem]) -> list[tuple[str, int]]:
    """``(field, code)`` of every problem, sorted: the order problems are found in is not part of the contract."""
    return sorted((p.field, p.code) for p in problems)


def message_of(problems: list[FieldProblem], field: str) -> str:
    (message,) = [p.message for p in problems if p.field == field]
    return message


def frames(*durations: int | None) -> list[dict[str, int]]:
    """Multi-transition keyframes; ``None`` leaves the duration out."""
    return [{"img_id": IMG + i} | ({} if d is None else {"duration": d}) for i, d in enumerate(durations)]


def refs(*names: str) -> dict[str, Any]:
    """Fusion overrides: one reference per name, each mentioned in the prompt as ``@name `` (space after)."""
    return {
        "image_references": [{"type": "subject", "img_id": IMG + i, "ref_name": n} for i, n in enumerate(names)],
        "prompt": " ".join(f"@{n}" for n in names) + " dance together",
    }


def long_text(n: int) -> str:
    return "x" * n


@dataclass(frozen=True)
class Refused:
    field: str
    code: int
    says: tuple[str, ...]


def bad(
    case_id: str,
    model: type[rq.PixVerseRequest],
    overrides: dict[str, Any] | None,
    field: str,
    code: int,
    *says: str,
    strict: bool = False,
    marks: Any = (),
) -> Any:
    """A payload refused with exactly one problem: ``field``, ``code``, and a message containing ``says``."""
    return pytest.param(model, payload(model, overrides), strict, Refused(field, code, says), id=case_id, marks=marks)


def good(
    case_id: str, model: type[rq.PixVerseRequest], overrides: dict[str, Any] | None, *, strict: bool = False
) -> Any:
    """A payload accepted and sent unchanged."""
    return pytest.param(model, payload(model, overrides), strict, id=case_id)


def check_refused(model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool, expected: Refused) -> None:
    problems = refusal(model, data, strict=strict)
    assert [(p.field, p.code) for p in problems] == [(expected.field, expected.code)], problems
    for text in expected.says:
        assert text in problems[0].message


def check_accepted(model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool) -> None:
    assert parse_request(model, data, strict=strict).to_payload() == data


# ---------------------------------------------------------------------------------------------------------
# Valid payloads


def test_every_request_model_has_a_valid_example() -> None:
    concrete = {
        cls
        for cls in vars(rq).values()
        if inspect.isclass(cls) and issubclass(cls, rq.PixVerseRequest) and hasattr(cls, "endpoint")
    }
    assert concrete == set(VALID)


@pytest.mark.parametrize("model", list(VALID), ids=lambda m: m.__name__)
def test_minimal_payload_is_sent_exactly(model: type[rq.PixVerseRequest]) -> None:
    sent = parse_request(model, payload(model)).to_payload()
    assert sent == EXPECTED_PAYLOAD[model]
    assert json.loads(json.dumps(sent)) == sent  # plain JSON: no enum or model objects left


@pytest.mark.parametrize("model", list(VALID), ids=lambda m: m.__name__)
def test_minimal_payload_is_valid_for_the_emulator_too(model: type[rq.PixVerseRequest]) -> None:
    assert parse_request(model, payload(model), strict=True).to_payload() == EXPECTED_PAYLOAD[model]


def test_payload_types_are_wire_types() -> None:
    sent = parse_request(
        T2V,
        payload(
            T2V,
            {
                "model": "v4.5",
                "motion_mode": "fast",
                "camera_movement": "zoom_in",
                "style": "anime",
                "thinking_type": "auto",
                "seed": 2_147_483_647,
                "template_id": TEMPLATE,
                "water_mark": False,
            },
        ),
    ).to_payload()
    for key in ("model", "quality", "aspect_ratio", "motion_mode", "camera_movement", "style", "thinking_type"):
        assert type(sent[key]) is str, key
    assert (sent["model"], sent["motion_mode"], sent["camera_movement"]) == ("v4.5", "fast", "zoom_in")
    assert type(sent["template_id"]) is int and sent["template_id"] == TEMPLATE
    assert sent["water_mark"] is False  # an explicit false is sent, only unset options are left out
    assert "negative_prompt" not in sent and "generate_audio_switch" not in sent


def test_nested_items_leave_out_unset_fields() -> None:
    sent = parse_request(
        MULTI, payload(MULTI, {"multi_transition": [{"img_id": IMG, "duration": 4}, {"img_id": IMG2}]})
    )
    assert sent.to_payload()["multi_transition"] == [{"img_id": IMG, "duration": 4}, {"img_id": IMG2}]


def test_template_list_query_sends_type_as_number_and_page_size_by_its_api_name() -> None:
    sent = parse_request(TEMPLATE_LIST, {"type": 2, "page": 3, "page_size": 20}).to_payload()
    assert sent == {"type": 2, "page": 3, "pageSize": 20}
    assert type(sent["type"]) is int


def test_generation_modes_map_to_their_request_models() -> None:
    assert set(rq.GENERATION_REQUESTS) == set(CreationMode)
    for mode, cls in rq.GENERATION_REQUESTS.items():
        assert cls.mode is mode
    assert rq.GENERATION_REQUESTS[CreationMode.TEXT_TO_VIDEO] is T2V
    assert rq.GENERATION_REQUESTS[CreationMode.LIP_SYNC] is LIP_SYNC


# ---------------------------------------------------------------------------------------------------------
# Missing fields (400011) and wrong JSON types (400013)

MISSING_AND_TYPES = [
    bad("t2v-no-prompt", T2V, {"prompt": DROP}, "prompt", EMPTY),
    bad("t2v-blank-prompt", T2V, {"prompt": "   "}, "prompt", EMPTY),
    bad("t2v-no-model", T2V, {"model": DROP}, "model", EMPTY),
    bad("t2v-no-duration", T2V, {"duration": DROP}, "duration", EMPTY),
    bad("t2v-no-quality", T2V, {"quality": DROP}, "quality", EMPTY),
    bad("t2v-no-aspect-ratio", T2V, {"aspect_ratio": DROP}, "aspect_ratio", EMPTY),
    bad("i2v-no-model", I2V, {"model": DROP}, "model", EMPTY),
    bad("transition-no-first-frame", TRANSITION, {"first_frame_img": DROP}, "first_frame_img", EMPTY),
    bad("transition-no-last-frame", TRANSITION, {"last_frame_img": DROP}, "last_frame_img", EMPTY),
    bad("multi-no-keyframes", MULTI, {"multi_transition": DROP}, "multi_transition", EMPTY),
    bad(
        "multi-keyframe-no-img",
        MULTI,
        {"multi_transition": [{"duration": 3}, {"img_id": IMG}]},
        "multi_transition[0].img_id",
        EMPTY,
    ),
    bad("fusion-no-aspect-ratio", FUSION, {"aspect_ratio": DROP}, "aspect_ratio", EMPTY),
    bad(
        "fusion-ref-no-img",
        FUSION,
        {"image_references": [{"type": "subject", "ref_name": "cat"}]},
        "image_references[0].img_id",
        EMPTY,
    ),
    bad(
        "fusion-blank-ref-name",
        FUSION,
        {"image_references": [{"type": "subject", "img_id": IMG, "ref_name": " "}]},
        "image_references[0].ref_name",
        EMPTY,
    ),
    bad("extend-no-seed", EXTEND, {"seed": DROP}, "seed", EMPTY),
    bad("extend-no-source", EXTEND, {"source_video_id": DROP}, "source_video_id or video_media_id", EMPTY),
    bad("lip-sync-no-video", LIP_SYNC, {"source_video_id": DROP}, "source_video_id or video_media_id", EMPTY),
    bad("sound-no-video", SOUND, {"source_video_id": DROP}, "source_video_id or video_media_id", EMPTY),
    bad("swap-no-keyframe", SWAP, {"keyframe_id": DROP}, "keyframe_id", EMPTY),
    bad("swap-no-mask", SWAP, {"mask_id": DROP}, "mask_id", EMPTY),
    bad("swap-blank-mask", SWAP, {"mask_id": ""}, "mask_id", EMPTY),
    bad("swap-no-img", SWAP, {"img_id": DROP}, "img_id", EMPTY),
    bad("mimic-no-img", MIMIC, {"img_id": DROP}, "img_id", EMPTY),
    bad("mimic-no-quality", MIMIC, {"quality": DROP}, "quality", EMPTY),
    bad("modify-no-prompt", MODIFY, {"prompt": DROP}, "prompt", EMPTY),
    bad("modify-blank-prompt", MODIFY, {"prompt": ""}, "prompt", EMPTY),
    bad("image-template-no-template", IMAGE_TEMPLATE, {"template_id": DROP}, "template_id", EMPTY),
    bad("image-template-no-images", IMAGE_TEMPLATE, {"img_ids": DROP}, "img_ids", EMPTY),
    bad("duration-as-string", T2V, {"duration": "5"}, "duration", TYPE),
    bad("duration-as-float", T2V, {"duration": 5.5}, "duration", TYPE),
    bad("duration-as-bool", T2V, {"duration": True}, "duration", TYPE),
    bad("seed-as-string", T2V, {"seed": "42"}, "seed", TYPE),
    bad("prompt-as-number", T2V, {"prompt": 5}, "prompt", TYPE),
    bad("water-mark-as-string", T2V, {"water_mark": "true"}, "water_mark", TYPE),
    bad(
        "audio-switch-as-string", T2V, {"model": "v5.5", "generate_audio_switch": "true"}, "generate_audio_switch", TYPE
    ),
    bad("sound-switch-as-string", T2V, {"sound_effect_switch": "false"}, "sound_effect_switch", TYPE),
    bad("template-id-as-string", T2V, {"template_id": str(TEMPLATE)}, "template_id", TYPE),
    bad("img-id-quoted", I2V, {"img_id": str(IMG)}, "img_id", TYPE),
    bad("img-ids-not-a-list", I2V, {"img_id": DROP, "template_id": TEMPLATE, "img_ids": str(IMG)}, "img_ids", TYPE),
    bad(
        "img-ids-item-quoted", I2V, {"img_id": DROP, "template_id": TEMPLATE, "img_ids": [str(IMG)]}, "img_ids[0]", TYPE
    ),
    bad("first-frame-quoted", TRANSITION, {"first_frame_img": "1"}, "first_frame_img", TYPE),
    bad("keyframes-not-a-list", MULTI, {"multi_transition": {"img_id": IMG}}, "multi_transition", TYPE),
    bad(
        "keyframe-duration-quoted",
        MULTI,
        {"multi_transition": [{"img_id": IMG, "duration": "3"}, {"img_id": IMG2}]},
        "multi_transition[0].duration",
        TYPE,
    ),
    bad(
        "fusion-ref-img-quoted",
        FUSION,
        {"image_references": [{"type": "subject", "img_id": "1", "ref_name": "cat"}]},
        "image_references[0].img_id",
        TYPE,
    ),
    bad("source-video-quoted", LIP_SYNC, {"source_video_id": str(VIDEO)}, "source_video_id", TYPE),
    bad("audio-media-quoted", LIP_SYNC, {"audio_media_id": str(AUDIO)}, "audio_media_id", TYPE),
    bad(
        "speaker-id-as-number",
        LIP_SYNC,
        {"audio_media_id": DROP, "lip_sync_tts_speaker_id": 7, "lip_sync_tts_content": "hi"},
        "lip_sync_tts_speaker_id",
        TYPE,
    ),
    bad("original-sound-as-string", SOUND, {"original_sound_switch": "false"}, "original_sound_switch", TYPE),
    bad("restyle-id-quoted", RESTYLE, {"restyle_id": "7"}, "restyle_id", TYPE),
    bad("mask-id-as-number", SWAP, {"mask_id": 5}, "mask_id", TYPE),
    bad("mask-ids-items-as-numbers", MODIFY, {"mask_ids": [5]}, "mask_ids[0]", TYPE),
    bad("keyframe-id-quoted", MASKS, {"keyframe_id": "1"}, "keyframe_id", TYPE),
    bad("template-id-quoted", IMAGE_TEMPLATE, {"template_id": str(TEMPLATE)}, "template_id", TYPE),
    bad("negative-id", I2V, {"img_id": -1}, "img_id", RULE),
    bad("negative-seed", T2V, {"seed": -1}, "seed", RULE),
    bad("seed-above-int32", T2V, {"seed": 2_147_483_648}, "seed", RULE),
    bad("unknown-model", T2V, {"model": "v7"}, "model", RULE, "'v3.5'", "'c1'"),
    bad("unknown-quality", T2V, {"quality": "4k"}, "quality", RULE, "'360p'", "'1080p'"),
    bad("unknown-style", T2V, {"style": "watercolor"}, "style", RULE),
    bad("unknown-thinking-type", T2V, {"thinking_type": "maybe"}, "thinking_type", RULE),
    bad(
        "unknown-reference-type",
        FUSION,
        {"image_references": [{"type": "person", "img_id": IMG, "ref_name": "cat"}]},
        "image_references[0].type",
        RULE,
    ),
    bad(
        "model-as-number",
        T2V,
        {"model": 5},
        "model",
        TYPE,
    ),
    bad(
        "quality-as-number",
        SWAP,
        {"quality": 720},
        "quality",
        TYPE,
    ),
    bad(
        "image-template-empty-img-ids",
        IMAGE_TEMPLATE,
        {"img_ids": []},
        "img_ids",
        EMPTY,
    ),
]


@pytest.mark.parametrize(("model", "data", "strict", "expected"), MISSING_AND_TYPES)
def test_missing_fields_and_wrong_types(
    model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool, expected: Refused
) -> None:
    check_refused(model, data, strict, expected)


def test_a_body_that_is_not_an_object_is_a_binding_error() -> None:
    problems = refusal(T2V, [VALID[T2V]])
    assert [(p.field, p.code) for p in problems] == [("request", TYPE)]


def test_type_errors_and_missing_fields_are_reported_together() -> None:
    with pytest.raises(RequestValidationError) as caught:
        parse_request(T2V, payload(T2V, {"prompt": DROP, "duration": "5", "seed": "1"}))
    error = caught.value
    assert found(error.problems) == [("duration", TYPE), ("prompt", EMPTY), ("seed", TYPE)]
    assert error.code == error.problems[0].code


# ---------------------------------------------------------------------------------------------------------
# Unknown fields


@pytest.mark.parametrize(
    ("model", "extra"),
    [
        pytest.param(T2V, {"play_bgm": True}, id="t2v-play-bgm"),
        pytest.param(I2V, {"aspect_ratio": "16:9"}, id="i2v-aspect-ratio-is-not-an-i2v-field"),
        pytest.param(TRANSITION, {"aspect_ratio": "9:16", "camera_movement": "zoom_in"}, id="transition-extras"),
        pytest.param(EXTEND, {"aspect_ratio": "1:1"}, id="extend-aspect-ratio"),
        pytest.param(LIP_SYNC, {"play_bgm": True, "model": "v5"}, id="lip-sync-extras"),
        pytest.param(MULTI, {"foo": 1}, id="multi-extras"),
        pytest.param(TEMPLATE_LIST, {"sort": "new"}, id="template-list-extras"),
    ],
)
def test_unknown_fields_are_ignored_and_not_sent(model: type[rq.PixVerseRequest], extra: dict[str, Any]) -> None:
    sent = parse_request(model, payload(model, extra)).to_payload()
    assert sent == EXPECTED_PAYLOAD[model]


def test_unknown_keyframe_fields_are_ignored() -> None:
    keyframes = [{"img_id": IMG, "duration": 3, "transition": "fade"}, {"img_id": IMG2}]
    sent = parse_request(MULTI, payload(MULTI, {"multi_transition": keyframes})).to_payload()
    assert sent["multi_transition"] == [{"img_id": IMG, "duration": 3}, {"img_id": IMG2}]


# ---------------------------------------------------------------------------------------------------------
# Duration matrix

DURATIONS_ACCEPTED = [
    pytest.param(
        model, duration, quality, strict, id=f"{model}-{duration}s-{quality}-{'strict' if strict else 'lenient'}"
    )
    for model, duration, quality, stricts in [
        ("v3.5", 5, "540p", (False, True)),
        ("v3.5", 8, "720p", (False, True)),
        ("v3.5", 5, "1080p", (False, True)),
        ("v4", 8, "540p", (False, True)),
        ("v4", 8, "1080p", (False,)),
        ("v4.5", 8, "1080p", (False,)),
        ("v4.5", 5, "1080p", (False, True)),
        ("v5", 5, "360p", (False, True)),
        ("v5", 8, "1080p", (False, True)),
        ("v5.5", 10, "720p", (False, True)),
        ("v5.5", 8, "1080p", (False, True)),
        ("v5.6", 10, "540p", (False, True)),
        ("v5.6", 8, "1080p", (False, True)),
        ("v6", 1, "540p", (False, True)),
        ("v6", 7, "720p", (False, True)),
        ("v6", 15, "1080p", (False, True)),
        ("c1", 1, "360p", (False, True)),
        ("c1", 12, "720p", (False, True)),
        ("c1", 15, "1080p", (False, True)),
    ]
    for strict in stricts
]


@pytest.mark.parametrize(("model", "duration", "quality", "strict"), DURATIONS_ACCEPTED)
def test_duration_accepted(model: str, duration: int, quality: str, strict: bool) -> None:
    aspect = {"aspect_ratio": "21:9"} if model in ("v6", "c1") else {}
    check_accepted(T2V, payload(T2V, {"model": model, "duration": duration, "quality": quality, **aspect}), strict)


def duration_bad(model: str, duration: int, quality: str, *says: str, strict: bool = False) -> Any:
    mode = "strict" if strict else "lenient"
    return bad(
        f"{model}-{duration}s-{quality}-{mode}",
        T2V,
        {"model": model, "duration": duration, "quality": quality},
        "duration",
        RULE,
        *says,
        strict=strict,
    )


DURATIONS_REFUSED = [
    duration_bad("v3.5", 8, "1080p", "1080p on v3.5 allows at most 5 seconds, got 8"),
    duration_bad("v3.5", 8, "1080p", "1080p on v3.5 allows at most 5 seconds, got 8", strict=True),
    duration_bad("v4", 8, "1080p", "1080p on v4 allows at most 5 seconds", strict=True),
    duration_bad("v4.5", 8, "1080p", "1080p on v4.5 allows at most 5 seconds", strict=True),
    duration_bad("v3.5", 10, "540p", "10 is not allowed on v3.5; allowed: 5, 8"),
    duration_bad("v4.5", 6, "540p", "allowed: 5, 8"),
    duration_bad("v5", 10, "540p", "10 is not allowed on v5; allowed: 5, 8"),
    duration_bad("v5.5", 7, "720p", "7 is not allowed on v5.5; allowed: 5, 8, 10"),
    duration_bad("v5.6", 15, "720p", "allowed: 5, 8, 10"),
    duration_bad("v5.5", 10, "1080p", "1080p on v5.5 allows at most 8 seconds, got 10"),
    duration_bad("v5.5", 10, "1080p", "1080p on v5.5 allows at most 8 seconds, got 10", strict=True),
    duration_bad("v5.6", 10, "1080p", "1080p on v5.6 allows at most 8 seconds, got 10"),
    duration_bad("v5.6", 10, "1080p", "at most 8 seconds", strict=True),
    duration_bad("v6", 0, "540p", "0 is not allowed on v6; allowed: 1-15"),
    duration_bad("v6", 16, "540p", "16 is not allowed on v6; allowed: 1-15"),
    duration_bad("c1", 0, "720p", "allowed: 1-15"),
    duration_bad("c1", 16, "1080p", "16 is not allowed on c1; allowed: 1-15"),
    bad("negative-duration", T2V, {"duration": -5}, "duration", RULE),
]


@pytest.mark.parametrize(("model", "data", "strict", "expected"), DURATIONS_REFUSED)
def test_duration_refused(
    model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool, expected: Refused
) -> None:
    check_refused(model, data, strict, expected)


@pytest.mark.parametrize(
    ("model", "data", "strict", "expected"),
    [
        bad(
            "i2v-v4-8s-1080p-strict",
            I2V,
            {"model": "v4", "duration": 8, "quality": "1080p"},
            "duration",
            RULE,
            strict=True,
        ),
        bad(
            "transition-v3.5-8s-1080p",
            TRANSITION,
            {"model": "v3.5", "duration": 8, "quality": "1080p"},
            "duration",
            RULE,
        ),
        bad("fusion-v5.5-10s-1080p", FUSION, {"model": "v5.5", "duration": 10, "quality": "1080p"}, "duration", RULE),
        bad("fusion-c1-16s", FUSION, {"model": "c1", "duration": 16}, "duration", RULE, "1-15"),
        bad("extend-v5-10s", EXTEND, {"duration": 10}, "duration", RULE, "5, 8"),
        bad("extend-v6-0s", EXTEND, {"model": "v6", "duration": 0}, "duration", RULE, "1-15"),
    ],
)
def test_duration_rules_apply_to_every_generation(
    model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool, expected: Refused
) -> None:
    check_refused(model, data, strict, expected)


@pytest.mark.parametrize(
    ("model", "data", "strict"),
    [
        good("i2v-v4-8s-1080p-lenient", I2V, {"model": "v4", "duration": 8, "quality": "1080p"}),
        good("transition-v6-15s-1080p", TRANSITION, {"model": "v6", "duration": 15, "quality": "1080p"}, strict=True),
        good("fusion-c1-15s-1080p", FUSION, {"model": "c1", "duration": 15, "quality": "1080p"}, strict=True),
        good("extend-v6-12s", EXTEND, {"model": "v6", "duration": 12}, strict=True),
    ],
)
def test_duration_accepted_on_other_generations(
    model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool
) -> None:
    check_accepted(model, data, strict)


# ---------------------------------------------------------------------------------------------------------
# motion_mode


@pytest.mark.parametrize(
    ("model", "data", "strict"),
    [
        good("v3.5-fast-5s-540p", T2V, {"model": "v3.5", "motion_mode": "fast"}, strict=True),
        good("v4-fast-5s-720p", T2V, {"model": "v4", "motion_mode": "fast", "quality": "720p"}, strict=True),
        good("v4.5-fast-5s-360p-i2v", I2V, {"model": "v4.5", "motion_mode": "fast", "quality": "360p"}, strict=True),
        good("v5-normal", T2V, {"motion_mode": "normal"}, strict=True),
        good("v6-normal-10s", T2V, {"model": "v6", "duration": 10, "motion_mode": "normal"}, strict=True),
    ],
)
def test_motion_mode_accepted(model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool) -> None:
    check_accepted(model, data, strict)


MOTION_REFUSED = [
    bad("v5-fast", T2V, {"motion_mode": "fast"}, "motion_mode", RULE, "not supported on model v5", "v3.5, v4, v4.5"),
    bad("v5.5-fast", T2V, {"model": "v5.5", "motion_mode": "fast"}, "motion_mode", RULE, "v5.5"),
    bad("v6-fast", I2V, {"model": "v6", "motion_mode": "fast"}, "motion_mode", RULE, "v6"),
    bad("c1-fast", T2V, {"model": "c1", "motion_mode": "fast"}, "motion_mode", RULE, "v3.5, v4, v4.5"),
    bad("v4-fast-8s", T2V, {"model": "v4", "motion_mode": "fast", "duration": 8}, "motion_mode", RULE, "duration 5"),
    bad(
        "v4.5-fast-1080p",
        T2V,
        {"model": "v4.5", "motion_mode": "fast", "quality": "1080p"},
        "motion_mode",
        RULE,
        "1080p",
    ),
    bad("transition-v5-fast", TRANSITION, {"motion_mode": "fast"}, "motion_mode", RULE, "v5"),
    bad(
        "extend-v3.5-fast-8s",
        EXTEND,
        {"model": "v3.5", "motion_mode": "fast", "duration": 8},
        "motion_mode",
        RULE,
        "duration 5",
    ),
    bad("unknown-motion-mode", T2V, {"motion_mode": "slow"}, "motion_mode", RULE, "'normal'", "'fast'"),
]


@pytest.mark.parametrize(("model", "data", "strict", "expected"), MOTION_REFUSED)
def test_motion_mode_refused(
    model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool, expected: Refused
) -> None:
    check_refused(model, data, strict, expected)


# ---------------------------------------------------------------------------------------------------------
# aspect_ratio

LEGACY_RATIOS = "16:9, 4:3, 1:1, 3:4, 9:16"


@pytest.mark.parametrize(
    ("model", "data", "strict"),
    [
        *(good(f"t2v-v5-{r}", T2V, {"aspect_ratio": r}, strict=True) for r in ("16:9", "4:3", "1:1", "3:4", "9:16")),
        *(
            good(f"t2v-{m}-{r}", T2V, {"model": m, "aspect_ratio": r}, strict=True)
            for m in ("v6", "c1")
            for r in ("2:3", "3:2", "21:9")
        ),
        good("fusion-c1-21:9", FUSION, {"model": "c1", "aspect_ratio": "21:9"}, strict=True),
        good("fusion-v6-2:3", FUSION, {"model": "v6", "aspect_ratio": "2:3"}, strict=True),
    ],
)
def test_aspect_ratio_accepted(model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool) -> None:
    check_accepted(model, data, strict)


@pytest.mark.parametrize(
    ("model", "data", "strict", "expected"),
    [
        *(
            bad(
                f"t2v-{m}-{r}",
                T2V,
                {"model": m, "aspect_ratio": r},
                "aspect_ratio",
                RULE,
                f"{r} is not available on {m}",
                LEGACY_RATIOS,
            )
            for m, r in [("v3.5", "21:9"), ("v5", "2:3"), ("v5.5", "3:2"), ("v5.6", "21:9")]
        ),
        bad("fusion-v5-3:2", FUSION, {"aspect_ratio": "3:2"}, "aspect_ratio", RULE, LEGACY_RATIOS),
        bad("t2v-v6-5:4", T2V, {"model": "v6", "aspect_ratio": "5:4"}, "aspect_ratio", RULE),
    ],
)
def test_aspect_ratio_refused(
    model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool, expected: Refused
) -> None:
    check_refused(model, data, strict, expected)


# ---------------------------------------------------------------------------------------------------------
# Model gates: generate_audio_switch, generate_multi_clip_switch, camera_movement


@pytest.mark.parametrize(
    ("model", "data", "strict"),
    [
        *(
            good(f"t2v-audio-{m}", T2V, {"model": m, "generate_audio_switch": True}, strict=True)
            for m in ("v5.5", "v5.6", "v6", "c1")
        ),
        good("i2v-audio-v5.6", I2V, {"model": "v5.6", "generate_audio_switch": True}),
        good("transition-audio-v5.5", TRANSITION, {"model": "v5.5", "generate_audio_switch": True}),
        good("extend-audio-v6", EXTEND, {"model": "v6", "generate_audio_switch": True}),
        good("fusion-audio-v5.6", FUSION, {"model": "v5.6", "generate_audio_switch": True}),
        good("fusion-audio-c1", FUSION, {"model": "c1", "generate_audio_switch": True}),
        good("t2v-audio-off-on-v5", T2V, {"generate_audio_switch": False}),
        good("t2v-multi-clip-v5.5", T2V, {"model": "v5.5", "generate_multi_clip_switch": True}),
        good("i2v-multi-clip-v6", I2V, {"model": "v6", "generate_multi_clip_switch": True}),
        good("t2v-multi-clip-off-on-v5", T2V, {"generate_multi_clip_switch": False}),
        good("t2v-camera-v4", T2V, {"model": "v4", "camera_movement": "zoom_in"}),
        good("i2v-camera-v4.5", I2V, {"model": "v4.5", "camera_movement": "hitchcock"}),
    ],
)
def test_model_gated_options_accepted(model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool) -> None:
    check_accepted(model, data, strict)


AUDIO_MODELS = "v5.5, v5.6, v6, c1"

GATES_REFUSED = [
    bad("t2v-audio-v5", T2V, {"generate_audio_switch": True}, "generate_audio_switch", RULE, AUDIO_MODELS, "not v5"),
    bad(
        "i2v-audio-v4.5",
        I2V,
        {"model": "v4.5", "generate_audio_switch": True},
        "generate_audio_switch",
        RULE,
        AUDIO_MODELS,
    ),
    bad(
        "transition-audio-v5", TRANSITION, {"generate_audio_switch": True}, "generate_audio_switch", RULE, AUDIO_MODELS
    ),
    bad("extend-audio-v5", EXTEND, {"generate_audio_switch": True}, "generate_audio_switch", RULE, AUDIO_MODELS),
    bad(
        "fusion-audio-v5.5",
        FUSION,
        {"model": "v5.5", "generate_audio_switch": True},
        "generate_audio_switch",
        RULE,
        "v5.6, v6, c1",
        "not v5.5",
    ),
    bad(
        "t2v-multi-clip-v5.6",
        T2V,
        {"model": "v5.6", "generate_multi_clip_switch": True},
        "generate_multi_clip_switch",
        RULE,
        "v5.5, v6",
        "not v5.6",
    ),
    bad(
        "i2v-multi-clip-c1",
        I2V,
        {"model": "c1", "generate_multi_clip_switch": True},
        "generate_multi_clip_switch",
        RULE,
        "v5.5, v6",
    ),
    bad("t2v-multi-clip-v5", T2V, {"generate_multi_clip_switch": True}, "generate_multi_clip_switch", RULE, "v5.5, v6"),
    bad("t2v-camera-v5", T2V, {"camera_movement": "zoom_in"}, "camera_movement", RULE, "v4, v4.5", "not v5"),
    bad("t2v-camera-v3.5", T2V, {"model": "v3.5", "camera_movement": "pan_left"}, "camera_movement", RULE, "v4, v4.5"),
    bad("i2v-camera-v6", I2V, {"model": "v6", "camera_movement": "whip_pan"}, "camera_movement", RULE, "v4, v4.5"),
    bad("t2v-camera-unknown", T2V, {"model": "v4", "camera_movement": "spin"}, "camera_movement", RULE, "'zoom_in'"),
]


@pytest.mark.parametrize(("model", "data", "strict", "expected"), GATES_REFUSED)
def test_model_gated_options_refused(
    model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool, expected: Refused
) -> None:
    check_refused(model, data, strict, expected)


# ---------------------------------------------------------------------------------------------------------
# Legacy audio add-ons: v5 and older, or any model with a template_id

ADD_ONS = {
    "sound_effect_switch": True,
    "sound_effect_content": "rain on a tin roof",
    "lip_sync_tts_switch": True,
    "lip_sync_switch": True,
    "lip_sync_tts_content": "hello there",
    "lip_sync_tts_speaker_id": "1",
}


@pytest.mark.parametrize(
    ("model", "data", "strict"),
    [
        *(good(f"t2v-v5-{k}", T2V, {k: v}, strict=True) for k, v in ADD_ONS.items()),
        good("t2v-v3.5-all", T2V, {"model": "v3.5", **ADD_ONS}, strict=True),
        good("i2v-v4.5-all", I2V, {"model": "v4.5", **ADD_ONS}),
        good("transition-v4-sound", TRANSITION, {"model": "v4", "sound_effect_switch": True}),
        good("t2v-v5.5-all-with-template", T2V, {"model": "v5.5", "template_id": TEMPLATE, **ADD_ONS}, strict=True),
        good("i2v-v6-sound-with-template", I2V, {"model": "v6", "template_id": TEMPLATE, "sound_effect_switch": True}),
        good(
            "transition-c1-tts-with-template",
            TRANSITION,
            {"model": "c1", "template_id": TEMPLATE, "lip_sync_tts_switch": True},
        ),
        good("t2v-v6-sound-off", T2V, {"model": "v6", "sound_effect_switch": False}),
        good("t2v-v5.6-empty-sound-content", T2V, {"model": "v5.6", "sound_effect_content": ""}),
    ],
)
def test_legacy_add_ons_accepted(model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool) -> None:
    check_accepted(model, data, strict)


LEGACY_AUDIO_MODELS = "v3.5, v4, v4.5, v5"

ADD_ONS_REFUSED = [
    *(
        bad(
            f"{cls.__name__}-{m}-{k}",
            cls,
            {"model": m, k: v},
            k,
            RULE,
            f"{LEGACY_AUDIO_MODELS} or with a template_id",
            f"on {m}",
        )
        for cls, m in [(T2V, "v5.5"), (I2V, "v5.6"), (TRANSITION, "v6"), (T2V, "c1")]
        for k, v in ADD_ONS.items()
    ),
]


@pytest.mark.parametrize(("model", "data", "strict", "expected"), ADD_ONS_REFUSED)
def test_legacy_add_ons_refused_on_newer_models_without_template(
    model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool, expected: Refused
) -> None:
    check_refused(model, data, strict, expected)


def test_every_legacy_add_on_is_named() -> None:
    problems = refusal(T2V, payload(T2V, {"model": "v6", **ADD_ONS}))
    assert found(problems) == sorted((name, RULE) for name in ADD_ONS)


# ---------------------------------------------------------------------------------------------------------
# Image-to-video: image sources and templates


@pytest.mark.parametrize(
    ("model", "data", "strict"),
    [
        good("single-image", I2V, None, strict=True),
        good("single-image-template", I2V, {"template_id": TEMPLATE}, strict=True),
        good(
            "multi-image-template", I2V, {"img_id": DROP, "img_ids": [IMG, IMG2], "template_id": TEMPLATE}, strict=True
        ),
        good("template-empty-prompt", I2V, {"template_id": TEMPLATE, "prompt": ""}, strict=True),
        good("template-blank-prompt", I2V, {"template_id": TEMPLATE, "prompt": "  "}),
        good("template-any-model", I2V, {"template_id": TEMPLATE, "model": "v3.5", "prompt": ""}),
    ],
)
def test_image_to_video_accepted(model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool) -> None:
    check_accepted(model, data, strict)


def test_template_video_without_prompt_sends_an_empty_prompt() -> None:
    data = payload(I2V, {"prompt": DROP, "template_id": TEMPLATE})
    assert parse_request(I2V, data).to_payload() == {**data, "prompt": ""}


I2V_REFUSED = [
    bad(
        "both-img-id-and-img-ids",
        I2V,
        {"img_ids": [IMG2], "template_id": TEMPLATE},
        "img_id or img_ids",
        RULE,
        "exactly one",
        "got img_id and img_ids",
    ),
    bad("no-image", I2V, {"img_id": DROP}, "img_id or img_ids", EMPTY, "none was given"),
    bad("img-ids-without-template", I2V, {"img_id": DROP, "img_ids": [IMG, IMG2]}, "img_ids", RULE, "template_id"),
    bad("empty-img-ids", I2V, {"img_id": DROP, "img_ids": [], "template_id": TEMPLATE}, "img_ids", RULE),
    bad("no-prompt-without-template", I2V, {"prompt": DROP}, "prompt", EMPTY),
    bad("empty-prompt-without-template", I2V, {"prompt": ""}, "prompt", EMPTY),
]


@pytest.mark.parametrize(("model", "data", "strict", "expected"), I2V_REFUSED)
def test_image_to_video_refused(
    model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool, expected: Refused
) -> None:
    check_refused(model, data, strict, expected)


def test_img_ids_without_template_and_a_second_image_are_both_reported() -> None:
    problems = refusal(I2V, payload(I2V, {"img_ids": [IMG2]}))
    assert found(problems) == [("img_id or img_ids", RULE), ("img_ids", RULE)]


def test_template_does_not_excuse_a_too_long_prompt() -> None:
    problems = refusal(I2V, payload(I2V, {"template_id": TEMPLATE, "prompt": long_text(5001)}))
    assert [(p.field, p.code) for p in problems] == [("prompt", LONG_PROMPT)]


# ---------------------------------------------------------------------------------------------------------
# Fusion

FUSION_MODELS = "v4.5, v5, v5.5, v5.6, v6, c1"


@pytest.mark.parametrize(
    ("model", "data", "strict"),
    [
        good("v4.5-3-refs", FUSION, {"model": "v4.5", **refs("a", "b", "c")}, strict=True),
        good("v5-3-refs", FUSION, refs("cat", "dog", "park"), strict=True),
        good("v5.5-7-refs", FUSION, {"model": "v5.5", **refs(*"abcdefg")}, strict=True),
        good("v5.6-7-refs", FUSION, {"model": "v5.6", **refs(*"abcdefg")}, strict=True),
        good("v6-7-refs", FUSION, {"model": "v6", **refs(*"abcdefg")}, strict=True),
        good("c1-7-refs", FUSION, {"model": "c1", **refs(*"abcdefg")}, strict=True),
        good(
            "background-ref", FUSION, {"image_references": [{"type": "background", "img_id": IMG, "ref_name": "cat"}]}
        ),
        good("name-with-regex-characters", FUSION, refs("c.a+t")),
        good("ref-name-31-bytes-lenient", FUSION, refs("n" * 31)),
        good("ref-name-30-bytes-strict", FUSION, refs("n" * 30), strict=True),
        good("ref-name-10-cjk-30-bytes-strict", FUSION, refs("猫" * 10), strict=True),
        good("ref-name-11-cjk-33-bytes-lenient", FUSION, refs("猫" * 11)),
        good("mention-mid-prompt", FUSION, {"prompt": "a photo of @cat running"}),
    ],
)
def test_fusion_accepted(model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool) -> None:
    check_accepted(model, data, strict)


FUSION_REFUSED = [
    bad(
        "v4.5-4-refs",
        FUSION,
        {"model": "v4.5", **refs(*"abcd")},
        "image_references",
        RULE,
        "v4.5 takes 1-3 references, got 4",
    ),
    bad("v5-4-refs", FUSION, refs(*"abcd"), "image_references", RULE, "1-3", "got 4"),
    bad(
        "v5.5-8-refs",
        FUSION,
        {"model": "v5.5", **refs(*"abcdefgh")},
        "image_references",
        RULE,
        "v5.5 takes 1-7 references, got 8",
    ),
    bad("c1-8-refs", FUSION, {"model": "c1", **refs(*"abcdefgh")}, "image_references", RULE, "1-7"),
    bad(
        "duplicate-name",
        FUSION,
        {
            "image_references": [
                {"type": "subject", "img_id": IMG, "ref_name": "cat"},
                {"type": "background", "img_id": IMG2, "ref_name": "cat"},
            ]
        },
        "image_references[1].ref_name",
        RULE,
        "'cat' is used twice",
    ),
    bad("missing-mention", FUSION, {"prompt": "a cat plays in the snow"}, "prompt", RULE, "'@cat '"),
    bad(
        "mention-at-end-without-space", FUSION, {"prompt": "snow falls on @cat"}, "prompt", RULE, "followed by a space"
    ),
    bad("mention-followed-by-comma", FUSION, {"prompt": "@cat, in the snow"}, "prompt", RULE, "'@cat '"),
    bad("mention-of-longer-name-only", FUSION, {"prompt": "@cats play in the snow"}, "prompt", RULE, "'@cat '"),
    bad(
        "ref-name-31-bytes-strict",
        FUSION,
        refs("n" * 31),
        "image_references[0].ref_name",
        RULE,
        "30 UTF-8 bytes",
        strict=True,
    ),
    bad(
        "ref-name-11-cjk-33-bytes-strict",
        FUSION,
        refs("猫" * 11),
        "image_references[0].ref_name",
        RULE,
        "30 UTF-8 bytes",
        strict=True,
    ),
    bad(
        "model-v4", FUSION, {"model": "v4"}, "model", RULE, f"v4 is not available for fusion; allowed: {FUSION_MODELS}"
    ),
    bad("model-v3.5", FUSION, {"model": "v3.5"}, "model", RULE, FUSION_MODELS),
    bad("no-refs-key", FUSION, {"image_references": DROP}, "image_references", EMPTY),
]


@pytest.mark.parametrize(("model", "data", "strict", "expected"), FUSION_REFUSED)
def test_fusion_refused(model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool, expected: Refused) -> None:
    check_refused(model, data, strict, expected)


def test_fusion_duplicate_name_and_missing_mention_are_both_reported() -> None:
    references = [
        {"type": "subject", "img_id": IMG, "ref_name": "cat"},
        {"type": "subject", "img_id": IMG2, "ref_name": "cat"},
        {"type": "background", "img_id": IMG2 + 1, "ref_name": "park"},
    ]
    problems = refusal(FUSION, payload(FUSION, {"image_references": references, "prompt": "@cat runs in the park"}))
    assert found(problems) == [("image_references[1].ref_name", RULE), ("prompt", RULE)]
    assert "'cat' is used twice" in message_of(problems, "image_references[1].ref_name")
    assert "'@park '" in message_of(problems, "prompt")


def test_fusion_every_broken_reference_is_reported_in_strict_mode() -> None:
    long_name = "n" * 31
    references = [
        {"type": "subject", "img_id": IMG, "ref_name": long_name},
        {"type": "subject", "img_id": IMG2, "ref_name": ""},
    ]
    problems = refusal(FUSION, payload(FUSION, {"image_references": references, "prompt": "nothing here"}), strict=True)
    assert found(problems) == [
        ("image_references[0].ref_name", RULE),
        ("image_references[1].ref_name", EMPTY),
        ("prompt", RULE),
    ]


# ---------------------------------------------------------------------------------------------------------
# Multi-transition

MULTI_MODELS = "v3.5, v4, v4.5, v5"


@pytest.mark.parametrize(
    ("model", "data", "strict"),
    [
        good("2-frames-8s", MULTI, {"multi_transition": frames(8, None)}, strict=True),
        good("2-frames-1s-last-0", MULTI, {"multi_transition": frames(1, 0)}, strict=True),
        good("3-frames-5s-each", MULTI, {"multi_transition": frames(5, 5, None)}, strict=True),
        good("7-frames-30s-total", MULTI, {"multi_transition": frames(5, 5, 5, 5, 5, 5, 0)}, strict=True),
        good(
            "with-prompts",
            MULTI,
            {"multi_transition": [{"img_id": IMG, "duration": 2, "prompt": "zoom"}, {"img_id": IMG2, "prompt": "end"}]},
        ),
        *(good(f"model-{m}", MULTI, {"model": m}, strict=True) for m in ("v3.5", "v4", "v4.5", "v5")),
        good(
            "v4.5-fast-5s",
            MULTI,
            {"model": "v4.5", "motion_mode": "fast", "multi_transition": frames(5, None)},
            strict=True,
        ),
        pytest.param(
            MULTI,
            payload(MULTI, {"model": "v4.5", "motion_mode": "fast", "multi_transition": frames(3, None)}),
            False,
            id="v4.5-fast-3s",
        ),
        pytest.param(
            MULTI,
            payload(MULTI, {"model": "v4", "motion_mode": "fast", "multi_transition": frames(2, 4, None)}),
            False,
            id="v4-fast-2s-4s",
        ),
    ],
)
def test_multi_transition_accepted(model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool) -> None:
    check_accepted(model, data, strict)


MULTI_REFUSED = [
    bad("1-frame", MULTI, {"multi_transition": frames(None)}, "multi_transition", RULE, "needs 2-7 keyframes, got 1"),
    bad("0-frames", MULTI, {"multi_transition": []}, "multi_transition", RULE, "needs 2-7 keyframes, got 0"),
    bad(
        "8-frames",
        MULTI,
        {"multi_transition": frames(1, 1, 1, 1, 1, 1, 1, None)},
        "multi_transition",
        RULE,
        "2-7",
        "got 8",
    ),
    bad(
        "2-frames-9s",
        MULTI,
        {"multi_transition": frames(9, None)},
        "multi_transition[0].duration",
        RULE,
        "must be 1-8 seconds with 2 keyframes, got 9",
    ),
    bad(
        "3-frames-6s",
        MULTI,
        {"multi_transition": frames(5, 6, None)},
        "multi_transition[1].duration",
        RULE,
        "must be 1-5 seconds with 3 keyframes, got 6",
    ),
    bad(
        "7-frames-6s",
        MULTI,
        {"multi_transition": frames(6, 1, 1, 1, 1, 1, None)},
        "multi_transition[0].duration",
        RULE,
        "1-5",
    ),
    bad("middle-0s", MULTI, {"multi_transition": frames(2, 0, None)}, "multi_transition[1].duration", RULE, "got 0"),
    bad(
        "middle-missing",
        MULTI,
        {"multi_transition": frames(2, None, None)},
        "multi_transition[1].duration",
        RULE,
        "got None",
    ),
    bad(
        "last-3s",
        MULTI,
        {"multi_transition": frames(3, 3)},
        "multi_transition[1].duration",
        RULE,
        "must be 0 or absent on the last keyframe",
    ),
    bad("negative-segment", MULTI, {"multi_transition": frames(-1, None)}, "multi_transition[0].duration", RULE),
    bad(
        "model-v5.5",
        MULTI,
        {"model": "v5.5"},
        "model",
        RULE,
        f"v5.5 is not available for multi_transition; allowed: {MULTI_MODELS}",
    ),
    bad("model-c1", MULTI, {"model": "c1"}, "model", RULE, MULTI_MODELS),
    bad("v5-fast", MULTI, {"motion_mode": "fast"}, "motion_mode", RULE, "not supported on model v5"),
    bad(
        "v4.5-fast-8s-segment",
        MULTI,
        {"model": "v4.5", "motion_mode": "fast", "multi_transition": frames(8, None)},
        "motion_mode",
        RULE,
        "at most 5 seconds",
    ),
    bad(
        "v4.5-fast-1080p",
        MULTI,
        {"model": "v4.5", "motion_mode": "fast", "quality": "1080p", "multi_transition": frames(5, None)},
        "motion_mode",
        RULE,
        "1080p",
    ),
]


@pytest.mark.parametrize(("model", "data", "strict", "expected"), MULTI_REFUSED)
def test_multi_transition_refused(
    model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool, expected: Refused
) -> None:
    check_refused(model, data, strict, expected)


def test_multi_transition_total_over_30_seconds_is_reported_with_the_segment() -> None:
    problems = refusal(MULTI, payload(MULTI, {"multi_transition": frames(31, None)}))
    assert found(problems) == [("multi_transition", RULE), ("multi_transition[0].duration", RULE)]
    assert "total duration must be 1-30 s, got 31" in message_of(problems, "multi_transition")


def test_multi_transition_reports_every_bad_segment() -> None:
    problems = refusal(MULTI, payload(MULTI, {"model": "v6", "multi_transition": frames(6, 7, 2)}))
    assert found(problems) == [
        ("model", RULE),
        ("multi_transition[0].duration", RULE),
        ("multi_transition[1].duration", RULE),
        ("multi_transition[2].duration", RULE),
    ]


# ---------------------------------------------------------------------------------------------------------
# Extend

EXTEND_MODELS = "v3.5, v4, v4.5, v5, v5.5, v6"


@pytest.mark.parametrize(
    ("model", "data", "strict"),
    [
        good("generated-source", EXTEND, None, strict=True),
        good("uploaded-source", EXTEND, {"source_video_id": DROP, "video_media_id": MEDIA}, strict=True),
        *(good(f"model-{m}", EXTEND, {"model": m}, strict=True) for m in ("v3.5", "v4", "v4.5", "v5", "v5.5", "v6")),
        good("seed-0", EXTEND, {"seed": 0}),
        good("options", EXTEND, {"negative_prompt": "blur", "style": "anime", "water_mark": False}),
    ],
)
def test_extend_accepted(model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool) -> None:
    check_accepted(model, data, strict)


EXTEND_REFUSED = [
    bad(
        "both-sources",
        EXTEND,
        {"video_media_id": MEDIA},
        "source_video_id or video_media_id",
        RULE,
        "got source_video_id and video_media_id",
    ),
    bad("no-source", EXTEND, {"source_video_id": DROP}, "source_video_id or video_media_id", EMPTY, "none was given"),
    bad("no-seed", EXTEND, {"seed": DROP}, "seed", EMPTY),
    bad("seed-quoted", EXTEND, {"seed": "42"}, "seed", TYPE),
    bad(
        "model-v5.6",
        EXTEND,
        {"model": "v5.6"},
        "model",
        RULE,
        f"v5.6 is not available for extend; allowed: {EXTEND_MODELS}",
    ),
    bad("model-c1", EXTEND, {"model": "c1"}, "model", RULE, EXTEND_MODELS),
    bad("blank-prompt", EXTEND, {"prompt": ""}, "prompt", EMPTY),
]


@pytest.mark.parametrize(("model", "data", "strict", "expected"), EXTEND_REFUSED)
def test_extend_refused(model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool, expected: Refused) -> None:
    check_refused(model, data, strict, expected)


# ---------------------------------------------------------------------------------------------------------
# Lip sync

TTS = {"lip_sync_tts_speaker_id": "Auto", "lip_sync_tts_content": "Hello from PixVerse"}
NO_AUDIO = {"audio_media_id": DROP}


@pytest.mark.parametrize(
    ("model", "data", "strict"),
    [
        good("generated-video+uploaded-audio", LIP_SYNC, None, strict=True),
        good("generated-video+tts", LIP_SYNC, {**NO_AUDIO, **TTS}, strict=True),
        good(
            "uploaded-video+uploaded-audio", LIP_SYNC, {"source_video_id": DROP, "video_media_id": MEDIA}, strict=True
        ),
        good(
            "uploaded-video+tts",
            LIP_SYNC,
            {"source_video_id": DROP, "video_media_id": MEDIA, **NO_AUDIO, **TTS},
            strict=True,
        ),
        good("tts-200-chars", LIP_SYNC, {**NO_AUDIO, **TTS, "lip_sync_tts_content": long_text(200)}),
        good("tts-200-multibyte-chars", LIP_SYNC, {**NO_AUDIO, **TTS, "lip_sync_tts_content": "语" * 200}),
    ],
)
def test_lip_sync_accepted(model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool) -> None:
    check_accepted(model, data, strict)


LIP_SYNC_REFUSED = [
    bad("audio-and-tts", LIP_SYNC, TTS, "audio_media_id", RULE, "not both"),
    bad("audio-and-speaker", LIP_SYNC, {"lip_sync_tts_speaker_id": "3"}, "audio_media_id", RULE, "not both"),
    bad("audio-and-content", LIP_SYNC, {"lip_sync_tts_content": "hi"}, "audio_media_id", RULE, "not both"),
    bad(
        "no-audio",
        LIP_SYNC,
        NO_AUDIO,
        "audio_media_id",
        RULE,
    ),
    bad(
        "speaker-without-content",
        LIP_SYNC,
        {**NO_AUDIO, "lip_sync_tts_speaker_id": "3"},
        "lip_sync_tts_content",
        RULE,
        "is required with lip_sync_tts_speaker_id",
    ),
    bad(
        "content-without-speaker",
        LIP_SYNC,
        {**NO_AUDIO, "lip_sync_tts_content": "hi"},
        "lip_sync_tts_speaker_id",
        RULE,
        "is required with lip_sync_tts_content",
    ),
    bad(
        "content-201-chars",
        LIP_SYNC,
        {**NO_AUDIO, **TTS, "lip_sync_tts_content": long_text(201)},
        "lip_sync_tts_content",
        RULE,
        "within 200 characters",
        "got 201",
    ),
    bad(
        "both-videos",
        LIP_SYNC,
        {"video_media_id": MEDIA},
        "source_video_id or video_media_id",
        RULE,
        "got source_video_id and video_media_id",
    ),
    bad("no-video", LIP_SYNC, {"source_video_id": DROP}, "source_video_id or video_media_id", EMPTY),
]


@pytest.mark.parametrize(("model", "data", "strict", "expected"), LIP_SYNC_REFUSED)
def test_lip_sync_refused(
    model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool, expected: Refused
) -> None:
    check_refused(model, data, strict, expected)


def test_lip_sync_without_audio_names_both_audio_sources() -> None:
    problems = refusal(LIP_SYNC, payload(LIP_SYNC, NO_AUDIO))
    assert [p.field for p in problems] == ["audio_media_id"]
    assert "lip_sync_tts_speaker_id with lip_sync_tts_content" in problems[0].message


def test_lip_sync_without_any_source_reports_video_and_audio() -> None:
    problems = refusal(LIP_SYNC, {})
    assert found(problems) == [("audio_media_id", RULE), ("source_video_id or video_media_id", EMPTY)]


# ---------------------------------------------------------------------------------------------------------
# Sound effect, restyle, mask selection, swap, mimic, modify, image template


@pytest.mark.parametrize(
    ("model", "data", "strict"),
    [
        good(
            "sound-uploaded-video-with-options",
            SOUND,
            {
                "source_video_id": DROP,
                "video_media_id": MEDIA,
                "original_sound_switch": True,
                "sound_effect_content": "birds",
                "model": "v5",
            },
            strict=True,
        ),
        good(
            "restyle-by-prompt", RESTYLE, {"restyle_id": DROP, "restyle_prompt": "oil painting", "seed": 3}, strict=True
        ),
        good("restyle-uploaded-video", RESTYLE, {"source_video_id": DROP, "video_media_id": MEDIA}),
        good("restyle-prompt-5000-lenient", RESTYLE, {"restyle_id": DROP, "restyle_prompt": long_text(5000)}),
        good("masks-keyframe-0", MASKS, {"keyframe_id": 0}, strict=True),
        *(good(f"swap-{q}", SWAP, {"quality": q}, strict=True) for q in ("360p", "540p", "720p")),
        good("mimic-720p-strict", MIMIC, {"quality": "720p"}, strict=True),
        good("mimic-1080p-lenient", MIMIC, {"quality": "1080p"}),
        good(
            "modify-3-images-3-masks",
            MODIFY,
            {
                "img_ids": [1, 2, 3],
                "mask_ids": ["a", "b", "c"],
                "keyframe_ids": 4,
                "prompt": "@selection0 becomes @img0 ",
            },
            strict=True,
        ),
        good("modify-prompt-5000-lenient", MODIFY, {"prompt": long_text(5000)}),
        good("image-template-one-image", IMAGE_TEMPLATE, {"img_ids": [IMG]}, strict=True),
    ],
)
def test_edit_requests_accepted(model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool) -> None:
    check_accepted(model, data, strict)


EDIT_QUALITIES = "360p, 540p, 720p"

EDIT_REFUSED = [
    bad("sound-both-videos", SOUND, {"video_media_id": MEDIA}, "source_video_id or video_media_id", RULE),
    bad(
        "restyle-id-and-prompt",
        RESTYLE,
        {"restyle_prompt": "oil painting"},
        "restyle_id",
        RULE,
        "Either restyle_id or restyle_prompt must be provided",
    ),
    bad(
        "restyle-neither",
        RESTYLE,
        {"restyle_id": DROP},
        "restyle_id",
        RULE,
        "Either restyle_id or restyle_prompt must be provided",
    ),
    bad("restyle-empty-prompt", RESTYLE, {"restyle_id": DROP, "restyle_prompt": ""}, "restyle_prompt", EMPTY),
    bad(
        "restyle-prompt-5001",
        RESTYLE,
        {"restyle_id": DROP, "restyle_prompt": long_text(5001)},
        "restyle_prompt",
        LONG_PROMPT,
        "the limit is 5000",
    ),
    bad(
        "restyle-prompt-2049-strict",
        RESTYLE,
        {"restyle_id": DROP, "restyle_prompt": long_text(2049)},
        "restyle_prompt",
        LONG_PROMPT,
        "the limit is 2048",
        strict=True,
    ),
    bad("restyle-both-videos", RESTYLE, {"video_media_id": MEDIA}, "source_video_id or video_media_id", RULE),
    bad("masks-no-video", MASKS, {"video_media_id": DROP}, "source_video_id or video_media_id", EMPTY),
    bad("masks-negative-keyframe", MASKS, {"keyframe_id": -1}, "keyframe_id", RULE),
    bad(
        "swap-1080p-lenient",
        SWAP,
        {"quality": "1080p"},
        "quality",
        RULE,
        f"1080p is not supported; allowed: {EDIT_QUALITIES}",
    ),
    bad("swap-1080p-strict", SWAP, {"quality": "1080p"}, "quality", RULE, EDIT_QUALITIES, strict=True),
    bad("swap-both-videos", SWAP, {"video_media_id": MEDIA}, "source_video_id or video_media_id", RULE),
    bad("mimic-1080p-strict", MIMIC, {"quality": "1080p"}, "quality", RULE, EDIT_QUALITIES, strict=True),
    bad("mimic-both-videos", MIMIC, {"source_video_id": VIDEO}, "source_video_id or video_media_id", RULE),
    bad("mimic-no-video", MIMIC, {"video_media_id": DROP}, "source_video_id or video_media_id", EMPTY),
    bad("modify-1080p-lenient", MODIFY, {"quality": "1080p"}, "quality", RULE, EDIT_QUALITIES),
    bad("modify-4-images", MODIFY, {"img_ids": [1, 2, 3, 4]}, "img_ids", RULE, "at most 3 items, got 4"),
    bad("modify-4-masks", MODIFY, {"mask_ids": ["a", "b", "c", "d"]}, "mask_ids", RULE, "at most 3 items, got 4"),
    bad("modify-prompt-5001", MODIFY, {"prompt": long_text(5001)}, "prompt", LONG_PROMPT, "the limit is 5000"),
    bad("modify-no-video", MODIFY, {"source_video_id": DROP}, "source_video_id or video_media_id", EMPTY),
]


@pytest.mark.parametrize(("model", "data", "strict", "expected"), EDIT_REFUSED)
def test_edit_requests_refused(
    model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool, expected: Refused
) -> None:
    check_refused(model, data, strict, expected)


def test_modify_prompt_of_3000_characters_is_accepted_by_the_emulator() -> None:
    data = payload(MODIFY, {"prompt": long_text(3000)})
    assert parse_request(MODIFY, data, strict=True).to_payload() == data


# ---------------------------------------------------------------------------------------------------------
# List queries: query values arrive as text


@pytest.mark.parametrize("size", [10, 20, 50, 100, "20"], ids=lambda s: f"pageSize={s!r}")
def test_template_list_page_sizes_accepted(size: int | str) -> None:
    assert parse_request(TEMPLATE_LIST, {"pageSize": size}).to_payload() == {"page": 1, "pageSize": int(size)}


@pytest.mark.parametrize(
    ("model", "data", "strict", "expected"),
    [
        *(
            bad(
                f"pageSize={s}",
                TEMPLATE_LIST,
                {"pageSize": s},
                "pageSize",
                RULE,
                f"must be one of 10, 20, 50, 100, got {s}",
            )
            for s in (0, 30, 200)
        ),
        bad("page-0", TEMPLATE_LIST, {"page": 0}, "page", RULE),
        bad("type-3", TEMPLATE_LIST, {"type": 3}, "type", RULE, "1 or 2"),
        bad("tts-page-size-0", TTS_LIST, {"page_size": 0}, "page_size", RULE),
        bad("tts-page-size-101", TTS_LIST, {"page_size": 101}, "page_size", RULE),
        bad("restyle-list-page-0", RESTYLE_LIST, {"page_num": 0}, "page_num", RULE),
        bad("restyle-list-page-not-a-number", RESTYLE_LIST, {"page_num": "one"}, "page_num", TYPE),
    ],
)
def test_list_queries_refused(
    model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool, expected: Refused
) -> None:
    check_refused(model, data, strict, expected)


def test_page_queries_take_numbers_from_query_strings() -> None:
    assert parse_request(TTS_LIST, {"page_num": "2", "page_size": "15"}).to_payload() == {
        "page_num": 2,
        "page_size": 15,
    }


# ---------------------------------------------------------------------------------------------------------
# Prompt length: strict = 2048 up to v5 and 5000 from v5.5; lenient = 5000 everywhere


def prompt_ok(model: str, length: int, strict: bool) -> Any:
    mode = "strict" if strict else "lenient"
    aspect = {"aspect_ratio": "16:9"}
    return good(f"{model}-{length}-{mode}", T2V, {"model": model, "prompt": long_text(length), **aspect}, strict=strict)


@pytest.mark.parametrize(
    ("model", "data", "strict"),
    [
        *(prompt_ok(m, 5000, False) for m in ("v3.5", "v4", "v4.5", "v5", "v5.5", "v5.6", "v6", "c1")),
        *(prompt_ok(m, 2048, True) for m in ("v3.5", "v4", "v4.5", "v5")),
        *(prompt_ok(m, 5000, True) for m in ("v5.5", "v5.6", "v6", "c1")),
        good("negative-5000-lenient-v5", T2V, {"negative_prompt": long_text(5000)}),
        good("negative-2048-strict-v5", T2V, {"negative_prompt": long_text(2048)}, strict=True),
        good("negative-5000-strict-v6", T2V, {"model": "v6", "negative_prompt": long_text(5000)}, strict=True),
        good("i2v-5000-lenient-v4", I2V, {"model": "v4", "prompt": long_text(5000)}),
        good("transition-5000-strict-v5.5", TRANSITION, {"model": "v5.5", "prompt": long_text(5000)}, strict=True),
        good("extend-2048-strict-v5", EXTEND, {"prompt": long_text(2048)}, strict=True),
    ],
)
def test_prompt_length_accepted(model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool) -> None:
    check_accepted(model, data, strict)


def prompt_bad(model: str, length: int, limit: int, strict: bool, field: str = "prompt") -> Any:
    mode = "strict" if strict else "lenient"
    code = LONG_NEGATIVE if field == "negative_prompt" else LONG_PROMPT
    return bad(
        f"{field}-{model}-{length}-{mode}",
        T2V,
        {"model": model, field: long_text(length)},
        field,
        code,
        f"is {length} characters long; the limit is {limit}",
        strict=strict,
    )


PROMPTS_REFUSED = [
    *(prompt_bad(m, 5001, 5000, False) for m in ("v3.5", "v5", "v5.5", "v6", "c1")),
    *(prompt_bad(m, 2049, 2048, True) for m in ("v3.5", "v4", "v4.5", "v5")),
    *(prompt_bad(m, 5001, 5000, True) for m in ("v5.5", "v5.6", "v6", "c1")),
    prompt_bad("v5", 5001, 5000, False, "negative_prompt"),
    prompt_bad("v4", 2049, 2048, True, "negative_prompt"),
    prompt_bad("c1", 5001, 5000, True, "negative_prompt"),
    bad(
        "i2v-v5-2049-strict", I2V, {"prompt": long_text(2049)}, "prompt", LONG_PROMPT, "the limit is 2048", strict=True
    ),
    bad(
        "i2v-negative-v6-5001",
        I2V,
        {"model": "v6", "negative_prompt": long_text(5001)},
        "negative_prompt",
        LONG_NEGATIVE,
    ),
    bad(
        "transition-v4.5-2049-strict",
        TRANSITION,
        {"model": "v4.5", "prompt": long_text(2049)},
        "prompt",
        LONG_PROMPT,
        strict=True,
    ),
    bad(
        "extend-v5.5-5001",
        EXTEND,
        {"model": "v5.5", "prompt": long_text(5001)},
        "prompt",
        LONG_PROMPT,
        "the limit is 5000",
    ),
    bad(
        "extend-negative-v5-2049-strict",
        EXTEND,
        {"negative_prompt": long_text(2049)},
        "negative_prompt",
        LONG_NEGATIVE,
        strict=True,
    ),
]


@pytest.mark.parametrize(("model", "data", "strict", "expected"), PROMPTS_REFUSED)
def test_prompt_length_refused(
    model: type[rq.PixVerseRequest], data: dict[str, Any], strict: bool, expected: Refused
) -> None:
    check_refused(model, data, strict, expected)


def test_fusion_prompt_length_follows_the_model() -> None:
    prompt = "@cat " + long_text(2044)  # 2049 characters
    assert len(prompt) == 2049
    check_accepted(FUSION, payload(FUSION, {"model": "v5.5", "prompt": prompt}), True)
    problems = refusal(FUSION, payload(FUSION, {"prompt": prompt}), strict=True)
    assert [(p.field, p.code) for p in problems] == [("prompt", LONG_PROMPT)]


def test_long_prompt_and_long_negative_prompt_get_their_own_codes() -> None:
    problems = refusal(T2V, payload(T2V, {"prompt": long_text(5001), "negative_prompt": long_text(5002)}))
    assert found(problems) == [("negative_prompt", LONG_NEGATIVE), ("prompt", LONG_PROMPT)]


# ---------------------------------------------------------------------------------------------------------
# Several problems in one request


def test_every_rule_broken_by_a_text_to_video_is_reported() -> None:
    data = payload(
        T2V,
        {
            "duration": 10,
            "aspect_ratio": "21:9",
            "motion_mode": "fast",
            "camera_movement": "zoom_in",
            "generate_audio_switch": True,
        },
    )
    with pytest.raises(RequestValidationError) as caught:
        parse_request(T2V, data)
    error = caught.value
    assert found(error.problems) == [
        ("aspect_ratio", RULE),
        ("camera_movement", RULE),
        ("duration", RULE),
        ("generate_audio_switch", RULE),
        ("motion_mode", RULE),
    ]
    assert error.code == RULE
    assert str(error) == "; ".join(f"{p.field}: {p.message}" for p in error.problems)
    assert "aspect_ratio: 21:9 is not available on v5" in str(error)


def test_error_code_is_that_of_the_first_problem() -> None:
    with pytest.raises(RequestValidationError) as caught:
        parse_request(T2V, payload(T2V, {"prompt": "", "duration": 7}))
    error = caught.value
    assert found(error.problems) == [("duration", RULE), ("prompt", EMPTY)]
    assert error.code == error.problems[0].code
