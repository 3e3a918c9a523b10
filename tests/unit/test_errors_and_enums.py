"""Error codes, video statuses, endpoint paths (docs/api-facts.rst), the uncertain rules and ``rules.names``."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from pixverse_provider.api import request_models as rq
from pixverse_provider.api import rules
from pixverse_provider.api.endpoints import API_PREFIX, DEFAULT_BASE_URL, Endpoint
from pixverse_provider.api.enums import AspectRatio, CreationMode, Model, Quality, VideoStatus
from pixverse_provider.api.errors import ERROR_CODES, ErrorCode, ErrorKind, describe
from pixverse_provider.api.validation import RequestValidationError, parse_request

K = ErrorKind

# ---------------------------------------------------------------------------------------------------------
# Error codes


@pytest.mark.parametrize(
    ("code", "kind", "words"),
    [
        pytest.param(400011, K.INVALID_REQUEST, "required parameter", id="400011"),
        pytest.param(400012, K.AUTHENTICATION, "account", id="400012"),
        pytest.param(400013, K.INVALID_REQUEST, "binding", id="400013"),
        pytest.param(400017, K.INVALID_REQUEST, "Invalid parameter", id="400017"),
        pytest.param(400018, K.INVALID_REQUEST, "Prompt is too long", id="400018"),
        pytest.param(400019, K.INVALID_REQUEST, "Negative prompt", id="400019"),
        pytest.param(400032, K.NOT_FOUND, "image id", id="400032"),
        pytest.param(500008, K.NOT_FOUND, "not found", id="500008"),
        pytest.param(500020, K.PERMISSION, "permission", id="500020"),
        pytest.param(500030, K.INVALID_REQUEST, "size", id="500030"),
        pytest.param(500044, K.CONCURRENCY_LIMIT, "Concurrent", id="500044"),
        pytest.param(500052, K.MODERATION, "review", id="500052"),
        pytest.param(500054, K.MODERATION, "moderation", id="500054"),
        pytest.param(500060, K.TEMPLATE, "activation limit", id="500060"),
        pytest.param(500063, K.MODERATION, "moderation", id="500063"),
        pytest.param(500064, K.NOT_FOUND, "deleted", id="500064"),
        pytest.param(500069, K.TRANSIENT, "high load", id="500069"),
        pytest.param(500070, K.TEMPLATE, "not activated", id="500070"),
        pytest.param(500071, K.TEMPLATE, "720p or 1080p", id="500071"),
        pytest.param(500090, K.INSUFFICIENT_CREDITS, "balance", id="500090"),
        pytest.param(500100, K.TRANSIENT, "Database", id="500100"),
        pytest.param(701002, K.INVALID_REQUEST, "subject", id="701002"),
        pytest.param(701003, K.INVALID_REQUEST, "person", id="701003"),
        pytest.param(99999, K.UNKNOWN, "Unknown", id="99999"),
        *(pytest.param(c, K.AUTHENTICATION, "Authentication", id=str(c)) for c in range(10001, 10006)),
    ],
)
def test_describe_known_codes(code: int, kind: ErrorKind, words: str) -> None:
    entry = describe(code)
    assert (entry.code, entry.kind) == (code, kind)
    assert words in entry.message
    assert ERROR_CODES[code] is entry


@pytest.mark.parametrize("code", [712008, 123456, 10000, 10006, -1], ids=str)
def test_describe_unknown_codes(code: int) -> None:
    entry = describe(code)
    assert entry == ErrorCode(code, ErrorKind.UNKNOWN, "Undocumented error code")
    assert code not in ERROR_CODES


def test_every_table_entry_is_keyed_by_its_own_code() -> None:
    assert all(entry.code == code for code, entry in ERROR_CODES.items())


# ---------------------------------------------------------------------------------------------------------
# Video status


@pytest.mark.parametrize(
    ("status", "terminal"),
    [
        pytest.param(1, True, id="1-succeeded"),
        pytest.param(6, True, id="6-deleted"),
        pytest.param(7, True, id="7-moderation-failed"),
        pytest.param(8, True, id="8-failed"),
        pytest.param(5, False, id="5-generating"),
        pytest.param(2, False, id="2-undocumented"),
        pytest.param(3, False, id="3-undocumented"),
        pytest.param(0, False, id="0-undocumented"),
        pytest.param(9, False, id="9-undocumented"),
        pytest.param(VideoStatus.SUCCEEDED, True, id="enum-member"),
    ],
)
def test_video_status_is_terminal(status: int, terminal: bool) -> None:
    assert VideoStatus.is_terminal(status) is terminal


def test_video_status_values() -> None:
    assert {s.name: int(s) for s in VideoStatus} == {
        "SUCCEEDED": 1,
        "GENERATING": 5,
        "DELETED": 6,
        "MODERATION_FAILED": 7,
        "FAILED": 8,
    }


def test_enum_values_are_the_api_strings() -> None:
    assert [m.value for m in Model] == ["v3.5", "v4", "v4.5", "v5", "v5.5", "v5.6", "v6", "c1"]
    assert [q.value for q in Quality] == ["360p", "540p", "720p", "1080p"]
    assert [r.value for r in AspectRatio] == ["16:9", "4:3", "1:1", "3:4", "9:16", "2:3", "3:2", "21:9"]


# ---------------------------------------------------------------------------------------------------------
# Endpoints


@pytest.mark.parametrize(
    ("endpoint", "ids", "path"),
    [
        pytest.param(
            Endpoint.VIDEO_RESULT,
            {"video_id": 302325299692608},
            "/openapi/v2/video/result/302325299692608",
            id="video-result",
        ),
        pytest.param(Endpoint.IMAGE_RESULT, {"image_id": 12}, "/openapi/v2/image/result/12", id="image-result"),
        pytest.param(Endpoint.TEXT_TO_VIDEO, {}, "/openapi/v2/video/text/generate", id="no-placeholder"),
        pytest.param(Endpoint.BALANCE, {"video_id": 1}, "/openapi/v2/account/balance", id="extra-ids-ignored"),
    ],
)
def test_endpoint_format(endpoint: Endpoint, ids: dict[str, int], path: str) -> None:
    assert endpoint.format(**ids) == path


def test_endpoint_format_needs_its_id() -> None:
    with pytest.raises(KeyError, match="video_id"):
        Endpoint.VIDEO_RESULT.format(image_id=1)


ENDPOINT_PATHS = {
    Endpoint.BALANCE: "/account/balance",
    Endpoint.UPLOAD_IMAGE: "/image/upload",
    Endpoint.UPLOAD_MEDIA: "/media/upload",
    Endpoint.TEXT_TO_VIDEO: "/video/text/generate",
    Endpoint.IMAGE_TO_VIDEO: "/video/img/generate",
    Endpoint.TRANSITION: "/video/transition/generate",
    Endpoint.MULTI_TRANSITION: "/video/multi_transition/generate",
    Endpoint.FUSION: "/video/fusion/generate",
    Endpoint.EXTEND: "/video/extend/generate",
    Endpoint.LIP_SYNC: "/video/lip_sync/generate",
    Endpoint.TTS_SPEAKERS: "/video/lip_sync/tts_list",
    Endpoint.SOUND_EFFECT: "/video/sound_effect/generate",
    Endpoint.TEMPLATES: "/video/effects/templates/list",
    Endpoint.RESTYLE: "/video/restyle/generate",
    Endpoint.RESTYLE_LIST: "/video/restyle/list",
    Endpoint.MASK_SELECTION: "/video/mask/selection",
    Endpoint.SWAP: "/video/swap/generate",
    Endpoint.MIMIC: "/video/mimic/generate",
    Endpoint.MODIFY: "/video/modify/generate",
    Endpoint.IMAGE_TEMPLATE: "/image/template/generate",
    Endpoint.IMAGE_RESULT: "/image/result/{image_id}",
    Endpoint.VIDEO_RESULT: "/video/result/{video_id}",
}
"""docs/api-facts.rst, 'Endpoints', relative to /openapi/v2."""


@pytest.mark.parametrize(("endpoint", "path"), list(ENDPOINT_PATHS.items()), ids=[e.name for e in ENDPOINT_PATHS])
def test_endpoint_paths_match_the_reference(endpoint: Endpoint, path: str) -> None:
    assert endpoint.value == "/openapi/v2" + path


def test_every_endpoint_is_distinct_and_under_the_prefix() -> None:
    assert API_PREFIX == "/openapi/v2"
    assert DEFAULT_BASE_URL == "https://app-api.pixverse.ai"
    values = [e.value for e in Endpoint]
    assert len(values) == len(set(values))
    assert set(Endpoint) == set(ENDPOINT_PATHS)
    assert all(v.startswith(API_PREFIX + "/") for v in values)


# ---------------------------------------------------------------------------------------------------------
# rules.names: how allowed values are listed in error messages


@pytest.mark.parametrize(
    ("values", "text"),
    [
        pytest.param([5, 8, 10], "5, 8, 10", id="durations"),
        pytest.param({10, 8, 5}, "5, 8, 10", id="unordered-set"),
        pytest.param([5, 8], "5, 8", id="two"),
        pytest.param(range(1, 16), "1-15", id="range-1-15"),
        pytest.param([4, 2, 3, 1], "1-4", id="shuffled-run-of-four"),
        pytest.param([1, 2, 3], "1, 2, 3", id="run-of-three-is-listed"),
        pytest.param([1, 2, 3, 5], "1, 2, 3, 5", id="gap"),
        pytest.param(rules.TEMPLATE_PAGE_SIZES, "10, 20, 50, 100", id="page-sizes"),
        pytest.param([7], "7", id="one"),
        pytest.param([], "", id="empty"),
        pytest.param({Model.V4_5, Model.V3_5, Model.V4}, "v3.5, v4, v4.5", id="models-in-enum-order"),
        pytest.param(rules.AUDIO_SWITCH_MODELS, "v5.5, v5.6, v6, c1", id="audio-models"),
        pytest.param(rules.MODE_MODELS[CreationMode.EXTEND], "v3.5, v4, v4.5, v5, v5.5, v6", id="extend-models"),
        pytest.param(rules.LEGACY_ASPECT_RATIOS, "16:9, 4:3, 1:1, 3:4, 9:16", id="legacy-ratios"),
        pytest.param(rules.WIDE_ASPECT_RATIOS, "16:9, 4:3, 1:1, 3:4, 9:16, 2:3, 3:2, 21:9", id="wide-ratios"),
        pytest.param(rules.EDIT_QUALITIES, "360p, 540p, 720p", id="edit-qualities"),
    ],
)
def test_names(values: Any, text: str) -> None:
    assert rules.names(values) == text


def test_names_of_a_whole_enum_lists_values_not_reprs() -> None:
    assert rules.names(Model) == "v3.5, v4, v4.5, v5, v5.5, v5.6, v6, c1"
    assert rules.names(Quality) == "360p, 540p, 720p, 1080p"


# ---------------------------------------------------------------------------------------------------------
# Uncertain rules: only the emulator (strict) applies them


def test_uncertain_rules_are_left_to_the_server_by_clients() -> None:
    assert set(rules.UNCERTAIN_RULES) >= {
        "prompt_length",
        "legacy_1080p_8s",
        "edit_quality_1080p",
        "fusion_ref_name_length",
    }
    for name in rules.UNCERTAIN_RULES:
        assert rules.enforced(name, strict=True) is True
        assert rules.enforced(name, strict=False) is False


def test_no_switch_makes_a_client_enforce_an_uncertain_rule() -> None:
    """The house rule: what the public docs disagree on is left to the server, with no per-rule exception."""
    assert [f.name for f in dataclasses.fields(rules.UncertainRule)] == ["name", "question", "emulator_behaviour"]


@pytest.mark.parametrize("strict", [True, False], ids=["emulator", "client"])
def test_a_misspelt_uncertain_rule_fails_loudly(strict: bool) -> None:
    with pytest.raises(KeyError, match="'prompt_lenght' is not an uncertain rule"):
        rules.enforced("prompt_lenght", strict=strict)


FOX = {"prompt": "a fox", "model": "v5", "duration": 5, "quality": "540p", "aspect_ratio": "16:9"}


@pytest.mark.parametrize(
    ("rule", "model", "payload", "field"),
    [
        pytest.param("prompt_length", rq.TextToVideoRequest, {**FOX, "prompt": "x" * 2049}, "prompt", id="prompt"),
        pytest.param(
            "legacy_1080p_8s", rq.TextToVideoRequest, {**FOX, "model": "v4", "duration": 8, "quality": "1080p"},
            "duration", id="v4-1080p-8s",
        ),
        pytest.param(
            "edit_quality_1080p", rq.MimicRequest, {"source_video_id": 1, "img_id": 2, "quality": "1080p"},
            "quality", id="mimic-1080p",
        ),
        pytest.param(
            "fusion_ref_name_length", rq.FusionRequest,
            {**FOX, "image_references": [{"type": "subject", "img_id": 1, "ref_name": "n" * 31}],
             "prompt": f"@{'n' * 31} runs"},
            "image_references[0].ref_name", id="fusion-ref-name",
        ),
    ],
)  # fmt: skip
def test_each_checked_uncertain_rule_binds_the_emulator_only(
    rule: str, model: type[rq.PixVerseRequest], payload: dict[str, Any], field: str
) -> None:
    assert rule in rules.UNCERTAIN_RULES
    parse_request(model, payload, strict=False)  # the client sends it and lets PixVerse decide
    with pytest.raises(RequestValidationError) as refused:
        parse_request(model, payload, strict=True)
    assert [p.field for p in refused.value.problems] == [field]


@pytest.mark.parametrize(
    ("model", "strict", "longest"),
    [
        pytest.param(Model.V3_5, False, 5, id="v3.5-lenient"),
        pytest.param(Model.V4, False, None, id="v4-lenient"),
        pytest.param(Model.V4, True, 5, id="v4-strict"),
        pytest.param(Model.V4_5, True, 5, id="v4.5-strict"),
        pytest.param(Model.V5, True, None, id="v5-strict"),
        pytest.param(Model.V5_5, False, 8, id="v5.5-lenient"),
        pytest.param(Model.V5_6, True, 8, id="v5.6-strict"),
        pytest.param(Model.V6, True, None, id="v6-strict"),
        pytest.param(Model.C1, True, None, id="c1-strict"),
    ],
)
def test_max_duration_at_1080p(model: Model, strict: bool, longest: int | None) -> None:
    assert rules.max_duration_at_1080p(model, strict=strict) == longest


@pytest.mark.parametrize(
    ("model", "strict", "limit"),
    [
        pytest.param(Model.V5, False, 5000, id="v5-lenient"),
        pytest.param(Model.V5, True, 2048, id="v5-strict"),
        pytest.param(Model.V3_5, True, 2048, id="v3.5-strict"),
        pytest.param(Model.V5_5, True, 5000, id="v5.5-strict"),
        pytest.param(Model.C1, True, 5000, id="c1-strict"),
        pytest.param(None, False, 5000, id="no-model-lenient"),
    ],
)
def test_prompt_limit(model: Model | None, strict: bool, limit: int) -> None:
    assert rules.prompt_limit(model, strict=strict) == limit
