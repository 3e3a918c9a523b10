"""EmulatorState as plain Python: accounts, credits, jobs, clock, replay, limits, log and faults."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pixverse_provider.api import request_models as rq
from pixverse_provider.api.validation import parse_request
from pixverse_provider.emulator import EmulatorConfig, outputs
from pixverse_provider.emulator.answers import ApiError
from pixverse_provider.emulator.faults import Fault
from pixverse_provider.emulator.markers import read_markers
from pixverse_provider.emulator.outputs import output_frame
from pixverse_provider.emulator.request_log import REQUEST_LOG_SIZE
from pixverse_provider.emulator.state import EmulatorState

from .conftest import T2V

KEY = "state-key"


@pytest.fixture
def state(tmp_path: Path) -> Iterator[EmulatorState]:
    config = EmulatorConfig(api_keys=(KEY, "second"), generation_seconds=10, concurrency=2, credits=100)
    emulator_state = EmulatorState(config)
    yield emulator_state
    emulator_state.close()


def t2v(**changes: Any) -> rq.TextToVideoRequest:
    return parse_request(rq.TextToVideoRequest, {**T2V, **changes}, strict=True)


def account(state: EmulatorState) -> int:
    return state.authenticate(KEY)


def total(state: EmulatorState, account_id: int | None = None) -> int:
    balance = state.balance(account_id)
    return balance["credit_monthly"] + balance["credit_package"]


def add_image(state: EmulatorState, account_id: int, size: tuple[int, int] = (640, 360)) -> int:
    path = state.incoming_path()
    path.write_bytes(b"png")
    return state.add_upload(account_id, "image", "png", path, 3, width=size[0], height=size[1]).upload_id


def error_code(call: Any, *args: Any) -> int:
    with pytest.raises(ApiError) as caught:
        call(*args)
    return caught.value.code


# -------------------------------------------------------------------------------------------- accounts


def test_keys_map_to_accounts_and_bad_keys_get_the_configured_code(tmp_path: Path) -> None:
    custom = EmulatorState(EmulatorConfig(api_keys=("a", "b"), auth_error_code=10001, account_id=5))
    try:
        assert (custom.authenticate("a"), custom.authenticate("b")) == (5, 6)
        assert error_code(custom.authenticate, "c") == 10001
        assert error_code(custom.authenticate, None) == 10001
        with pytest.raises(ApiError) as caught:
            custom.authenticate("c")
        assert "c" not in caught.value.message.replace("invalid", "")
    finally:
        custom.close()


def test_charge_takes_monthly_credits_first(state: EmulatorState) -> None:
    state.update_config(credit_monthly=20)
    state.submit(account(state), "t1", t2v())
    assert state.balance() == {"account_id": account(state), "credit_monthly": 0, "credit_package": 75}


def test_moderation_refunds_both_buckets_when_the_clock_passes(state: EmulatorState) -> None:
    state.update_config(credit_monthly=20)
    video_id = state.submit(account(state), "t1", t2v(prompt="x [emulate:moderation]"))["video_id"]
    assert total(state) == 75
    state.advance(9.9)
    assert state.video_record(account(state), video_id, "http://h")["status"] == 5
    assert total(state) == 75
    state.advance(0.1)
    assert state.video_record(account(state), video_id, "http://h")["status"] == 7
    assert state.balance()["credit_monthly"] == 20 and total(state) == 120
    state.advance(100)
    assert total(state) == 120  # refunded once


def test_failure_is_not_refunded(state: EmulatorState) -> None:
    video_id = state.submit(account(state), "t1", t2v(prompt="[emulate:failure] boom"))["video_id"]
    state.advance(10)
    record = state.video_record(account(state), video_id, "http://h")
    assert (record["status"], record["url"], total(state)) == (8, "", 55)


def test_insufficient_balance_creates_nothing(state: EmulatorState) -> None:
    state.update_config(credits=44)
    assert error_code(state.submit, account(state), "t1", t2v()) == 500090
    counters = state.counters()
    assert (counters["jobs_created"], counters["credits_charged"], total(state)) == (0, 0, 44)


def test_other_account_has_its_own_balance_and_cannot_see_videos(state: EmulatorState) -> None:
    video_id = state.submit(account(state), "t1", t2v())["video_id"]
    other = state.authenticate("second")
    assert total(state, other) == 100
    assert error_code(state.video_record, other, video_id, "http://h") == 500008


# -------------------------------------------------------------------------------------------- jobs and clock


def test_job_finishes_with_a_url_and_its_frame(state: EmulatorState) -> None:
    video_id = state.submit(account(state), "t1", t2v(quality="720p", aspect_ratio="9:16", seed=11))["video_id"]
    pending = state.video_record(account(state), video_id, "http://h")
    assert (pending["status"], pending["url"], pending["size"]) == (5, "", 0)
    assert state.finished("video", video_id) is None
    state.advance(10)
    done = state.video_record(account(state), video_id, "http://h")
    assert done["url"] == f"http://h/_emulator/media/video/{video_id}.mp4"
    assert (done["outputWidth"], done["outputHeight"], done["resolution_ratio"], done["seed"]) == (720, 1280, 720, 11)
    assert done["size"] > 0 and state.finished("video", video_id) is not None


def test_generation_seconds_change_applies_to_new_jobs(state: EmulatorState) -> None:
    state.update_config(generation_seconds=0)
    video_id = state.submit(account(state), "t1", t2v())["video_id"]
    assert state.video_record(account(state), video_id, "http://h")["status"] == 1


def test_concurrency_counts_generating_jobs_until_release(state: EmulatorState) -> None:
    state.update_config(credits=1000)
    acc = account(state)
    state.submit(acc, "t1", t2v(prompt="[emulate:seconds=5000]"))
    state.submit(acc, "t2", t2v())
    assert error_code(state.submit, acc, "t3", t2v()) == 500044
    state.advance(10)
    state.submit(acc, "t3", t2v())
    assert error_code(state.submit, acc, "t4", t2v()) == 500044
    state.advance(590)  # the stuck job is 600 s old: its slot is released although it still generates
    state.submit(acc, "t4", t2v())
    counters = state.counters()
    assert (counters["max_concurrent_jobs"], counters["active_jobs"]) == (2, 1)


def test_concurrency_is_per_account(state: EmulatorState) -> None:
    state.update_config(concurrency=1)
    state.submit(account(state), "t1", t2v())
    state.submit(state.authenticate("second"), "t1", t2v())
    assert state.counters()["active_jobs"] == 2


def test_trace_id_replay_returns_the_first_answer_once_charged(state: EmulatorState) -> None:
    acc = account(state)
    first = state.submit(acc, "same", t2v())
    assert state.submit(acc, "same", t2v(prompt="something else")) == first
    assert state.submit(state.authenticate("second"), "same", t2v()) != first
    counters = state.counters()
    assert (counters["generations_charged"], counters["replays"]) == (2, 1)
    assert total(state) == 55


def test_replay_comes_after_validation_of_resources(state: EmulatorState) -> None:
    acc = account(state)
    img_id = add_image(state, acc)
    body = {"img_id": img_id, "prompt": "p", "model": "v5", "duration": 5, "quality": "540p"}
    state.submit(acc, "same", parse_request(rq.ImageToVideoRequest, body, strict=True))
    unknown = parse_request(rq.ImageToVideoRequest, {**body, "img_id": 1}, strict=True)
    assert error_code(state.submit, acc, "same", unknown) == 400032


def test_advance_refuses_going_back(state: EmulatorState) -> None:
    with pytest.raises(ValueError):
        state.advance(-1)
    assert state.advance(3) == 3 and state.advance(2) == 5


def test_reset_restores_everything_but_keeps_ids_increasing(state: EmulatorState) -> None:
    acc = account(state)
    first = state.submit(acc, "t1", t2v())["video_id"]
    add_image(state, acc)
    state.update_config(concurrency=9)
    state.add_fault(Fault(path="/x", kind="drop"))
    state.record_request("GET", "/x", None)
    state.advance(50)
    state.reset()
    assert state.counters()["requests_total"] == 0 and state.counters()["faults_pending"] == 0
    assert state.config.concurrency == 2 and total(state) == 100 and state.request_log() == []
    assert list((state.media_dir / "uploads").iterdir()) == []
    assert error_code(state.video_record, acc, first, "http://h") == 500008
    assert state.submit(acc, "t1", t2v())["video_id"] > first  # the trace id is forgotten too


# -------------------------------------------------------------------------------------------- resources


def test_source_video_must_be_finished_and_owned(state: EmulatorState) -> None:
    acc = account(state)
    video_id = state.submit(acc, "t1", t2v())["video_id"]
    body = {"source_video_id": video_id}
    sound = parse_request(rq.SoundEffectRequest, body, strict=True)
    assert error_code(state.submit, acc, "t2", sound) == 400017
    state.advance(10)
    assert error_code(state.submit, state.authenticate("second"), "t2", sound) == 400017
    assert state.submit(acc, "t2", sound)["video_id"] > video_id
    assert total(state) == 100 - 45 - 10


def test_masks_belong_to_their_video_and_keyframe(state: EmulatorState) -> None:
    acc = account(state)
    state.update_config(generation_seconds=0, credits=1000)
    video_a = state.submit(acc, "a", t2v())["video_id"]
    video_b = state.submit(acc, "b", t2v())["video_id"]
    select = parse_request(rq.MaskSelectionRequest, {"source_video_id": video_a, "keyframe_id": 3}, strict=True)
    masks = state.select_masks(acc, "m", select, "http://h")
    assert masks["credits"] == 2 and len({m["mask_id"] for m in masks["mask_info"]}) == 3
    img_id = add_image(state, acc)
    swap = {"keyframe_id": 3, "mask_id": masks["mask_info"][0]["mask_id"], "img_id": img_id, "quality": "540p"}
    on_b = parse_request(rq.SwapRequest, {**swap, "source_video_id": video_b}, strict=True)
    assert error_code(state.submit, acc, "s1", on_b) == 400017
    wrong_frame = parse_request(rq.SwapRequest, {**swap, "source_video_id": video_a, "keyframe_id": 4}, strict=True)
    assert error_code(state.submit, acc, "s2", wrong_frame) == 400017
    good = parse_request(rq.SwapRequest, {**swap, "source_video_id": video_a}, strict=True)
    assert state.submit(acc, "s3", good)["credits"] == 50


def test_image_template_job(state: EmulatorState) -> None:
    acc = account(state)
    img_id = add_image(state, acc, (300, 600))
    request = parse_request(rq.ImageTemplateRequest, {"img_ids": [img_id], "template_id": 377378608924544}, strict=True)
    image_id = state.submit_image_template(acc, "t", request)["image_id"]
    assert state.image_record(acc, image_id, "http://h")["status"] == 5
    state.advance(10)
    record = state.image_record(acc, image_id, "http://h")
    assert (record["status"], record["outputWidth"], record["outputHeight"]) == (1, 720, 1440)
    assert error_code(state.video_record, acc, image_id, "http://h") == 500008


# -------------------------------------------------------------------------------------------- log, faults, config


def test_request_log_is_bounded_and_filtered(state: EmulatorState) -> None:
    for i in range(REQUEST_LOG_SIZE + 10):
        state.record_request("GET", f"/openapi/v2/video/result/{i}", f"trace-{i}")
    log = state.request_log()
    assert len(log) == REQUEST_LOG_SIZE and log[0]["trace_id"] == "trace-10"
    assert [e["path"] for e in state.request_log("/openapi/v2/video/result/2009")] == ["/openapi/v2/video/result/2009"]
    assert len(state.request_log("*/result/200?")) == 10
    assert state.counters()["requests_total"] == REQUEST_LOG_SIZE + 10


def test_faults_count_down_in_order(state: EmulatorState) -> None:
    state.add_fault(Fault(path="/a", kind="status", count=2))
    state.add_fault(Fault(path="/*", kind="drop"))
    taken = [state.take_fault("GET", "/a") for _ in range(4)]
    assert [f.kind if f else None for f in taken] == ["status", "status", "drop", None]
    state.add_fault(Fault(path="/b", kind="slow", count=3))
    assert state.pending_faults()[0]["remaining"] == 3
    assert state.clear_faults() == 3 and state.counters()["faults_pending"] == 0


def test_update_config_validates(state: EmulatorState) -> None:
    for bad in ({"concurrency": 0}, {"credits": -1}, {"credits": 1.5}, {"api_keys": ("x",)}, {"concurrency": "2"}):
        with pytest.raises(ValueError):
            state.update_config(**bad)
    assert state.config.concurrency == 2


@pytest.mark.parametrize(
    "bad",
    [
        {"api_keys": ()},
        {"api_keys": ("",)},
        {"generation_seconds": -1},
        {"concurrency": 0},
        {"credits": -5},
        {"max_image_side": 0},
        {"auth_error_code": 0},
    ],
)
def test_config_refuses_settings_that_cannot_run(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        EmulatorConfig(**bad)


def test_state_lock_is_safe_for_concurrent_submits(state: EmulatorState) -> None:
    state.update_config(credits=100_000, concurrency=1000)
    acc = account(state)
    threads = [threading.Thread(target=state.submit, args=(acc, f"t{i}", t2v())) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counters = state.counters()
    assert (counters["jobs_created"], counters["credits_charged"], total(state)) == (50, 2250, 100_000 - 2250)


def test_close_removes_only_its_own_temp_dir(tmp_path: Path) -> None:
    owned = EmulatorState(EmulatorConfig())
    owned_dir = owned.media_dir
    owned.close()
    assert not owned_dir.exists()
    kept = EmulatorState(EmulatorConfig(media_dir=str(tmp_path)))
    kept.close()
    assert (tmp_path / "uploads").is_dir()


# -------------------------------------------------------------------------------------------- pure helpers


def test_markers() -> None:
    assert read_markers({"prompt": "plain"}).outcome == 1
    assert read_markers({"a": ["x [emulate:deleted]"], "b": "[emulate:failure]"}).outcome == 8
    assert read_markers({"a": "[emulate:moderation] [emulate:failure]"}).outcome == 7
    assert read_markers({"refs": [{"name": "[emulate:seconds=2.5]"}]}).seconds == 2.5
    assert read_markers({"prompt": "[emulate:seconds=-1]"}).seconds is None


@pytest.mark.parametrize(
    ("short", "shape", "frame"),
    [
        (540, (16, 9), (960, 540)),
        (360, (16, 9), (640, 360)),
        (1080, (16, 9), (1920, 1080)),
        (720, (9, 16), (720, 1280)),
        (540, (1, 1), (540, 540)),
        (540, (21, 9), (1260, 540)),
        (540, (4000, 10), (1260, 540)),  # longer than 21:9: made 21:9
        (720, (10, 4000), (720, 1680)),
        (540, (640, 360), (960, 540)),
        (540, (0, 0), (960, 540)),
    ],
)
def test_output_frame(short: int, shape: tuple[int, int], frame: tuple[int, int]) -> None:
    assert output_frame(short, shape) == frame


@pytest.mark.parametrize(
    ("size", "frame"),
    [((640, 360), (640, 360, 360)), ((641, 479), (640, 478, 478)), ((None, None), (960, 540, 540))],
)
def test_a_mode_without_quality_keeps_the_source_frame_made_even(
    size: tuple[int | None, int | None], frame: tuple[int, int, int]
) -> None:
    source = outputs.Source(("media", 1), 5.0, *size, has_audio=False)
    request = parse_request(rq.SoundEffectRequest, {"video_media_id": 1}, strict=True)
    assert outputs.frame(request, outputs.Inputs(source=source)) == frame
