"""How operators read and name their inputs: a rendered string is judged as the value it spells, and an upload
PixVerse refuses names the input it was for and the file.

The cases build operators the way tests/integration/test_operator_bad_input.py does (its files, keyframes and
references); the refused uploads reach the emulator, which judges files by content.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pixverse_provider._compat import AirflowFailException
from pixverse_provider.emulator import EmulatorServer
from pixverse_provider.exceptions import PixVerseInvalidRequestError, PixVerseRequestRejectedError
from tests.integration.test_operator_bad_input import (
    CAT,
    CLIP,
    DOG,
    EFFECT,
    EXTEND,
    FOX,
    FUSION,
    I2V,
    KISS,
    LIP_SYNC,
    MIMIC,
    MODIFY,
    MORE,
    MORPH,
    MULTI,
    RESTYLE,
    SOUND,
    SWAP,
    T2V,
    TRANSITION,
    TTS,
    UPLOAD_IMAGE,
    UPLOAD_MEDIA,
    WAVE,
    File,
    keyframes,
    refs,
    resolve,
    write_media,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_media(tmp_path_factory.mktemp("media"))


# --- a rendered string is judged as the value it spells ------------------------------------------------------

# fmt: off
RENDERED = [
    pytest.param(T2V, FOX, "seed", -3, id="t2v-seed-negative"),
    pytest.param(T2V, FOX, "seed", 2**31, id="t2v-seed-above-int32"),
    pytest.param(T2V, FOX, "duration", 10, id="t2v-duration-10-on-v5"),
    pytest.param(T2V, FOX, "duration", 5.5, id="t2v-duration-float"),
    pytest.param(T2V, FOX, "template_id", -1, id="t2v-template-id-negative"),
    pytest.param(T2V, FOX, "generate_audio_switch", True, id="t2v-audio-switch-on-v5"),
    pytest.param(I2V, WAVE, "img_id", -5, id="i2v-img-id-negative"),
    pytest.param(TRANSITION, {**MORPH, "first_frame_img": 1}, "last_frame_img", -2, id="transition-frame-negative"),
    pytest.param(EFFECT, {"template_id": KISS}, "img_ids", [1, -2], id="effect-img-ids-item-negative"),
    pytest.param(MULTI, {"multi_transition": keyframes(2)}, "seed", -1, id="multi-seed-negative"),
    pytest.param(FUSION, {"image_references": refs("cat"), "prompt": "@cat runs"}, "seed", 2**40, id="fusion-seed"),
    pytest.param(EXTEND, {**MORE, "source_video_id": 5}, "seed", -1, id="extend-seed-negative"),
    pytest.param(EXTEND, MORE, "source_video_id", -5, id="extend-source-negative"),
    pytest.param(LIP_SYNC, TTS, "video_media_id", -6, id="lip-sync-media-id-negative"),
    pytest.param(SOUND, {"source_video_id": 5}, "original_sound_switch", 1, id="sound-effect-switch-1"),
    pytest.param(RESTYLE, {"source_video_id": 5}, "restyle_id", -7, id="restyle-id-negative"),
    pytest.param(SWAP, {"source_video_id": 5, "img_id": 1, "mask_id": "m"}, "keyframe_id", -1, id="swap-keyframe"),
    pytest.param(MIMIC, {"source_video_id": 5}, "img_id", -1, id="mimic-img-id-negative"),
    pytest.param(MODIFY, {"source_video_id": 5, "prompt": "night"}, "keyframe_ids", -1, id="modify-keyframe"),
    pytest.param(MODIFY, {"source_video_id": 5, "prompt": "@img0 glows"}, "img_ids", [1, -2], id="modify-img-ids"),
]
# fmt: on


def refusal_of(operator: type, kwargs: dict[str, Any]) -> str:
    with pytest.raises(PixVerseInvalidRequestError) as failure:
        operator(task_id="rendered", **kwargs).execute(context={})
    return str(failure.value)


@pytest.mark.parametrize(("operator", "kwargs", "field", "value"), RENDERED)
def test_a_rendered_string_is_judged_as_the_value_it_spells(
    operator: type, kwargs: dict[str, Any], field: str, value: Any, emulator: EmulatorServer
) -> None:
    """``"{{ params.seed }}"`` with seed -3 renders ``"-3"``: it must fail exactly as ``seed=-3`` does."""
    written = refusal_of(operator, {**kwargs, field: value})
    rendered = refusal_of(operator, {**kwargs, field: str(value)})

    assert rendered == written
    assert field in written
    assert emulator.counters()["requests_total"] == 0


def test_a_rendered_keyframe_duration_is_judged_as_the_number_it_spells(emulator: EmulatorServer) -> None:
    frames = [{"img_id": 1, "duration": 9}, {"img_id": 2}]
    rendered = [{"img_id": "1", "duration": "9"}, {"img_id": "2"}]

    assert refusal_of(MULTI, {"multi_transition": rendered}) == refusal_of(MULTI, {"multi_transition": frames})


# --- an upload PixVerse refuses names its input and the file -------------------------------------------------

NOT_AN_IMAGE, NOT_A_VIDEO, NOT_AUDIO = File("notes.png"), File("notes.mp4"), File("notes.wav")
"""Text files under media names: the local checks pass (they exist), PixVerse refuses them by content."""
IMAGE_REFUSED, MEDIA_REFUSED = "500032", "400017"

# fmt: off
REFUSED_UPLOADS = [
    pytest.param(FUSION, {
        "image_references": [
            {"ref_name": "cat", "type": "subject", "image": CAT},
            {"ref_name": "dog", "type": "subject", "image": DOG},
            {"ref_name": "logo", "type": "background", "image": NOT_AN_IMAGE},
        ],
        "prompt": "@cat and @dog play in front of @logo ", "model": "v5.5",
    }, "image_references[2] 'logo'", NOT_AN_IMAGE, IMAGE_REFUSED, id="fusion-third-reference"),
    pytest.param(MULTI, {"multi_transition": [{"image": CAT, "duration": 3}, {"image": NOT_AN_IMAGE}]},
                 "multi_transition[1]", NOT_AN_IMAGE, IMAGE_REFUSED, id="multi-transition-last-keyframe"),
    pytest.param(EFFECT, {"template_id": KISS, "images": [CAT, NOT_AN_IMAGE]},
                 "images[1]", NOT_AN_IMAGE, IMAGE_REFUSED, id="effect-second-image"),
    pytest.param(TRANSITION, {**MORPH, "first_frame_image": CAT, "last_frame_image": NOT_AN_IMAGE},
                 "last_frame_image", NOT_AN_IMAGE, IMAGE_REFUSED, id="transition-last-frame"),
    pytest.param(MODIFY, {"video": CLIP, "prompt": "@img0 and @img1 glow", "images": [DOG, NOT_AN_IMAGE]},
                 "images[1]", NOT_AN_IMAGE, IMAGE_REFUSED, id="modify-second-image"),
    pytest.param(MODIFY, {"video": NOT_A_VIDEO, "prompt": "@img0 glows", "images": [DOG]},
                 "video", NOT_A_VIDEO, MEDIA_REFUSED, id="modify-video"),
    pytest.param(SWAP, {"video": CLIP, "image": NOT_AN_IMAGE, "mask_id": "m1"},
                 "image", NOT_AN_IMAGE, IMAGE_REFUSED, id="swap-image"),
    pytest.param(MIMIC, {"video": NOT_A_VIDEO, "image": CAT},
                 "video", NOT_A_VIDEO, MEDIA_REFUSED, id="mimic-video"),
    pytest.param(LIP_SYNC, {"video": CLIP, "audio": NOT_AUDIO},
                 "audio", NOT_AUDIO, MEDIA_REFUSED, id="lip-sync-audio"),
    pytest.param(UPLOAD_IMAGE, {"image": NOT_AN_IMAGE}, "image", NOT_AN_IMAGE, IMAGE_REFUSED, id="upload-image"),
    pytest.param(UPLOAD_MEDIA, {"file": NOT_AUDIO}, "file", NOT_AUDIO, MEDIA_REFUSED, id="upload-media"),
]
# fmt: on


@pytest.mark.parametrize(("operator", "kwargs", "label", "refused", "code"), REFUSED_UPLOADS)
def test_a_refused_upload_names_its_input_and_file(
    operator: type, kwargs: dict[str, Any], label: str, refused: File, code: str, media: Path, emulator: EmulatorServer
) -> None:
    for name in (NOT_AN_IMAGE, NOT_A_VIDEO, NOT_AUDIO):
        (media / name.name).write_text("meeting notes, not a picture\n")
    task = operator(task_id="refused", **resolve(kwargs, media))

    with pytest.raises(PixVerseRequestRejectedError) as failure:
        task.execute(context=UploadContext())

    assert isinstance(failure.value, AirflowFailException), "a refused file must not use the task's retries"
    message = str(failure.value)
    assert message.startswith(f"{label} ({media / refused.name}): PixVerse error {code}"), message
    posts = [e["path"] for e in emulator.state.request_log() if e["path"].endswith("/generate")]
    assert posts == [], "nothing was generated"


class UploadContext(dict):  # type: ignore[type-arg]
    """The context a generation task reaches its uploads with: the credit estimate is pushed to XCom first."""

    def __init__(self) -> None:
        super().__init__(ti=_RecordingTaskInstance())


class _RecordingTaskInstance:
    def __init__(self) -> None:
        self.pushed: dict[str, Any] = {}

    def xcom_push(self, key: str, value: Any) -> None:
        self.pushed[key] = value
