"""Per-model rules of the PixVerse API (docs/api-facts.rst, 'Generation fields', 'Modes'), as data.

Where the public sources disagree, the rule is listed in ``UNCERTAIN_RULES``: the client leaves those to the
server (refusing what PixVerse accepts would lock users out of it), and the emulator, which plays the server,
applies the interpretation written next to each one. A rule PixVerse settles leaves ``UNCERTAIN_RULES`` and
becomes an ordinary rule, checked by both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from pixverse_provider.api.enums import AspectRatio, CreationMode, Model, MotionMode, Quality

M = Model
Q = Quality

LEGACY_MODELS = frozenset({M.V3_5, M.V4, M.V4_5})
"""Models priced and ruled by the v3.5/v4/v4.5 table."""

PER_SECOND_MODELS = frozenset({M.V6, M.C1})
"""Models that take any whole duration from 1 to 15 seconds."""

EDIT_QUALITIES = frozenset({Q.Q360P, Q.Q540P, Q.Q720P})
"""Swap, mimic and modify stop at 720p."""

LEGACY_ASPECT_RATIOS = frozenset(
    {AspectRatio.R16_9, AspectRatio.R4_3, AspectRatio.R1_1, AspectRatio.R3_4, AspectRatio.R9_16}
)
WIDE_ASPECT_RATIOS = LEGACY_ASPECT_RATIOS | {AspectRatio.R2_3, AspectRatio.R3_2, AspectRatio.R21_9}

FAST_MOTION_MODELS = LEGACY_MODELS
"""``motion_mode="fast"`` is refused from v5 on."""

AUDIO_SWITCH_MODELS = frozenset({M.V5_5, M.V5_6, M.V6, M.C1})
"""``generate_audio_switch`` (newest sources; the EN page still says v5.5/v5.6 only)."""

FUSION_AUDIO_SWITCH_MODELS = frozenset({M.V5_6, M.V6, M.C1})

MULTI_CLIP_MODELS = frozenset({M.V5_5, M.V6})
"""``generate_multi_clip_switch`` on text- and image-to-video."""

LEGACY_AUDIO_MODELS = frozenset({M.V3_5, M.V4, M.V4_5, M.V5})
"""The ``sound_effect_*`` and ``lip_sync_tts_*`` add-ons: these models, or any model with a template."""

CAMERA_MOVEMENT_MODELS = frozenset({M.V4, M.V4_5})

MODE_MODELS: dict[CreationMode, frozenset[Model]] = {
    CreationMode.TEXT_TO_VIDEO: frozenset(Model),
    CreationMode.IMAGE_TO_VIDEO: frozenset(Model),
    CreationMode.TRANSITION: frozenset(Model),
    CreationMode.EXTEND: frozenset({M.V3_5, M.V4, M.V4_5, M.V5, M.V5_5, M.V6}),
    CreationMode.MULTI_TRANSITION: frozenset({M.V3_5, M.V4, M.V4_5, M.V5}),
    # v6 fusion: the V6 matrix says no, the newer CN swagger says yes; both sides accept it and let PixVerse
    # answer, since refusing a model the server may take would lock users out of it.
    CreationMode.FUSION: frozenset({M.V4_5, M.V5, M.V5_5, M.V5_6, M.V6, M.C1}),
}
"""Which ``model`` values each mode accepts (modes without a ``model`` field are absent)."""

FUSION_MAX_REFERENCES: dict[Model, int] = {M.V4_5: 3, M.V5: 3}
FUSION_MAX_REFERENCES_DEFAULT = 7

SEED_MAX = 2_147_483_647
PROMPT_MAX_CHARS = 5000
"""The longest prompt any source allows; the client refuses only what no model accepts."""
PROMPT_MAX_CHARS_LEGACY = 2048
TTS_CONTENT_MAX_CHARS = 200
MULTI_TRANSITION_ITEMS = (2, 7)
MULTI_TRANSITION_TOTAL_SECONDS = (1, 30)
MODIFY_MAX_REFERENCES = 3
TEMPLATE_PAGE_SIZES = frozenset({10, 20, 50, 100})
PER_SECOND_DURATIONS = range(1, 16)


def allowed_durations(model: Model) -> frozenset[int]:
    """Durations (seconds) the model accepts at qualities below 1080p."""
    if model in PER_SECOND_MODELS:
        return frozenset(PER_SECOND_DURATIONS)
    if model in (M.V5_5, M.V5_6):
        return frozenset({5, 8, 10})
    return frozenset({5, 8})


def allowed_aspect_ratios(model: Model) -> frozenset[AspectRatio]:
    return WIDE_ASPECT_RATIOS if model in PER_SECOND_MODELS else LEGACY_ASPECT_RATIOS


def max_duration_at_1080p(model: Model, *, strict: bool) -> int | None:
    """The longest 1080p video of the model, or None when 1080p takes every allowed duration.

    v3.5 and v5.5/v5.6 limits are agreed by all sources; the older "no 8 s at 1080p" for v4/v4.5 is not
    (``UNCERTAIN_RULES["legacy_1080p_8s"]``), so it applies only on the emulator.
    """
    if model in (M.V5_5, M.V5_6):
        return 8
    if model == M.V3_5 or (model in (M.V4, M.V4_5) and enforced("legacy_1080p_8s", strict=strict)):
        return 5
    return None


def motion_mode_problem(model: Model, motion_mode: MotionMode | None, duration: int, quality: Quality) -> str:
    """Why ``motion_mode`` does not fit, or "" when it does."""
    if motion_mode != MotionMode.FAST:
        return ""
    if model not in FAST_MOTION_MODELS:
        return f"'fast' is not supported on model {model.value}; allowed on {names(FAST_MOTION_MODELS)}"
    if duration != 5:
        return "'fast' requires duration 5"
    if quality == Q.Q1080P:
        return "'fast' is not supported at 1080p"
    return ""


@dataclass(frozen=True)
class UncertainRule:
    """A rule the public sources disagree on (docs/api-facts.rst, 'Open questions')."""

    name: str
    question: str
    emulator_behaviour: str


UNCERTAIN_RULES: dict[str, UncertainRule] = {
    r.name: r
    for r in (
        UncertainRule(
            "prompt_length",
            "Prompt limit is 2048 (EN pages, error table) or 5000 characters (CN swagger)?",
            "2048 characters for v5 and older, 5000 for v5.5 and newer; the client refuses only > 5000.",
        ),
        UncertainRule(
            "legacy_1080p_8s",
            "Do v4/v4.5 refuse 8 s at 1080p (older schema: every model) or only v3.5 (newer schema)?",
            "Refused on v3.5, v4 and v4.5 (the conservative reading).",
        ),
        UncertainRule(
            "edit_quality_1080p",
            "Does mimic accept 1080p (schema, CN list: yes; guide: no)?",
            "Swap, mimic and modify refuse 1080p, as the guides say.",
        ),
        UncertainRule(
            "fusion_ref_name_length",
            "Is ref_name limited to about 30 UTF-8 bytes?",
            "Names longer than 30 UTF-8 bytes are refused.",
        ),
        UncertainRule(
            "image_max_pixels",
            "Is the image side limit 4000 px (API reference) or 10000 px (newer guide)?",
            "4000 px by default; the emulator flag --max-image-side changes it.",
        ),
        UncertainRule(
            "trace_id_replay",
            "What does a repeated Ai-trace-id on a generation POST return?",
            "The video_id of the first request, and no second charge.",
        ),
    )
}


def enforced(rule: str, *, strict: bool) -> bool:
    """Whether the uncertain ``rule`` applies: on the emulator (``strict``) only; clients leave it to PixVerse.

    Every check of an uncertain rule goes through here, naming its entry, so a misspelt name fails loudly.
    """
    if rule not in UNCERTAIN_RULES:
        raise KeyError(f"{rule!r} is not an uncertain rule; known: {', '.join(UNCERTAIN_RULES)}")
    return strict


def prompt_limit(model: Model | None, *, strict: bool) -> int:
    """The longest prompt or negative prompt accepted for ``model``."""
    if enforced("prompt_length", strict=strict) and model not in {M.V5_5, M.V5_6, M.V6, M.C1}:
        return PROMPT_MAX_CHARS_LEGACY
    return PROMPT_MAX_CHARS


def names(values: Iterable[Enum] | Iterable[int]) -> str:
    """A stable, human-readable list of allowed values for error messages ("5, 8, 10" or "1-15")."""
    items: list[Any] = list(values)
    if items and isinstance(items[0], Enum):
        members = list(type(items[0]))
        return ", ".join(str(v.value) for v in sorted(items, key=members.index))
    ints = sorted(items)
    if len(ints) > 3 and ints == list(range(ints[0], ints[-1] + 1)):
        return f"{ints[0]}-{ints[-1]}"
    return ", ".join(map(str, ints))
