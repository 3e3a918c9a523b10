"""The ErrCode the emulator answers for a wrong value of every field of every endpoint, over real HTTP.

Each case starts from a valid request of its endpoint (``BASES``; ``test_every_base_request_is_valid``
proves they are), changes one thing, and must get exactly the expected code — with no job created, no
credit charged and no upload kept.
"""

from __future__ import annotations

import http.server
import threading
import uuid
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from pixverse_provider.api.endpoints import Endpoint
from pixverse_provider.emulator import EmulatorServer
from pixverse_provider.emulator.synthetic import make_mp4_with_duration, make_png, make_wav

from .conftest import T2V, Api

E = Endpoint
MB = 1024 * 1024
DROP = "<drop>"
"""A change value that removes the field."""

MICROWAVE, SUIT_SWAGGER, SUBJECT_3_FEVER = 324641385496960, 328545151283968, 327828816843648
KISS_KISS, FIREWORKS, STICKER = 315446315336768, 402331965264704, 377378608924544
RESTYLE_ID = 360000000000001
UNKNOWN_ID = 399_999_999_999_999

BASES: dict[str, tuple[Endpoint, dict[str, Any]]] = {
    "t2v": (E.TEXT_TO_VIDEO, dict(T2V)),
    "i2v": (
        E.IMAGE_TO_VIDEO,
        {"img_id": "<img>", "prompt": "it moves", "model": "v5", "duration": 5, "quality": "540p"},
    ),
    "template": (
        E.IMAGE_TO_VIDEO,
        {"template_id": MICROWAVE, "img_id": "<img>", "prompt": "", "model": "v5", "duration": 5, "quality": "540p"},
    ),
    "transition": (
        E.TRANSITION,
        {
            "first_frame_img": "<img>",
            "last_frame_img": "<img2>",
            "prompt": "morph",
            "model": "v5",
            "duration": 5,
            "quality": "540p",
        },
    ),
    "multi": (
        E.MULTI_TRANSITION,
        {
            "multi_transition": [{"img_id": "<img>", "duration": 3, "prompt": "go"}, {"img_id": "<img2>"}],
            "model": "v5",
            "quality": "540p",
        },
    ),
    "fusion": (
        E.FUSION,
        {
            "image_references": [{"type": "subject", "img_id": "<img>", "ref_name": "cat"}],
            "prompt": "@cat plays",
            "model": "v5",
            "duration": 5,
            "quality": "540p",
            "aspect_ratio": "16:9",
        },
    ),
    "extend": (
        E.EXTEND,
        {"source_video_id": "<video>", "prompt": "more", "seed": 1, "quality": "540p", "duration": 5, "model": "v5"},
    ),
    "lip_sync": (E.LIP_SYNC, {"source_video_id": "<video>", "audio_media_id": "<audio_media>"}),
    "lip_sync_tts": (
        E.LIP_SYNC,
        {"video_media_id": "<video_media>", "lip_sync_tts_speaker_id": "7", "lip_sync_tts_content": "hello"},
    ),
    "sound_effect": (
        E.SOUND_EFFECT,
        {"source_video_id": "<video>", "sound_effect_content": "waves", "original_sound_switch": False, "model": "v5"},
    ),
    "restyle": (E.RESTYLE, {"source_video_id": "<video>", "restyle_id": RESTYLE_ID, "seed": 1}),
    "mask": (E.MASK_SELECTION, {"source_video_id": "<video>", "keyframe_id": 1}),
    "swap": (
        E.SWAP,
        {"source_video_id": "<video>", "keyframe_id": 1, "mask_id": "<mask>", "img_id": "<img>", "quality": "540p"},
    ),
    "mimic": (E.MIMIC, {"video_media_id": "<video_media>", "img_id": "<img>", "quality": "540p"}),
    "modify": (
        E.MODIFY,
        {
            "source_video_id": "<video>",
            "prompt": "paint @selection0 like @img0",
            "quality": "540p",
            "img_ids": ["<img>"],
            "mask_ids": ["<mask>"],
            "keyframe_ids": 1,
        },
    ),
    "image_template": (E.IMAGE_TEMPLATE, {"img_ids": ["<img>"], "template_id": STICKER}),
}

LONG = "x" * 2049
FRAMES_8 = [{"img_id": "<img>", "duration": 1}] * 7 + [{"img_id": "<img>"}]
REF = {"type": "subject", "img_id": "<img>", "ref_name": "cat"}


def case(base: str, what: str, code: int, **changes: Any) -> Any:
    return pytest.param(base, changes, code, id=f"{base}: {what} -> {code}")


CASES = [
    # ---- text-to-video (docs/api-facts.rst, 'Modes')
    case("t2v", "prompt missing", 400011, prompt=DROP),
    case("t2v", "prompt null", 400011, prompt=None),
    case("t2v", "prompt blank", 400011, prompt="   "),
    case("t2v", "prompt a number", 400013, prompt=5),
    case("t2v", "prompt 2049 chars on v5", 400018, prompt=LONG),
    case("t2v", "prompt 5001 chars on v5.5", 400018, prompt="x" * 5001, model="v5.5"),
    case("t2v", "model missing", 400011, model=DROP),
    case("t2v", "model unknown", 400017, model="v7"),
    case("t2v", "model a number", 400013, model=5),
    case("t2v", "duration missing", 400011, duration=DROP),
    case("t2v", "duration a string", 400013, duration="5"),
    case("t2v", "duration a float", 400013, duration=5.5),
    case("t2v", "duration a bool", 400013, duration=True),
    case("t2v", "duration negative", 400017, duration=-5),
    case("t2v", "duration 7 on v5", 400017, duration=7),
    case("t2v", "duration 10 at 1080p on v5.5", 400017, model="v5.5", quality="1080p", duration=10),
    case("t2v", "duration 8 at 1080p on v3.5", 400017, model="v3.5", quality="1080p", duration=8),
    case("t2v", "duration 8 at 1080p on v4", 400017, model="v4", quality="1080p", duration=8),
    case("t2v", "duration 16 on v6", 400017, model="v6", duration=16),
    case("t2v", "duration 0 on v6", 400017, model="v6", duration=0),
    case("t2v", "quality missing", 400011, quality=DROP),
    case("t2v", "quality unknown", 400017, quality="4k"),
    case("t2v", "quality a number", 400013, quality=540),
    case("t2v", "aspect_ratio missing", 400011, aspect_ratio=DROP),
    case("t2v", "aspect_ratio unknown", 400017, aspect_ratio="2:1"),
    case("t2v", "aspect_ratio 21:9 on v5", 400017, aspect_ratio="21:9"),
    case("t2v", "aspect_ratio a number", 400013, aspect_ratio=16),
    case("t2v", "negative_prompt 2049 chars", 400019, negative_prompt=LONG),
    case("t2v", "negative_prompt a number", 400013, negative_prompt=1),
    case("t2v", "seed negative", 400017, seed=-1),
    case("t2v", "seed too big", 400017, seed=2_147_483_648),
    case("t2v", "seed a string", 400013, seed="1"),
    case("t2v", "motion_mode unknown", 400017, motion_mode="slow"),
    case("t2v", "motion_mode fast on v5", 400017, motion_mode="fast"),
    case("t2v", "motion_mode fast for 8 s", 400017, model="v4", motion_mode="fast", duration=8),
    case("t2v", "motion_mode fast at 1080p", 400017, model="v4", motion_mode="fast", quality="1080p"),
    case("t2v", "style unknown", 400017, style="oil"),
    case("t2v", "style a number", 400013, style=1),
    case("t2v", "camera_movement unknown", 400017, model="v4", camera_movement="spin"),
    case("t2v", "camera_movement on v5", 400017, camera_movement="zoom_in"),
    case("t2v", "water_mark a string", 400013, water_mark="yes"),
    case("t2v", "generate_audio_switch on v5", 400017, generate_audio_switch=True),
    case("t2v", "generate_audio_switch a string", 400013, model="v5.5", generate_audio_switch="true"),
    case("t2v", "generate_multi_clip_switch on v5.6", 400017, model="v5.6", generate_multi_clip_switch=True),
    case("t2v", "thinking_type unknown", 400017, thinking_type="maybe"),
    case("t2v", "template_id a string", 400013, template_id="x"),
    case("t2v", "template_id unknown", 500070, template_id=UNKNOWN_ID),
    case("t2v", "template not activated", 500070, template_id=SUBJECT_3_FEVER),
    case("t2v", "template without 720p", 500071, template_id=SUIT_SWAGGER, quality="720p"),
    case("t2v", "image template", 400017, template_id=STICKER),
    case("t2v", "template that needs an image", 400017, template_id=MICROWAVE),
    case("t2v", "sound_effect_switch on v5.5", 400017, model="v5.5", sound_effect_switch=True),
    case("t2v", "sound_effect_content on v6", 400017, model="v6", sound_effect_content="rain"),
    case("t2v", "lip_sync_tts_switch on v6", 400017, model="v6", lip_sync_tts_switch=True),
    case("t2v", "lip_sync_switch on v6", 400017, model="v6", lip_sync_switch=True),
    case("t2v", "lip_sync_tts_speaker_id unknown", 400017, lip_sync_tts_switch=True, lip_sync_tts_speaker_id="99"),
    case("t2v", "lip_sync_tts_content a number", 400013, lip_sync_tts_content=5),
    # ---- image-to-video (docs/api-facts.rst, 'Modes')
    case("i2v", "img_id missing", 400011, img_id=DROP),
    case("i2v", "img_id a string", 400013, img_id="1"),
    case("i2v", "img_id unknown", 400032, img_id=UNKNOWN_ID),
    case("i2v", "img_id negative", 400017, img_id=-1),
    case("i2v", "img_ids without template", 400017, img_id=DROP, img_ids=["<img>"]),
    case("i2v", "img_id and img_ids", 400017, img_ids=["<img>"], template_id=KISS_KISS),
    case("i2v", "prompt missing", 400011, prompt=DROP),
    case("i2v", "prompt too long", 400018, prompt=LONG),
    case("i2v", "model unknown", 400017, model="v9"),
    case("i2v", "duration 9", 400017, duration=9),
    case("i2v", "quality missing", 400011, quality=DROP),
    case("i2v", "generate_multi_clip_switch on v5", 400017, generate_multi_clip_switch=True),
    # ---- effect templates (docs/api-facts.rst, 'Modes')
    case("template", "template not activated", 500070, template_id=SUBJECT_3_FEVER),
    case("template", "template unknown", 500070, template_id=UNKNOWN_ID),
    case("template", "template_id negative", 400017, template_id=-1),
    case("template", "720p unsupported", 500071, template_id=SUIT_SWAGGER, quality="720p"),
    case("template", "1080p unsupported", 500071, template_id=SUIT_SWAGGER, quality="1080p"),
    case("template", "image template", 400017, template_id=STICKER),
    case("template", "multi-image template with one img_id", 400017, template_id=KISS_KISS),
    case(
        "template",
        "multi-image template with 3 img_ids",
        400017,
        template_id=KISS_KISS,
        img_id=DROP,
        img_ids=["<img>", "<img2>", "<img>"],
    ),
    case("template", "img_ids empty", 400017, template_id=KISS_KISS, img_id=DROP, img_ids=[]),
    case("template", "img_ids unknown", 400032, template_id=KISS_KISS, img_id=DROP, img_ids=["<img>", UNKNOWN_ID]),
    case("template", "img_ids not a list", 400013, template_id=KISS_KISS, img_id=DROP, img_ids="<img>"),
    # ---- transition (docs/api-facts.rst, 'Modes')
    case("transition", "first_frame_img missing", 400011, first_frame_img=DROP),
    case("transition", "first_frame_img a string", 400013, first_frame_img="a"),
    case("transition", "first_frame_img unknown", 400032, first_frame_img=UNKNOWN_ID),
    case("transition", "last_frame_img missing", 400011, last_frame_img=DROP),
    case("transition", "last_frame_img unknown", 400032, last_frame_img=UNKNOWN_ID),
    case("transition", "prompt missing", 400011, prompt=DROP),
    case("transition", "model unknown", 400017, model="v7"),
    case("transition", "duration missing", 400011, duration=DROP),
    case("transition", "quality unknown", 400017, quality="2k"),
    case("transition", "generate_audio_switch on v5", 400017, generate_audio_switch=True),
    case("transition", "motion_mode fast on v5", 400017, motion_mode="fast"),
    case("transition", "template not activated", 500070, template_id=SUBJECT_3_FEVER),
    # ---- multi-transition (docs/api-facts.rst, 'Modes')
    case("multi", "multi_transition missing", 400011, multi_transition=DROP),
    case("multi", "multi_transition not a list", 400013, multi_transition="x"),
    case("multi", "one keyframe", 400017, multi_transition=[{"img_id": "<img>"}]),
    case("multi", "eight keyframes", 400017, multi_transition=FRAMES_8),
    case("multi", "keyframe img_id missing", 400011, multi_transition=[{"duration": 3}, {"img_id": "<img>"}]),
    case(
        "multi",
        "keyframe img_id unknown",
        400032,
        multi_transition=[{"img_id": UNKNOWN_ID, "duration": 3}, {"img_id": "<img>"}],
    ),
    case(
        "multi",
        "keyframe img_id a string",
        400013,
        multi_transition=[{"img_id": "1", "duration": 3}, {"img_id": "<img>"}],
    ),
    case("multi", "keyframe not an object", 400013, multi_transition=["<img>", "<img2>"]),
    case("multi", "first duration missing", 400017, multi_transition=[{"img_id": "<img>"}, {"img_id": "<img2>"}]),
    case(
        "multi", "first duration 9", 400017, multi_transition=[{"img_id": "<img>", "duration": 9}, {"img_id": "<img2>"}]
    ),
    case(
        "multi",
        "6 s with 3 keyframes",
        400017,
        multi_transition=[{"img_id": "<img>", "duration": 6}, {"img_id": "<img>", "duration": 2}, {"img_id": "<img2>"}],
    ),
    case(
        "multi",
        "last duration 3",
        400017,
        multi_transition=[{"img_id": "<img>", "duration": 3}, {"img_id": "<img2>", "duration": 3}],
    ),
    case(
        "multi",
        "keyframe prompt a number",
        400013,
        multi_transition=[{"img_id": "<img>", "duration": 3, "prompt": 5}, {"img_id": "<img2>"}],
    ),
    case("multi", "model v5.5", 400017, model="v5.5"),
    case("multi", "model missing", 400011, model=DROP),
    case("multi", "quality missing", 400011, quality=DROP),
    case("multi", "quality unknown", 400017, quality="8k"),
    case(
        "multi",
        "fast with a 6 s segment",
        400017,
        model="v4",
        motion_mode="fast",
        multi_transition=[{"img_id": "<img>", "duration": 6}, {"img_id": "<img2>"}],
    ),
    case("multi", "seed a string", 400013, seed="x"),
    case("multi", "seed negative", 400017, seed=-3),
    # ---- fusion (docs/api-facts.rst, 'Modes')
    case("fusion", "image_references missing", 400011, image_references=DROP),
    case("fusion", "image_references empty", 400017, image_references=[]),
    case(
        "fusion",
        "four references on v5",
        400017,
        image_references=[{**REF, "ref_name": name} for name in ("cat", "a", "b", "c")],
    ),
    case("fusion", "type unknown", 400017, image_references=[{**REF, "type": "person"}]),
    case("fusion", "type a number", 400013, image_references=[{**REF, "type": 1}]),
    case("fusion", "img_id unknown", 400032, image_references=[{**REF, "img_id": UNKNOWN_ID}]),
    case("fusion", "img_id missing", 400011, image_references=[{"type": "subject", "ref_name": "cat"}]),
    case("fusion", "ref_name missing", 400011, image_references=[{"type": "subject", "img_id": "<img>"}]),
    case("fusion", "ref_name empty", 400011, image_references=[{**REF, "ref_name": ""}]),
    case("fusion", "ref_name twice", 400017, image_references=[REF, REF]),
    case(
        "fusion",
        "ref_name over 30 bytes",
        400017,
        image_references=[{**REF, "ref_name": "c" * 31}],
        prompt="@" + "c" * 31 + " plays",
    ),
    case("fusion", "prompt without the reference", 400017, prompt="a cat plays"),
    case("fusion", "reference not followed by a space", 400017, prompt="@catplays"),
    case("fusion", "prompt missing", 400011, prompt=DROP),
    case("fusion", "aspect_ratio missing", 400011, aspect_ratio=DROP),
    case("fusion", "model v4", 400017, model="v4"),
    case("fusion", "duration 10 on v5", 400017, duration=10),
    case("fusion", "quality missing", 400011, quality=DROP),
    case("fusion", "generate_audio_switch on v5", 400017, generate_audio_switch=True),
    # ---- extend (docs/api-facts.rst, 'Modes')
    case("extend", "no video source", 400011, source_video_id=DROP),
    case("extend", "both video sources", 400017, video_media_id="<video_media>"),
    case("extend", "source_video_id unknown", 400017, source_video_id=UNKNOWN_ID),
    case("extend", "source_video_id still generating", 400017, source_video_id="<running_video>"),
    case("extend", "source_video_id a string", 400013, source_video_id="1"),
    case("extend", "video_media_id unknown", 400017, source_video_id=DROP, video_media_id=UNKNOWN_ID),
    case("extend", "video_media_id is audio", 400017, source_video_id=DROP, video_media_id="<audio_media>"),
    case("extend", "video_media_id is an image", 400017, source_video_id=DROP, video_media_id="<img>"),
    case("extend", "prompt missing", 400011, prompt=DROP),
    case("extend", "prompt too long", 400018, prompt=LONG),
    case("extend", "seed missing", 400011, seed=DROP),
    case("extend", "seed negative", 400017, seed=-1),
    case("extend", "model v5.6", 400017, model="v5.6"),
    case("extend", "duration missing", 400011, duration=DROP),
    case("extend", "duration 7", 400017, duration=7),
    case("extend", "quality missing", 400011, quality=DROP),
    case("extend", "negative_prompt too long", 400019, negative_prompt=LONG),
    case("extend", "style unknown", 400017, style="x"),
    case("extend", "generate_audio_switch on v5", 400017, generate_audio_switch=True),
    case("extend", "water_mark a number", 400013, water_mark=1),
    # ---- lip sync (docs/api-facts.rst, 'Modes')
    case("lip_sync", "no video source", 400011, source_video_id=DROP),
    case("lip_sync", "both video sources", 400017, video_media_id="<video_media>"),
    case("lip_sync", "source_video_id unknown", 400017, source_video_id=UNKNOWN_ID),
    case("lip_sync", "video_media_id is audio", 400017, source_video_id=DROP, video_media_id="<audio_media>"),
    case("lip_sync", "no audio source", 400017, audio_media_id=DROP),
    case("lip_sync", "audio_media_id unknown", 400017, audio_media_id=UNKNOWN_ID),
    case("lip_sync", "audio_media_id is a video", 400017, audio_media_id="<video_media>"),
    case("lip_sync", "audio_media_id a string", 400013, audio_media_id="1"),
    case("lip_sync", "audio and TTS", 400017, lip_sync_tts_speaker_id="7", lip_sync_tts_content="hi"),
    case("lip_sync_tts", "speaker unknown", 400017, lip_sync_tts_speaker_id="99"),
    case("lip_sync_tts", "speaker a number", 400013, lip_sync_tts_speaker_id=7),
    case("lip_sync_tts", "speaker without content", 400017, lip_sync_tts_content=DROP),
    case("lip_sync_tts", "content without speaker", 400017, lip_sync_tts_speaker_id=DROP),
    case("lip_sync_tts", "content 201 chars", 400017, lip_sync_tts_content="x" * 201),
    case("lip_sync_tts", "content blank", 400017, lip_sync_tts_content="  "),
    case("lip_sync_tts", "content a number", 400013, lip_sync_tts_content=5),
    # ---- sound effect (docs/api-facts.rst, 'Modes')
    case("sound_effect", "no video source", 400011, source_video_id=DROP),
    case("sound_effect", "source_video_id unknown", 400017, source_video_id=UNKNOWN_ID),
    case("sound_effect", "video_media_id is audio", 400017, source_video_id=DROP, video_media_id="<audio_media>"),
    case("sound_effect", "original_sound_switch a string", 400013, original_sound_switch="yes"),
    case("sound_effect", "sound_effect_content a number", 400013, sound_effect_content=1),
    case("sound_effect", "model a number", 400013, model=1),
    # ---- restyle (docs/api-facts.rst, 'Modes')
    case("restyle", "neither restyle_id nor restyle_prompt", 400017, restyle_id=DROP),
    case("restyle", "restyle_id and restyle_prompt", 400017, restyle_prompt="oil"),
    case("restyle", "restyle_id unknown", 400017, restyle_id=UNKNOWN_ID),
    case("restyle", "restyle_id a string", 400013, restyle_id="1"),
    case("restyle", "restyle_prompt empty", 400011, restyle_id=DROP, restyle_prompt=""),
    case("restyle", "restyle_prompt too long", 400018, restyle_id=DROP, restyle_prompt=LONG),
    case("restyle", "seed negative", 400017, seed=-1),
    case("restyle", "source longer than 16 s", 400017, source_video_id=DROP, video_media_id="<long_video_media>"),
    case("restyle", "no video source", 400011, source_video_id=DROP),
    # ---- mask selection and swap (docs/api-facts.rst, 'Modes')
    case("mask", "no video source", 400011, source_video_id=DROP),
    case("mask", "source still generating", 400017, source_video_id="<running_video>"),
    case("mask", "keyframe_id negative", 400017, keyframe_id=-1),
    case("mask", "keyframe_id a string", 400013, keyframe_id="1"),
    case("mask", "keyframe_id past the last frame", 400017, keyframe_id=121),
    case("swap", "no video source", 400011, source_video_id=DROP),
    case("swap", "keyframe_id missing", 400011, keyframe_id=DROP),
    case("swap", "keyframe_id not the selection's", 400017, keyframe_id=2),
    case("swap", "mask_id missing", 400011, mask_id=DROP),
    case("swap", "mask_id empty", 400011, mask_id=""),
    case("swap", "mask_id unknown", 400017, mask_id="nope"),
    case("swap", "mask_id of another video", 400017, mask_id="<other_mask>"),
    case("swap", "mask_id a number", 400013, mask_id=5),
    case("swap", "img_id missing", 400011, img_id=DROP),
    case("swap", "img_id unknown", 400032, img_id=UNKNOWN_ID),
    case("swap", "quality 1080p", 400017, quality="1080p"),
    case("swap", "quality missing", 400011, quality=DROP),
    # ---- mimic (docs/api-facts.rst, 'Modes')
    case("mimic", "img_id missing", 400011, img_id=DROP),
    case("mimic", "img_id unknown", 400032, img_id=UNKNOWN_ID),
    case("mimic", "quality 1080p", 400017, quality="1080p"),
    case("mimic", "quality missing", 400011, quality=DROP),
    case("mimic", "no video source", 400011, video_media_id=DROP),
    case("mimic", "both video sources", 400017, source_video_id="<video>"),
    case("mimic", "video_media_id unknown", 400017, video_media_id=UNKNOWN_ID),
    # ---- modify (docs/api-facts.rst, 'Modes')
    case("modify", "prompt missing", 400011, prompt=DROP),
    case("modify", "prompt empty", 400011, prompt=""),
    case("modify", "prompt over 5000 chars", 400018, prompt="x" * 5001),
    case("modify", "quality 1080p", 400017, quality="1080p"),
    case("modify", "quality missing", 400011, quality=DROP),
    case("modify", "four img_ids", 400017, img_ids=["<img>"] * 4),
    case("modify", "img_ids unknown", 400032, img_ids=[UNKNOWN_ID]),
    case("modify", "img_ids not a list", 400013, img_ids="x"),
    case("modify", "four mask_ids", 400017, mask_ids=["<mask>"] * 4),
    case("modify", "mask_ids unknown", 400017, mask_ids=["nope"]),
    case("modify", "mask_ids of another video", 400017, mask_ids=["<other_mask>"]),
    case("modify", "keyframe_ids a string", 400013, keyframe_ids="a"),
    case("modify", "keyframe_ids negative", 400017, keyframe_ids=-1),
    case("modify", "no video source", 400011, source_video_id=DROP),
    # ---- image template (docs/api-facts.rst, 'Modes')
    case("image_template", "img_ids missing", 400011, img_ids=DROP),
    case("image_template", "img_ids empty", 400011, img_ids=[]),
    case("image_template", "img_ids unknown", 400032, img_ids=[UNKNOWN_ID]),
    case("image_template", "two images for a one-image template", 400017, img_ids=["<img>", "<img2>"]),
    case("image_template", "template_id missing", 400011, template_id=DROP),
    case("image_template", "template_id a string", 400013, template_id="x"),
    case("image_template", "template not activated", 500070, template_id=SUBJECT_3_FEVER),
    case("image_template", "template unknown", 500070, template_id=UNKNOWN_ID),
    case("image_template", "a video template", 400017, template_id=MICROWAVE),
]


# -------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def resources(emulator: EmulatorServer) -> dict[str, Any]:
    """Ids every base request refers to, created once for the module (rejected requests change nothing)."""
    emulator.reset()
    api = Api(emulator)
    video, other_video = api.finished_video(), api.finished_video()
    found = {
        "<img>": api.upload_image(),
        "<img2>": api.upload_image(make_png(360, 640)),
        "<video>": video,
        "<video_media>": api.upload_media(make_mp4_with_duration(5), "clip.mp4")["media_id"],
        "<long_video_media>": api.upload_media(make_mp4_with_duration(20), "long.mp4")["media_id"],
        "<audio_media>": api.upload_media(make_wav(3), "voice.wav")["media_id"],
        "<mask>": api.ok("POST", E.MASK_SELECTION.value, {"source_video_id": video})["mask_info"][0]["mask_id"],
        "<other_mask>": api.ok("POST", E.MASK_SELECTION.value, {"source_video_id": other_video})["mask_info"][0][
            "mask_id"
        ],
        "<running_video>": api.submit(E.TEXT_TO_VIDEO.value, {**T2V, "prompt": "[emulate:seconds=1000000]"}),
    }
    return found


@pytest.fixture(scope="module")
def client(emulator: EmulatorServer) -> Iterator[Api]:
    api = Api(emulator)
    yield api
    api.session.close()


def resolve(value: Any, found: dict[str, Any]) -> Any:
    if isinstance(value, str):
        return found.get(value, value)
    if isinstance(value, list):
        return [resolve(v, found) for v in value]
    if isinstance(value, dict):
        return {k: resolve(v, found) for k, v in value.items()}
    return value


def request_body(base: str, changes: dict[str, Any], found: dict[str, Any]) -> tuple[Endpoint, dict[str, Any]]:
    endpoint, body = BASES[base]
    body = dict(body)
    for key, value in changes.items():
        if value == DROP:
            body.pop(key, None)
        else:
            body[key] = value
    return endpoint, resolve(body, found)


def snapshot(emulator: EmulatorServer) -> tuple[Any, ...]:
    """What a rejected request must leave untouched."""
    counters = emulator.counters()
    balance = emulator.state.balance()
    return (
        counters["jobs_created"],
        counters["generations_charged"],
        counters["credits_charged"],
        counters["uploads"],
        balance["credit_monthly"] + balance["credit_package"],
        sorted(p.name for p in (emulator.state.media_dir / "uploads").iterdir()),
        sorted(p.name for p in (emulator.state.media_dir / "incoming").iterdir()),
    )


# -------------------------------------------------------------------------------------------- JSON bodies


@pytest.mark.parametrize(("base", "changes", "code"), CASES)
def test_wrong_field_gets_the_exact_code(
    client: Api, emulator: EmulatorServer, resources: dict[str, Any], base: str, changes: dict[str, Any], code: int
) -> None:
    endpoint, body = request_body(base, changes, resources)
    before = snapshot(emulator)
    answer = client.post(endpoint.value, body)
    assert (answer["ErrCode"], answer["Resp"]) == (code, None), answer["ErrMsg"]
    assert answer["ErrMsg"]
    assert snapshot(emulator) == before


@pytest.mark.parametrize(
    ("endpoint", "raw"),
    [
        pytest.param(e, raw, id=f"{e.name}: {what} -> 400013")
        for e in (E.TEXT_TO_VIDEO, E.SWAP, E.MASK_SELECTION, E.IMAGE_TEMPLATE)
        for what, raw in (("not JSON", b"{prompt: cat"), ("array", b"[1, 2]"), ("string", b'"x"'), ("empty", b""))
    ],
)
def test_body_that_is_not_a_json_object_is_a_binding_error(
    client: Api, emulator: EmulatorServer, resources: dict[str, Any], endpoint: Endpoint, raw: bytes
) -> None:
    before = snapshot(emulator)
    headers = {**client.headers(), "Content-Type": "application/json"}
    answer = requests.post(client.url(endpoint.value), data=raw, headers=headers, timeout=5).json()
    assert answer["ErrCode"] == 400013
    assert snapshot(emulator) == before


def test_every_base_request_is_valid(client: Api, emulator: EmulatorServer, resources: dict[str, Any]) -> None:
    """The table's cases fail for the one thing they change: each base request on its own succeeds."""
    for base in BASES:
        endpoint, body = request_body(base, {}, resources)
        answer = client.post(endpoint.value, body)
        assert answer["ErrCode"] == 0, (base, answer)
        emulator.advance(1)  # frees the concurrency slot; the running video takes far longer


# -------------------------------------------------------------------------------------------- query strings


@pytest.mark.parametrize(
    ("endpoint", "params"),
    [
        pytest.param(E.TTS_SPEAKERS, {"page_num": "0"}, id="tts: page_num 0"),
        pytest.param(E.TTS_SPEAKERS, {"page_num": "abc"}, id="tts: page_num not a number"),
        pytest.param(E.TTS_SPEAKERS, {"page_size": "101"}, id="tts: page_size 101"),
        pytest.param(E.TTS_SPEAKERS, {"page_size": "0"}, id="tts: page_size 0"),
        pytest.param(E.TEMPLATES, {"pageSize": "7"}, id="templates: pageSize 7"),
        pytest.param(E.TEMPLATES, {"pageSize": "x"}, id="templates: pageSize not a number"),
        pytest.param(E.TEMPLATES, {"type": "3"}, id="templates: type 3"),
        pytest.param(E.TEMPLATES, {"page": "0"}, id="templates: page 0"),
        pytest.param(E.RESTYLE_LIST, {"page_num": "0"}, id="restyles: page_num 0"),
        pytest.param(E.RESTYLE_LIST, {"page_size": "x"}, id="restyles: page_size not a number"),
    ],
)
def test_bad_query_value_is_a_parameter_error(client: Api, endpoint: Endpoint, params: dict[str, str]) -> None:
    assert client.get(endpoint.value, params)["ErrCode"] == 400017


def test_result_id_that_is_not_a_number_is_a_binding_error(client: Api) -> None:
    assert client.get("/openapi/v2/video/result/12a")["ErrCode"] == 400013
    assert client.get("/openapi/v2/image/result/-1")["ErrCode"] == 400013


# -------------------------------------------------------------------------------------------- uploads


def png_with_zero_width() -> bytes:
    png = bytearray(make_png(8, 8))
    png[16:20] = b"\x00\x00\x00\x00"
    png[29:33] = zlib.crc32(bytes(png[12:29])).to_bytes(4, "big")
    return bytes(png)


@pytest.fixture(scope="module")
def octet_stream_url() -> Iterator[str]:
    """A loopback server that serves a valid PNG as ``application/octet-stream``."""
    body = make_png(16, 16)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/picture.png"
    server.shutdown()
    server.server_close()


IMAGE_UPLOAD_CASES = [
    pytest.param({}, {}, 400011, id="image: nothing -> 400011"),
    pytest.param(
        {"image": ("a.png", make_png(4, 4))},
        {"image_url": "http://127.0.0.1:1/a.png"},
        400017,
        id="image: file and url -> 400017",
    ),
    pytest.param({"image": ("big.png", make_png(4, 4) + bytes(20 * MB))}, {}, 500030, id="image: 20 MB -> 500030"),
    pytest.param({"image": ("wide.png", make_png(4001, 2))}, {}, 500030, id="image: 4001 px wide -> 500030"),
    pytest.param({"image": ("tall.png", make_png(2, 4001))}, {}, 500030, id="image: 4001 px tall -> 500030"),
    pytest.param({"image": ("a.gif", b"GIF89a" + bytes(40))}, {}, 500032, id="image: gif -> 500032"),
    pytest.param({"image": ("a.png", b"hello, not an image")}, {}, 500032, id="image: text -> 500032"),
    pytest.param({"image": ("a.png", b"")}, {}, 500032, id="image: empty file -> 500032"),
    pytest.param({"image": ("a.png", b"\x89PNG\r\n\x1a\n\x00\x00")}, {}, 500031, id="image: truncated png -> 500031"),
    pytest.param({"image": ("a.png", png_with_zero_width())}, {}, 500033, id="image: zero width -> 500033"),
    pytest.param({}, {"image_url": "http://example.com/a.png"}, 500042, id="image: url not on loopback -> 500042"),
    pytest.param({}, {"image_url": "not a url"}, 500042, id="image: url not a url -> 500042"),
    pytest.param({}, {"image_url": "<missing>"}, 500042, id="image: url answers 404 -> 500042"),
    pytest.param({}, {"image_url": "<octet>"}, 500032, id="image: url served as octet-stream -> 500032"),
]


@pytest.mark.parametrize(("files", "data", "code"), IMAGE_UPLOAD_CASES)
def test_image_upload_errors(
    client: Api, emulator: EmulatorServer, octet_stream_url: str, files: Any, data: Any, code: int
) -> None:
    missing = f"{emulator.base_url}/_emulator/media/uploads/{uuid.uuid4().hex}.png"
    data = {k: {"<missing>": missing, "<octet>": octet_stream_url}.get(v, v) for k, v in data.items()}
    before = snapshot(emulator)
    answer = client.upload(E.UPLOAD_IMAGE.value, files=files or None, data=data or None)
    if not files and not data:  # an empty multipart body still needs a multipart content type
        answer = client.upload(E.UPLOAD_IMAGE.value, files={"unrelated": ("x.txt", b"x")})
    assert answer["ErrCode"] == code, answer["ErrMsg"]
    assert snapshot(emulator) == before


MEDIA_UPLOAD_CASES = [
    pytest.param({"other": ("x.txt", b"x")}, {}, 400011, id="media: nothing -> 400011"),
    pytest.param(
        {"file": ("a.wav", make_wav(1))},
        {"file_url": "http://127.0.0.1:1/a.wav"},
        400017,
        id="media: file and url -> 400017",
    ),
    pytest.param({"file": ("a.mp4", b"just some text")}, {}, 400017, id="media: text -> 400017"),
    pytest.param({"file": ("a.mp4", make_png(8, 8))}, {}, 400017, id="media: an image -> 400017"),
    pytest.param({"file": ("a.wav", make_wav(31))}, {}, 400017, id="media: 31 s audio -> 400017"),
    pytest.param({"file": ("a.mp4", make_mp4_with_duration(31))}, {}, 400017, id="media: 31 s video -> 400017"),
    pytest.param(
        {"file": ("a.mp4", make_mp4_with_duration(5, 1921, 1080))}, {}, 400017, id="media: 1921 px video -> 400017"
    ),
    pytest.param(
        {"file": ("a.mp4", make_mp4_with_duration(5) + bytes(50 * MB))}, {}, 400017, id="media: over 50 MB -> 400017"
    ),
    pytest.param({}, {"file_url": "http://example.com/a.mp4"}, 400017, id="media: url not on loopback -> 400017"),
]


@pytest.mark.parametrize(("files", "data", "code"), MEDIA_UPLOAD_CASES)
def test_media_upload_errors(client: Api, emulator: EmulatorServer, files: Any, data: Any, code: int) -> None:
    before = snapshot(emulator)
    answer = client.upload(E.UPLOAD_MEDIA.value, files=files or None, data=data or None)
    assert answer["ErrCode"] == code, answer["ErrMsg"]
    assert snapshot(emulator) == before


def test_limits_are_inclusive(client: Api, emulator: EmulatorServer) -> None:
    """The largest accepted sizes: a 4000 px side and 30 s of media."""
    assert client.upload(E.UPLOAD_IMAGE.value, files={"image": ("a.png", make_png(4000, 1))})["ErrCode"] == 0
    assert client.upload(E.UPLOAD_MEDIA.value, files={"file": ("a.wav", make_wav(30))})["ErrCode"] == 0
    video = make_mp4_with_duration(30, 1920, 1080)
    assert client.upload(E.UPLOAD_MEDIA.value, files={"file": ("a.mp4", video)})["ErrCode"] == 0


def test_upload_that_is_not_a_form_is_a_binding_error(client: Api, emulator: EmulatorServer) -> None:
    before = snapshot(emulator)
    answer = client.post(E.UPLOAD_IMAGE.value, {"image_url": "http://127.0.0.1/x.png"})
    assert answer["ErrCode"] == 400013
    assert snapshot(emulator) == before
