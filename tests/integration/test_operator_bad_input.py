"""Bad operator input fails the task before anything reaches PixVerse, naming the field and what is allowed.

Each case builds an operator the way a DAG author would and calls ``execute`` with an empty context: the
operator checks its whole request (files stood in for by placeholder ids) before it needs the context, so
the task must fail with ``PixVerseInvalidRequestError`` (an ``AirflowFailException``: no retry) while the
emulator's request counter stays at zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pixverse_provider._compat import AirflowFailException
from pixverse_provider.emulator import EmulatorServer
from pixverse_provider.emulator.synthetic import make_mp4_with_duration, make_png, make_wav
from pixverse_provider.exceptions import PixVerseInvalidRequestError
from pixverse_provider.operators import (
    PixVerseEffectOperator,
    PixVerseExtendOperator,
    PixVerseFusionOperator,
    PixVerseImageToVideoOperator,
    PixVerseLipSyncOperator,
    PixVerseMimicOperator,
    PixVerseModifyOperator,
    PixVerseMultiTransitionOperator,
    PixVerseRestyleOperator,
    PixVerseSoundEffectOperator,
    PixVerseSwapOperator,
    PixVerseTextToVideoOperator,
    PixVerseTransitionOperator,
    PixVerseUploadImageOperator,
    PixVerseUploadMediaOperator,
)

pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class File:
    """A media file of the test's folder, resolved to its path when the operator is built."""

    name: str


CAT, DOG, CLIP, VOICE = File("cat.png"), File("dog.png"), File("clip.mp4"), File("voice.wav")
MISSING = File("missing.png")
"""Never created: a path that does not exist."""

ROBOT = 313358700761536  # single-image effect template
KISS = 315446315336768  # two-image effect template
LEGACY_RATIOS = "16:9, 4:3, 1:1, 3:4, 9:16"
EDIT_QUALITIES = "360p, 540p, 720p"
VIDEO_CHOICE = "source_video_id, video_media_id or video"
LONG_PROMPT = "a fox " * 834  # 5004 characters
assert len(LONG_PROMPT) > 5000


def keyframes(count: int, duration: int | None = 3, *, last: int | None = None) -> list[dict[str, Any]]:
    """``count`` multi-transition keyframes with uploaded ids; every one but the last has ``duration``."""
    frames: list[dict[str, Any]] = [
        {"img_id": 101 + i, "duration": duration, "prompt": f"shot {i}"} for i in range(count)
    ]
    frames[-1] = {"img_id": 101 + count - 1} if last is None else {"img_id": 101 + count - 1, "duration": last}
    return frames


def refs(*names: str) -> list[dict[str, Any]]:
    """Fusion references named ``names``: subjects with uploaded ids."""
    return [{"ref_name": name, "type": "subject", "img_id": 201 + i} for i, name in enumerate(names)]


@dataclass(frozen=True)
class Case:
    id: str
    operator: type
    kwargs: dict[str, Any]
    expected: tuple[str, ...]
    """Fragments the error message must contain: the field first, then the allowed values, if any."""


def case(case_id: str, operator: type, kwargs: dict[str, Any], *expected: str) -> Any:
    return pytest.param(Case(case_id, operator, kwargs, expected), id=case_id)


T2V, I2V, TRANSITION, EFFECT = (
    PixVerseTextToVideoOperator,
    PixVerseImageToVideoOperator,
    PixVerseTransitionOperator,
    PixVerseEffectOperator,
)
MULTI, FUSION, EXTEND = PixVerseMultiTransitionOperator, PixVerseFusionOperator, PixVerseExtendOperator
LIP_SYNC, SOUND = PixVerseLipSyncOperator, PixVerseSoundEffectOperator
RESTYLE, SWAP, MIMIC, MODIFY = (
    PixVerseRestyleOperator,
    PixVerseSwapOperator,
    PixVerseMimicOperator,
    PixVerseModifyOperator,
)
UPLOAD_IMAGE, UPLOAD_MEDIA = PixVerseUploadImageOperator, PixVerseUploadMediaOperator

FOX = {"prompt": "A red fox in fresh snow"}
WAVE = {"prompt": "The cat waves"}
MORPH = {"prompt": "The cat turns into a dog"}
FRAMES = {"first_frame_img": 1, "last_frame_img": 2}
MORE = {"prompt": "The camera pulls back", "seed": 1}
TTS = {"lip_sync_tts_speaker_id": "Auto", "lip_sync_tts_content": "Hello!"}

# fmt: off
CASES = [
    # --- text-to-video: models, durations, 1080p, fast mode, aspect ratios, switches, prompt ---------------
    case("t2v-unknown-model", T2V, {**FOX, "model": "v7"}, "model", "'v3.5'", "'c1'"),
    case("t2v-duration-10-on-v5", T2V, {**FOX, "duration": 10}, "duration", "allowed: 5, 8"),
    case("t2v-rendered-duration-10-on-v5", T2V, {**FOX, "duration": "10"}, "duration", "allowed: 5, 8"),
    case("t2v-duration-15-on-v5.5", T2V, {**FOX, "model": "v5.5", "duration": 15}, "duration", "allowed: 5, 8, 10"),
    case("t2v-duration-16-on-v6", T2V, {**FOX, "model": "v6", "duration": 16}, "duration", "allowed: 1-15"),
    case("t2v-duration-with-unit", T2V, {**FOX, "duration": "5s"}, "duration", "integer"),
    case("t2v-1080p-10s-on-v5.5", T2V, {**FOX, "model": "v5.5", "duration": 10, "quality": "1080p"},
         "duration", "1080p on v5.5 allows at most 8"),
    case("t2v-1080p-8s-on-v3.5", T2V, {**FOX, "model": "v3.5", "duration": 8, "quality": "1080p"},
         "duration", "1080p on v3.5 allows at most 5"),
    case("t2v-unknown-quality", T2V, {**FOX, "quality": "4k"}, "quality", "'360p', '540p', '720p' or '1080p'"),
    case("t2v-fast-on-v5", T2V, {**FOX, "motion_mode": "fast"}, "motion_mode", "allowed on v3.5, v4, v4.5"),
    case("t2v-fast-8s-on-v4", T2V, {**FOX, "model": "v4", "duration": 8, "motion_mode": "fast"},
         "motion_mode", "requires duration 5"),
    case("t2v-fast-1080p-on-v4", T2V, {**FOX, "model": "v4", "quality": "1080p", "motion_mode": "fast"},
         "motion_mode", "1080p"),
    case("t2v-aspect-21:9-on-v5", T2V, {**FOX, "aspect_ratio": "21:9"}, "aspect_ratio", f"allowed: {LEGACY_RATIOS}"),
    case("t2v-unknown-aspect-ratio", T2V, {**FOX, "aspect_ratio": "5:4"}, "aspect_ratio", "'16:9'", "'21:9'"),
    case("t2v-seed-negative", T2V, {**FOX, "seed": -1}, "seed", "greater than or equal to 0"),
    case("t2v-seed-above-int32", T2V, {**FOX, "seed": 2**31}, "seed", "less than or equal to 2147483647"),
    case("t2v-seed-not-a-number", T2V, {**FOX, "seed": "lucky"}, "seed", "integer"),
    case("t2v-rendered-seed-negative", T2V, {**FOX, "seed": "-3"}, "seed", "greater than or equal to 0"),
    case("t2v-rendered-duration-float", T2V, {**FOX, "duration": "5.5"}, "duration", "integer"),
    case("t2v-audio-switch-on-v5", T2V, {**FOX, "generate_audio_switch": True},
         "generate_audio_switch", "v5.5, v5.6, v6, c1"),
    case("t2v-multi-clip-on-v5", T2V, {**FOX, "generate_multi_clip_switch": True},
         "generate_multi_clip_switch", "v5.5, v6"),
    case("t2v-camera-movement-on-v5", T2V, {**FOX, "camera_movement": "zoom_in"}, "camera_movement", "v4, v4.5"),
    case("t2v-sound-effect-on-v5.5", T2V, {**FOX, "model": "v5.5", "sound_effect_switch": True},
         "sound_effect_switch", "v3.5, v4, v4.5, v5 or with a template_id"),
    case("t2v-prompt-over-5000", T2V, {"prompt": LONG_PROMPT}, "prompt", "the limit is 5000"),
    case("t2v-negative-prompt-over-5000", T2V, {**FOX, "negative_prompt": LONG_PROMPT},
         "negative_prompt", "the limit is 5000"),
    case("t2v-blank-prompt", T2V, {"prompt": "   "}, "prompt", "must not be empty"),
    case("t2v-unknown-style", T2V, {**FOX, "style": "watercolour"}, "style", "'anime'", "'cyberpunk'"),
    case("t2v-unknown-thinking-type", T2V, {**FOX, "thinking_type": "maybe"},
         "thinking_type", "'enabled', 'disabled' or 'auto'"),
    case("t2v-template-id-not-digits", T2V, {**FOX, "template_id": "robot"}, "template_id", "integer"),
    # --- image-to-video: one image, as an uploaded id or a file ----------------------------------------------
    case("i2v-no-image", I2V, WAVE, "img_id or image"),
    case("i2v-img-id-and-image", I2V, {**WAVE, "img_id": 7, "image": CAT}, "img_id or image", "not both"),
    case("i2v-image-file-missing", I2V, {**WAVE, "image": MISSING}, "image", "no such file"),
    case("i2v-img-id-not-digits", I2V, {**WAVE, "img_id": "12a"}, "img_id", "integer"),
    case("i2v-img-id-negative", I2V, {**WAVE, "img_id": -5}, "img_id", "greater than or equal to 0"),
    case("i2v-image-not-a-file", I2V, {**WAVE, "image": 42}, "image", "must be a path"),
    case("i2v-duration-10-on-v5", I2V, {**WAVE, "img_id": 7, "duration": 10}, "duration", "allowed: 5, 8"),
    case("i2v-audio-switch-on-v5", I2V, {**WAVE, "img_id": 7, "generate_audio_switch": True},
         "generate_audio_switch", "v5.5, v5.6, v6, c1"),
    # --- transition -----------------------------------------------------------------------------------------------
    case("transition-no-last-frame", TRANSITION, {**MORPH, "first_frame_img": 1}, "last_frame_img or last_frame_image"),
    case("transition-first-frame-id-and-file", TRANSITION,
         {**MORPH, "first_frame_img": 1, "first_frame_image": CAT, "last_frame_img": 2},
         "first_frame_img or first_frame_image", "not both"),
    case("transition-duration-10-on-v5", TRANSITION, {**MORPH, **FRAMES, "duration": 10}, "duration", "allowed: 5, 8"),
    case("transition-1080p-8s-on-v3.5", TRANSITION,
         {**MORPH, **FRAMES, "model": "v3.5", "duration": 8, "quality": "1080p"}, "duration", "at most 5"),
    # --- effects --------------------------------------------------------------------------------------------------
    case("effect-img-id-and-img-ids", EFFECT, {"template_id": KISS, "img_id": 1, "img_ids": [2, 3]},
         "img_id, image, img_ids or images", "got img_id and img_ids"),
    case("effect-image-and-images", EFFECT, {"template_id": KISS, "image": CAT, "images": [CAT, DOG]},
         "img_id, image, img_ids or images", "got image and images"),
    case("effect-img-id-and-images", EFFECT, {"template_id": KISS, "img_id": 1, "images": [CAT, DOG]},
         "img_id, image, img_ids or images", "got img_id and images"),
    case("effect-images-item-not-a-file", EFFECT, {"template_id": KISS, "images": [CAT, 7]},
         "images[1]", "must be a path"),
    case("effect-img-id-and-image", EFFECT, {"template_id": ROBOT, "img_id": 1, "image": CAT},
         "img_id or image", "not both"),
    case("effect-images-not-a-list", EFFECT, {"template_id": KISS, "images": CAT}, "images", "must be a list"),
    case("effect-images-file-missing", EFFECT, {"template_id": KISS, "images": [CAT, MISSING]},
         "images", "no such file"),
    case("effect-template-id-not-digits", EFFECT, {"template_id": "robot", "image": CAT}, "template_id", "integer"),
    case("effect-empty-img-ids", EFFECT, {"template_id": KISS, "img_ids": []}, "img_ids", "at least 1"),
    # --- multi-transition: 2-7 keyframes, segment lengths ---------------------------------------------------------
    case("multi-one-keyframe", MULTI, {"multi_transition": keyframes(1)}, "multi_transition", "needs 2-7"),
    case("multi-eight-keyframes", MULTI, {"multi_transition": keyframes(8)}, "multi_transition", "needs 2-7"),
    case("multi-6s-segment-with-3-keyframes", MULTI, {"multi_transition": keyframes(3, duration=6)},
         "multi_transition[0].duration", "must be 1-5 seconds"),
    case("multi-9s-segment-with-2-keyframes", MULTI, {"multi_transition": keyframes(2, duration=9)},
         "multi_transition[0].duration", "must be 1-8 seconds"),
    case("multi-segment-without-duration", MULTI, {"multi_transition": keyframes(3, duration=None)},
         "multi_transition[0].duration", "got None"),
    case("multi-duration-on-last-keyframe", MULTI, {"multi_transition": keyframes(2, last=3)},
         "multi_transition[1].duration", "last keyframe"),
    case("multi-model-v5.5", MULTI, {"multi_transition": keyframes(2), "model": "v5.5"},
         "model", "allowed: v3.5, v4, v4.5, v5"),
    case("multi-keyframe-id-and-image", MULTI,
         {"multi_transition": [{"img_id": 1, "image": CAT, "duration": 3}, {"img_id": 2}]},
         "multi_transition[0].img_id or multi_transition[0].image", "not both"),
    case("multi-keyframe-without-image", MULTI, {"multi_transition": [{"img_id": 1, "duration": 3}, {"prompt": "end"}]},
         "multi_transition[1].img_id or multi_transition[1].image"),
    case("multi-keyframe-file-missing", MULTI, {"multi_transition": [{"image": MISSING, "duration": 3}, {"img_id": 2}]},
         "multi_transition[0].image", "no such file"),
    # --- fusion ---------------------------------------------------------------------------------------------------
    case("fusion-4-references-on-v5", FUSION, {"image_references": refs(*"abcd"), "prompt": "@a @b @c @d dance"},
         "image_references", "v5 takes 1-3 references"),
    case("fusion-8-references-on-v6", FUSION,
         {"image_references": refs(*"abcdefgh"), "prompt": "@a @b @c @d @e @f @g @h party", "model": "v6"},
         "image_references", "v6 takes 1-7 references"),
    case("fusion-duplicate-ref-name", FUSION, {"image_references": refs("cat", "cat"), "prompt": "@cat meets @cat "},
         "image_references[1].ref_name", "used twice"),
    case("fusion-missing-mention", FUSION, {"image_references": refs("cat", "dog"), "prompt": "@cat plays outside"},
         "prompt", "'@dog '"),
    case("fusion-mention-without-space", FUSION, {"image_references": refs("cat"), "prompt": "a portrait of @cat"},
         "prompt", "'@cat ' (followed by a space)"),
    case("fusion-model-v4", FUSION, {"image_references": refs("cat"), "prompt": "@cat runs", "model": "v4"},
         "model", "allowed: v4.5, v5, v5.5, v5.6, v6, c1"),
    case("fusion-unknown-reference-type", FUSION,
         {"image_references": [{"ref_name": "cat", "type": "person", "img_id": 1}], "prompt": "@cat runs"},
         "image_references[0].type", "'subject' or 'background'"),
    case("fusion-reference-without-image", FUSION,
         {"image_references": [{"ref_name": "cat", "type": "subject"}], "prompt": "@cat runs"},
         "image_references[0].img_id or image_references[0].image"),
    case("fusion-audio-switch-on-v5.5", FUSION,
         {"image_references": refs("cat"), "prompt": "@cat runs", "model": "v5.5", "generate_audio_switch": True},
         "generate_audio_switch", "v5.6, v6, c1"),
    # --- extend ---------------------------------------------------------------------------------------------------
    case("extend-no-source", EXTEND, MORE, VIDEO_CHOICE, "video_media_id (an uploaded id)", "video (a file)"),
    case("extend-source-id-and-file", EXTEND, {**MORE, "source_video_id": 5, "video": CLIP},
         VIDEO_CHOICE, "got source_video_id and video"),
    case("extend-media-id-and-file", EXTEND, {**MORE, "video_media_id": 5, "video": CLIP},
         VIDEO_CHOICE, "got video_media_id and video"),
    case("extend-model-v5.6", EXTEND, {**MORE, "source_video_id": 5, "model": "v5.6"},
         "model", "allowed: v3.5, v4, v4.5, v5, v5.5, v6"),
    case("extend-seed-out-of-range", EXTEND, {**MORE, "seed": 2**40, "source_video_id": 5},
         "seed", "less than or equal to 2147483647"),
    case("extend-without-seed", EXTEND, {**MORE, "seed": None, "source_video_id": 5}, "seed", "is required"),
    case("extend-source-id-not-digits", EXTEND, {**MORE, "source_video_id": "video-5"}, "source_video_id", "integer"),
    # --- lip sync -------------------------------------------------------------------------------------------------
    case("lip-sync-no-audio", LIP_SYNC, {"source_video_id": 5}, "audio_media_id", "an audio source is required"),
    case("lip-sync-audio-and-tts", LIP_SYNC, {"source_video_id": 5, "audio_media_id": 6, **TTS},
         "audio_media_id", "not both"),
    case("lip-sync-audio-file-and-tts", LIP_SYNC, {"source_video_id": 5, "audio": VOICE, **TTS},
         "audio", "give either audio or a TTS speaker and content, not both"),
    case("lip-sync-tts-text-over-200", LIP_SYNC, {"source_video_id": 5, **TTS, "lip_sync_tts_content": "x" * 201},
         "lip_sync_tts_content", "within 200 characters"),
    case("lip-sync-speaker-without-text", LIP_SYNC, {"source_video_id": 5, "lip_sync_tts_speaker_id": "Auto"},
         "lip_sync_tts_content", "is required"),
    case("lip-sync-text-without-speaker", LIP_SYNC, {"source_video_id": 5, "lip_sync_tts_content": "hello"},
         "lip_sync_tts_speaker_id", "is required"),
    case("lip-sync-audio-id-and-file", LIP_SYNC, {"source_video_id": 5, "audio_media_id": 6, "audio": VOICE},
         "audio_media_id or audio", "not both"),
    case("lip-sync-audio-file-missing", LIP_SYNC, {"source_video_id": 5, "audio": File("none.wav")},
         "audio", "no such file"),
    case("lip-sync-no-video", LIP_SYNC, {"audio_media_id": 6}, VIDEO_CHOICE, "video (a file)"),
    case("lip-sync-source-id-and-file", LIP_SYNC, {"source_video_id": 5, "video": CLIP, "audio_media_id": 6},
         VIDEO_CHOICE, "got source_video_id and video"),
    # --- sound effect ---------------------------------------------------------------------------------------------
    case("sound-effect-no-video", SOUND, {"sound_effect_content": "rain"}, VIDEO_CHOICE, "video (a file)"),
    case("sound-effect-both-video-ids", SOUND, {"source_video_id": 5, "video_media_id": 6},
         VIDEO_CHOICE, "got source_video_id and video_media_id"),
    case("sound-effect-source-id-and-file", SOUND, {"source_video_id": 5, "video": CLIP},
         VIDEO_CHOICE, "got source_video_id and video"),
    case("sound-effect-switch-not-a-bool", SOUND, {"source_video_id": 5, "original_sound_switch": "yes"},
         "original_sound_switch", "boolean"),
    case("sound-effect-video-file-missing", SOUND, {"video": File("none.mp4")}, "video", "no such file"),
    # --- restyle --------------------------------------------------------------------------------------------------
    case("restyle-id-and-prompt", RESTYLE, {"source_video_id": 5, "restyle_id": 360000000000001, "restyle_prompt": "x"},
         "restyle_id", "restyle_prompt", "not both"),
    case("restyle-neither-id-nor-prompt", RESTYLE, {"source_video_id": 5}, "restyle_id", "restyle_prompt"),
    case("restyle-blank-prompt", RESTYLE, {"source_video_id": 5, "restyle_prompt": " "},
         "restyle_prompt", "must not be empty"),
    case("restyle-id-not-digits", RESTYLE, {"source_video_id": 5, "restyle_id": "anime"}, "restyle_id", "integer"),
    case("restyle-prompt-over-5000", RESTYLE, {"source_video_id": 5, "restyle_prompt": LONG_PROMPT},
         "restyle_prompt", "the limit is 5000"),
    # --- swap -----------------------------------------------------------------------------------------------------
    case("swap-no-mask", SWAP, {"source_video_id": 5, "img_id": 1}, "mask_id or mask_name", "give exactly one"),
    case("swap-mask-name-and-mask-id", SWAP,
         {"source_video_id": 5, "img_id": 1, "mask_name": "person", "mask_id": "77"},
         "mask_id or mask_name", "give exactly one"),
    case("swap-1080p", SWAP, {"source_video_id": 5, "img_id": 1, "mask_name": "person", "quality": "1080p"},
         "quality", f"allowed: {EDIT_QUALITIES}"),
    case("swap-no-image", SWAP, {"source_video_id": 5, "mask_name": "person"}, "img_id or image"),
    case("swap-keyframe-not-digits", SWAP,
         {"source_video_id": 5, "img_id": 1, "mask_name": "person", "keyframe_id": "first"}, "keyframe_id", "integer"),
    case("swap-no-video", SWAP, {"img_id": 1, "mask_name": "person"}, VIDEO_CHOICE),
    # --- mimic ----------------------------------------------------------------------------------------------------
    case("mimic-no-image", MIMIC, {"source_video_id": 5}, "img_id or image"),
    case("mimic-unknown-quality", MIMIC, {"source_video_id": 5, "img_id": 1, "quality": "2k"},
         "quality", "'360p', '540p', '720p' or '1080p'"),
    case("mimic-both-video-sources", MIMIC, {"source_video_id": 5, "video": CLIP, "img_id": 1},
         VIDEO_CHOICE, "got source_video_id and video"),
    # --- modify ---------------------------------------------------------------------------------------------------
    case("modify-four-images", MODIFY, {"source_video_id": 5, "prompt": "@img0 glows", "images": [CAT, DOG, CAT, DOG]},
         "images", "at most 3"),
    case("modify-video-file-and-media-id", MODIFY, {"video_media_id": 5, "video": CLIP, "prompt": "night"},
         VIDEO_CHOICE, "got video_media_id and video"),
    case("modify-four-mask-ids", MODIFY,
         {"source_video_id": 5, "prompt": "@selection0 glows", "mask_ids": ["1", "2", "3", "4"]},
         "mask_ids", "at most 3"),
    case("modify-1080p", MODIFY, {"source_video_id": 5, "prompt": "night", "quality": "1080p"},
         "quality", f"allowed: {EDIT_QUALITIES}"),
    case("modify-blank-prompt", MODIFY, {"source_video_id": 5, "prompt": ""}, "prompt", "must not be empty"),
    case("modify-prompt-over-5000", MODIFY, {"source_video_id": 5, "prompt": LONG_PROMPT},
         "prompt", "the limit is 5000"),
    case("modify-img-id-not-digits", MODIFY, {"source_video_id": 5, "prompt": "@img0 glows", "img_ids": ["x1"]},
         "img_ids[0]", "integer"),
    # --- uploads --------------------------------------------------------------------------------------------------
    case("upload-image-missing-file", UPLOAD_IMAGE, {"image": MISSING}, "image", "no such file"),
    case("upload-image-none", UPLOAD_IMAGE, {"image": None}, "image", "is required"),
    case("upload-image-not-a-file", UPLOAD_IMAGE, {"image": 3.5}, "image", "must be a path"),
    case("upload-media-missing-file", UPLOAD_MEDIA, {"file": File("none.mp4")}, "file", "no such file"),
    case("upload-media-none", UPLOAD_MEDIA, {"file": None}, "file", "is required"),
]
# fmt: on


def write_media(folder: Path) -> Path:
    """The media files the cases name (``CAT``, ``DOG``, ``CLIP``, ``VOICE``), written to ``folder``."""
    (folder / "cat.png").write_bytes(make_png(64, 48))
    (folder / "dog.png").write_bytes(make_png(48, 64, rgb=(200, 120, 30)))
    (folder / "clip.mp4").write_bytes(make_mp4_with_duration(3))
    (folder / "voice.wav").write_bytes(make_wav(2))
    return folder


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_media(tmp_path_factory.mktemp("media"))


def resolve(value: Any, folder: Path) -> Any:
    """``value`` with every ``File`` replaced by its path in ``folder`` (as a string, as users write them)."""
    if isinstance(value, File):
        return str(folder / value.name)
    if isinstance(value, Mapping):
        return {k: resolve(v, folder) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, folder) for v in value]
    return value


def test_the_table_covers_every_operator_with_at_least_60_cases() -> None:
    cases = [p.values[0] for p in CASES]
    assert len(cases) >= 60
    assert len({c.id for c in cases}) == len(cases)
    from pixverse_provider import operators

    concrete = {name for name in operators.__all__ if name != "PixVerseGenerationOperator"}
    assert {c.operator.__name__ for c in cases} == concrete


@pytest.mark.parametrize("bad", CASES)
def test_bad_input_fails_before_any_request(bad: Case, media: Path, emulator: EmulatorServer) -> None:
    operator = bad.operator(task_id="bad_input", **resolve(bad.kwargs, media))

    with pytest.raises(PixVerseInvalidRequestError) as failure:
        operator.execute(context={})

    assert isinstance(failure.value, AirflowFailException), "a refused parameter must not use the task's retries"
    message = str(failure.value)
    for fragment in bad.expected:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    field = bad.expected[0]
    assert any(field in problem.field for problem in failure.value.problems), failure.value.problems
    assert emulator.counters()["requests_total"] == 0
