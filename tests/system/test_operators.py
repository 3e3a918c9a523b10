"""Every operator in a real Airflow (dag.test()) against the emulator: the exact request PixVerse receives.

The DAGs are in tests/dags/operator_dags.py. For each generation task the test finds the POST the emulator
logged under the task's ``trace_id`` XCom and compares its whole JSON body: API field names, integer ids equal
to the upload ids (or to an upload of exactly the file the task was given), no unset optional field, enums
as strings. It also checks the ``return_value`` (the ``video_id``, or the upload's id) and the
``estimated_credits`` XCom against the price tables of docs/api-facts.rst, 'Prices'.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from pixverse_provider.api import Endpoint
from pixverse_provider.emulator import EmulatorServer
from pixverse_provider.hooks import PixVerseHook
from pixverse_provider.hooks.transport import TRACE_HEADER
from tests.dags import operator_dags as dags
from tests.integration.conftest import API_KEY
from tests.system.conftest import dag_from, run_dag, task_states, xcom

pytestmark = pytest.mark.system

DAG_FILE = "operator_dags"


class UploadOf:
    """Equal to an upload id whose stored file holds exactly ``data``: a file the operator uploaded itself."""

    def __init__(self, emulator: EmulatorServer, data: bytes, name: str) -> None:
        self.emulator, self.data, self.name = emulator, data, name

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, int) or isinstance(other, bool):
            return False
        upload = self.emulator.state.upload(other)
        return upload is not None and upload.path.read_bytes() == self.data

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<id of an upload of {self.name}>"


class AnyText:
    """Equal to any non-empty string."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and bool(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "<any non-empty string>"


@dataclass
class Run:
    """A finished DAG run and what the emulator saw during it."""

    dag_run: Any
    emulator: EmulatorServer

    def states(self) -> dict[str, str]:
        return task_states(self.dag_run)

    def xcom(self, task_id: str, key: str = "return_value") -> Any:
        return xcom(self.dag_run, task_id, key)

    def file(self, name: str) -> UploadOf:
        files = {
            "cat": dags.CAT_PNG,
            "dog": dags.DOG_PNG,
            "bird": dags.BIRD_PNG,
            "clip": dags.CLIP_MP4,
            "voice": dags.VOICE_WAV,
        }
        data = files[name]
        return UploadOf(self.emulator, data, name)

    def requests_with_trace_id(self, trace_id: str) -> list[dict[str, Any]]:
        return [e for e in self.emulator.state.request_log() if e["trace_id"] == trace_id]

    def generation_post(self, task_id: str) -> dict[str, Any]:
        """The one request the emulator logged under the task's ``trace_id`` XCom."""
        trace_id = self.xcom(task_id, "trace_id")
        assert isinstance(trace_id, str) and trace_id, f"{task_id} pushed no trace_id"
        (entry,) = self.requests_with_trace_id(trace_id)
        assert entry["method"] == "POST"
        return entry


def run(emulator: EmulatorServer, dag_id: str, **conf: Any) -> Run:
    return Run(run_dag(DAG_FILE, dag_id, **conf), emulator)


@dataclass(frozen=True)
class Generation:
    """What one generation task must send, and the estimate it must push."""

    task_id: str
    endpoint: Endpoint
    credits: int | None
    body: Callable[[Run], dict[str, Any]]


@dataclass(frozen=True)
class Upload:
    """What one upload task must return: the id of an upload holding exactly ``data``."""

    task_id: str
    endpoint: Endpoint
    data: bytes
    extra_xcom: dict[str, Any] = field(default_factory=dict)


T2V_DEFAULTS = {"model": "v5", "duration": 5, "quality": "540p", "aspect_ratio": "16:9"}
I2V_DEFAULTS = {"model": "v5", "duration": 5, "quality": "540p"}
SOURCE = Generation(
    "source", Endpoint.TEXT_TO_VIDEO, 45, lambda r: {"prompt": "A street musician plays the violin", **T2V_DEFAULTS}
)

EXPECTED: dict[str, list[Generation | Upload]] = {
    "upload_image": [
        Upload("upload_path", Endpoint.UPLOAD_IMAGE, dags.CAT_PNG),
        Upload("upload_store", Endpoint.UPLOAD_IMAGE, dags.BIRD_PNG),
    ],
    "upload_media": [
        Upload("upload_clip", Endpoint.UPLOAD_MEDIA, dags.CLIP_MP4, {"media_type": "video"}),
        Upload("upload_voice", Endpoint.UPLOAD_MEDIA, dags.VOICE_WAV, {"media_type": "audio"}),
    ],
    "text_to_video": [
        Generation("fox", Endpoint.TEXT_TO_VIDEO, 45, lambda r: {
            "prompt": "A red fox at dawn", **T2V_DEFAULTS, "seed": 42, "negative_prompt": "blurry, low quality",
        }),
        # v6 is priced per second: 720p with audio is 12 credits/s
        Generation("fox_v6", Endpoint.TEXT_TO_VIDEO, 36, lambda r: {
            "prompt": "A red fox at dusk", "model": "v6", "duration": 3, "quality": "720p", "aspect_ratio": "21:9",
            "generate_audio_switch": True,
        }),
    ],
    "image_to_video": [
        Upload("upload_cat", Endpoint.UPLOAD_IMAGE, dags.CAT_PNG),
        Generation("animate_upload", Endpoint.IMAGE_TO_VIDEO, 60, lambda r: {
            "prompt": "The cat waves", "img_id": r.xcom("upload_cat"), **I2V_DEFAULTS, "quality": "720p",
        }),
        Generation("animate_pulled_id", Endpoint.IMAGE_TO_VIDEO, 90, lambda r: {
            "prompt": "The cat blinks", "img_id": r.xcom("upload_cat"), **I2V_DEFAULTS, "duration": 8, "seed": 7,
        }),
        Generation("animate_file", Endpoint.IMAGE_TO_VIDEO, 45, lambda r: {
            "prompt": "The dog wags its tail", "img_id": r.file("dog"), **I2V_DEFAULTS,
        }),
    ],
    "transition": [
        Upload("upload_dog", Endpoint.UPLOAD_IMAGE, dags.DOG_PNG),
        Generation("cat_to_dog", Endpoint.TRANSITION, 90, lambda r: {
            "prompt": "The cat slowly turns into a dog", "first_frame_img": r.file("cat"),
            "last_frame_img": r.xcom("upload_dog"), "model": "v5", "duration": 8, "quality": "540p",
        }),
    ],
    "effect_single_image": [
        # a template's own music is not billed extra
        Generation("robot", Endpoint.IMAGE_TO_VIDEO, 45, lambda r: {
            "template_id": dags.ROBOT_TEMPLATE, "img_id": r.file("bird"), "prompt": "", **I2V_DEFAULTS,
            "sound_effect_switch": True,
        }),
    ],
    "effect_multi_image": [
        Upload("upload_cat", Endpoint.UPLOAD_IMAGE, dags.CAT_PNG),
        Upload("upload_dog", Endpoint.UPLOAD_IMAGE, dags.DOG_PNG),
        Generation("kiss", Endpoint.IMAGE_TO_VIDEO, 45, lambda r: {
            "template_id": dags.KISS_TEMPLATE, "img_ids": [r.xcom("upload_cat"), r.xcom("upload_dog")], "prompt": "",
            **I2V_DEFAULTS,
        }),
    ],
    "effect_text_template": [
        Generation("fireworks", Endpoint.TEXT_TO_VIDEO, 45, lambda r: {
            "template_id": dags.FIREWORKS_TEMPLATE, "prompt": "", **T2V_DEFAULTS,
        }),
    ],
    "multi_transition": [
        Upload("upload_cat", Endpoint.UPLOAD_IMAGE, dags.CAT_PNG),
        # multi-transition prices are tiered by a table nobody has published: no estimate
        Generation("cat_dog_cat", Endpoint.MULTI_TRANSITION, None, lambda r: {
            "multi_transition": [
                {"img_id": r.xcom("upload_cat"), "duration": 3, "prompt": "the cat jumps"},
                {"img_id": r.file("dog"), "duration": 2, "prompt": "the dog lands"},
                {"img_id": r.xcom("upload_cat")},
            ],
            "model": "v5", "quality": "540p",
        }),
    ],
    "fusion": [
        Upload("upload_cat", Endpoint.UPLOAD_IMAGE, dags.CAT_PNG),
        Generation("cat_in_garden", Endpoint.FUSION, 45, lambda r: {
            "image_references": [
                {"ref_name": "cat", "type": "subject", "img_id": r.xcom("upload_cat")},
                {"ref_name": "garden", "type": "background", "img_id": r.file("dog")},
            ],
            "prompt": "@cat naps in the sun of @garden at noon", **T2V_DEFAULTS, "seed": 1234,
        }),
    ],
    "extend": [
        SOURCE,
        Generation("extend_generated", Endpoint.EXTEND, 45, lambda r: {
            "source_video_id": r.xcom("source"), "prompt": "The camera pulls back to reveal the city", "seed": 7,
            **I2V_DEFAULTS,
        }),
        Generation("extend_file", Endpoint.EXTEND, 90, lambda r: {
            "video_media_id": r.file("clip"), "prompt": "The sun sets", "seed": 0, **I2V_DEFAULTS, "duration": 8,
        }),
    ],
    "lip_sync": [
        SOURCE,
        Upload("upload_clip", Endpoint.UPLOAD_MEDIA, dags.CLIP_MP4, {"media_type": "video"}),
        # priced by the audio's length, which is not known before the upload: no estimate
        Generation("sing_along", Endpoint.LIP_SYNC, None, lambda r: {
            "source_video_id": r.xcom("source"), "audio_media_id": r.file("voice"),
        }),
        # TTS: 4 credits per started 15 bytes; "Hello from Airflow!" is 19 bytes
        Generation("say_hello", Endpoint.LIP_SYNC, 8, lambda r: {
            "video_media_id": r.xcom("upload_clip"), "lip_sync_tts_speaker_id": "Auto",
            "lip_sync_tts_content": "Hello from Airflow!",
        }),
    ],
    "sound_effect": [
        SOURCE,
        Generation("add_rain", Endpoint.SOUND_EFFECT, None, lambda r: {
            "source_video_id": r.xcom("source"), "sound_effect_content": "soft rain on a tin roof",
            "original_sound_switch": True,
        }),
        Generation("derive_sound", Endpoint.SOUND_EFFECT, None, lambda r: {"video_media_id": r.file("clip")}),
    ],
    "restyle": [
        Upload("upload_clip", Endpoint.UPLOAD_MEDIA, dags.CLIP_MP4, {"media_type": "video"}),
        Generation("anime", Endpoint.RESTYLE, None, lambda r: {
            "video_media_id": r.xcom("upload_clip"), "restyle_id": dags.ANIME_RESTYLE,
        }),
        Generation("watercolour", Endpoint.RESTYLE, None, lambda r: {
            "video_media_id": r.file("clip"), "restyle_prompt": "a soft watercolour painting", "seed": 3,
        }),
    ],
    "mimic": [
        Upload("upload_cat", Endpoint.UPLOAD_IMAGE, dags.CAT_PNG),
        Upload("upload_clip", Endpoint.UPLOAD_MEDIA, dags.CLIP_MP4, {"media_type": "video"}),
        Generation("cat_dances", Endpoint.MIMIC, None, lambda r: {
            "video_media_id": r.xcom("upload_clip"), "img_id": r.xcom("upload_cat"), "quality": "360p",
        }),
    ],
    "modify": [
        SOURCE,
        Upload("upload_cat", Endpoint.UPLOAD_IMAGE, dags.CAT_PNG),
        Generation("make_it_night", Endpoint.MODIFY, None, lambda r: {
            "source_video_id": r.xcom("source"), "prompt": "Make it night, with @img0 glowing in the sky",
            "img_ids": [r.xcom("upload_cat")], "keyframe_ids": 3, "quality": "720p",
        }),
        Generation("add_rainbow", Endpoint.MODIFY, None, lambda r: {
            "video_media_id": r.file("clip"), "prompt": "Add @img0 under a rainbow", "img_ids": [r.file("dog")],
            "quality": "540p",
        }),
    ],
    "swap": [
        SOURCE,
        Upload("upload_dog", Endpoint.UPLOAD_IMAGE, dags.DOG_PNG),
        # the mask_id is checked by test_swap_chooses_the_mask_by_name; here it is only a string
        Generation("swap_person", Endpoint.SWAP, None, lambda r: {
            "video_media_id": r.file("clip"), "keyframe_id": 1, "mask_id": AnyText(), "img_id": r.file("cat"),
            "quality": "540p",
        }),
        Generation("swap_background", Endpoint.SWAP, None, lambda r: {
            "source_video_id": r.xcom("source"), "keyframe_id": 1, "mask_id": AnyText(),
            "img_id": r.xcom("upload_dog"), "quality": "720p",
        }),
    ],
}  # fmt: skip


KNOWN_BUGS: dict[str, str] = {}


def dag_cases() -> list[Any]:
    return [
        pytest.param(dag_id, id=dag_id, marks=[pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[dag_id])])
        if dag_id in KNOWN_BUGS
        else pytest.param(dag_id, id=dag_id)
        for dag_id in EXPECTED
    ]


def test_there_is_a_dag_for_every_operator() -> None:
    from pixverse_provider import operators

    used = {type(task).__name__ for dag in dags.DAGS.values() for task in dag.tasks}
    assert used >= set(operators.__all__) - {"PixVerseGenerationOperator"}
    assert set(EXPECTED) | {"bad_duration", "bad_seed", "bad_img_id", "bad_tts_text", "bad_mask_name"} == set(dags.DAGS)


@pytest.mark.parametrize("dag_id", dag_cases())
def test_operator_dag_sends_the_exact_request(dag_id: str, emulator: EmulatorServer) -> None:
    result = run(emulator, dag_id)
    expected = EXPECTED[dag_id]

    assert result.states() == dict.fromkeys((e.task_id for e in expected), "success")
    hook = PixVerseHook()
    for item in expected:
        value = result.xcom(item.task_id)
        assert type(value) is int, f"{item.task_id} returned {value!r}"
        if isinstance(item, Upload):
            stored = emulator.state.upload(value)
            assert stored is not None and stored.path.read_bytes() == item.data, item.task_id
            for key, want in item.extra_xcom.items():
                assert result.xcom(item.task_id, key) == want
            continue
        post = result.generation_post(item.task_id)
        assert post["path"] == item.endpoint.value, item.task_id
        assert post["body"] == item.body(result), item.task_id
        assert result.xcom(item.task_id, "estimated_credits") == item.credits, item.task_id
        assert hook.get_video(value).id == value  # the return value is the video PixVerse created

    generations = [e for e in expected if isinstance(e, Generation)]
    posts = [e for e in emulator.state.request_log() if e["path"].endswith("/generate")]
    assert len(posts) == len(generations), "every generation was sent exactly once"


def test_upload_operators_push_the_urls(emulator: EmulatorServer) -> None:
    images, media = run(emulator, "upload_image"), run(emulator, "upload_media")

    for task_id in ("upload_path", "upload_store"):
        assert images.xcom(task_id, "img_url").startswith(emulator.base_url)
    for task_id in ("upload_clip", "upload_voice"):
        url = media.xcom(task_id, "url")
        assert url.startswith(emulator.base_url)
        assert (
            requests.get(url, timeout=10).content
            == {"upload_clip": dags.CLIP_MP4, "upload_voice": dags.VOICE_WAV}[task_id]
        )
    image_uploads = emulator.state.request_log(path=Endpoint.UPLOAD_IMAGE.value)
    assert [e["form_fields"] for e in image_uploads] == [["image"], ["image"]]


def test_waiting_source_pushes_the_finished_video(emulator: EmulatorServer) -> None:
    result = run(emulator, "extend")

    summary = result.xcom("source", "video")
    assert summary["video_id"] == result.xcom("source")
    assert summary["status"] == 1 and summary["url"]


# --- swap: the mask is chosen by name ------------------------------------------------------------------------


def replayed_answer(emulator: EmulatorServer, entry: dict[str, Any]) -> dict[str, Any]:
    """The answer to a logged POST, read back by sending it again with its trace id (the emulator replays the
    first answer of a trace id without charging again: docs/api-facts.rst, 'Open questions')."""
    answer = requests.post(
        emulator.base_url + entry["path"],
        json=entry["body"],
        headers={"API-KEY": API_KEY, TRACE_HEADER: entry["trace_id"]},
        timeout=10,
    ).json()
    assert answer["ErrCode"] == 0, answer
    return answer["Resp"]


def test_swap_chooses_the_mask_by_name(emulator: EmulatorServer) -> None:
    result = run(emulator, "swap")
    assert set(result.states().values()) == {"success"}

    for task_id, mask_name in (("swap_person", "person"), ("swap_background", "background")):
        swap = result.generation_post(task_id)
        video = {k: v for k, v in swap["body"].items() if k in ("source_video_id", "video_media_id")}
        selections = [
            e
            for e in emulator.state.request_log(path=Endpoint.MASK_SELECTION.value)
            if {k: v for k, v in e["body"].items() if k != "keyframe_id"} == video
        ]
        assert len(selections) == 1, f"{task_id}: one mask selection of its video"
        (selection,) = selections
        assert selection["seq"] < swap["seq"], "the mask selection comes first"
        assert selection["body"]["keyframe_id"] == swap["body"]["keyframe_id"] == 1
        masks = {m["mask_name"]: m["mask_id"] for m in replayed_answer(emulator, selection)["mask_info"]}
        assert swap["body"]["mask_id"] == masks[mask_name]


def test_swap_with_an_unknown_mask_name_fails_listing_the_names_found(
    emulator: EmulatorServer, capfd: pytest.CaptureFixture[str]
) -> None:
    failure = FailureRecord("bad_mask_name", "swap_sky")
    result = run(emulator, "bad_mask_name")

    assert result.states() == {"swap_sky": "failed"}
    message = failure.message(capfd)
    assert "mask_name" in message and "'sky'" in message
    assert "person, object, background" in message
    counts = emulator.counters()["requests"]
    assert counts.get(f"POST {Endpoint.MASK_SELECTION.value}") == 1
    assert f"POST {Endpoint.SWAP.value}" not in counts


# --- bad input: fails before any request, without using the retries --------------------------------------------


@dataclass(frozen=True)
class FailureRecord:
    """The message a task failed with, as ``remember_failure`` in the DAG file wrote it."""

    dag_id: str
    task_id: str

    @property
    def path(self) -> Path:
        return dags.FAILURES / f"{self.dag_id}.{self.task_id}.txt"

    def __post_init__(self) -> None:
        self.path.unlink(missing_ok=True)  # nothing left from an earlier run

    def message(self, capfd: pytest.CaptureFixture[str]) -> str:
        """The exception text the failure callback saw; Airflow 3.1's dag.test() passes the callback no
        exception, so there the text comes from the task's log line "<class>: <message>" instead."""
        assert self.path.is_file(), f"{self.task_id} recorded no failure"
        message = self.path.read_text()
        if message == "None":
            out, err = capfd.readouterr()
            found = re.findall(r"PixVerseInvalidRequestError: (.*)", out + err)
            assert found, "the task log holds no PixVerseInvalidRequestError"
            message = found[-1]
        return message


@pytest.mark.parametrize(
    ("dag_id", "task_id", "expected"),
    [
        pytest.param("bad_duration", "fox", ("duration", "10 is not allowed", "5, 8"), id="rendered-duration-10-on-v5"),
        pytest.param("bad_seed", "fox", ("seed", "greater than or equal to 0"), id="rendered-seed-minus-3"),
        pytest.param("bad_img_id", "animate", ("img_id",), id="rendered-img-id-12a"),
        pytest.param("bad_tts_text", "say_too_much", ("lip_sync_tts_content", "200"), id="tts-text-over-200"),
    ],
)
def test_bad_input_fails_once_without_retry_and_sends_nothing(
    dag_id: str, task_id: str, expected: tuple[str, ...], emulator: EmulatorServer, capfd: pytest.CaptureFixture[str]
) -> None:
    assert dag_from(DAG_FILE, dag_id).default_args["retries"] == 2
    failure = FailureRecord(dag_id, task_id)

    result = run(emulator, dag_id)

    assert result.states() == {task_id: "failed"}
    (ti,) = result.dag_run.get_task_instances()
    assert ti.try_number == 1, "the task was retried"
    assert ti.max_tries == 2
    message = failure.message(capfd)
    assert message.startswith("Invalid ")
    for fragment in expected:
        assert fragment in message, message
    assert emulator.counters()["requests_total"] == 0
