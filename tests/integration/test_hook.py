"""PixVerseHook against the emulator over real HTTP: every endpoint, with the requests the emulator saw."""

from __future__ import annotations

import io

import pytest
from airflow.sdk import ObjectStoragePath

from pixverse_provider.api import Endpoint, TemplateType, VideoStatus
from pixverse_provider.emulator import EmulatorServer, catalog
from pixverse_provider.emulator.synthetic import make_mp4_with_duration, make_png, make_wav, sample_mp4
from pixverse_provider.exceptions import (
    PixVerseInvalidRequestError,
    PixVerseNotFoundError,
    PixVerseRequestRejectedError,
    PixVerseTemplateError,
    PixVerseVideoError,
    PixVerseVideoFailedError,
    PixVerseVideoModerationError,
    PixVerseVideoTimeoutError,
)
from pixverse_provider.hooks import PixVerseHook
from tests.integration.helpers import T2V, finished_video, sent, upload_png, upload_wav


@pytest.fixture
def hook() -> PixVerseHook:
    return PixVerseHook(retry_wait=0.01)


def test_credit_balance_reads_the_account(hook: PixVerseHook) -> None:
    balance = hook.get_credit_balance()
    assert balance.total == 100_000
    assert balance.account_id > 0


def test_upload_image_from_path_file_object_and_object_storage(hook: PixVerseHook, tmp_path, emulator) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(make_png(40, 30))
    from_path = hook.upload_image(path)
    from_str = hook.upload_image(str(path))
    with path.open("rb") as fileobj:
        from_file = hook.upload_image(fileobj)
    from_bytes = hook.upload_image(io.BytesIO(make_png(10, 10)))
    store = ObjectStoragePath("memory://bucket/images/b.png")
    store.write_bytes(make_png(20, 20))
    from_store = hook.upload_image(store)
    ids = {from_path.img_id, from_str.img_id, from_file.img_id, from_bytes.img_id, from_store.img_id}
    assert len(ids) == 5
    assert sent(emulator, "POST", Endpoint.UPLOAD_IMAGE) == 5


def test_upload_image_by_url_lets_pixverse_fetch_it(hook: PixVerseHook, tmp_path, emulator) -> None:
    path = tmp_path / "x.png"
    path.write_bytes(make_png(8, 8))
    uploaded = hook.upload_image(path)
    by_url = hook.upload_image(uploaded.img_url)
    assert by_url.img_id != uploaded.img_id
    entry = emulator.state.request_log(path=Endpoint.UPLOAD_IMAGE.value)[-1]
    assert entry["form_fields"] == ["image_url"]


def test_upload_media_video_and_audio(hook: PixVerseHook, tmp_path) -> None:
    video = tmp_path / "clip.mp4"
    video.write_bytes(make_mp4_with_duration(4))
    uploaded = hook.upload_media(video)
    assert uploaded.media_type.value == "video" and uploaded.media_id > 0
    audio = tmp_path / "voice.wav"
    audio.write_bytes(make_wav(2.5))
    assert hook.upload_media(audio).media_type.value == "audio"


def test_rejected_upload_is_typed_and_names_the_problem(hook: PixVerseHook, tmp_path) -> None:
    bad = tmp_path / "notes.png"
    bad.write_bytes(b"this is not an image")
    with pytest.raises(PixVerseRequestRejectedError) as err:
        hook.upload_image(bad)
    assert err.value.code in (500031, 500032)


MODES = ["text_to_video", "image_to_video", "transition", "multi_transition", "fusion", "extend", "lip_sync",
         "sound_effect", "restyle", "swap", "mimic", "modify"]  # fmt: skip


def payload_for(mode: str, hook: PixVerseHook, emulator: EmulatorServer, tmp_path) -> dict[str, object]:
    """A valid request of each mode, with the uploads and source videos it needs."""
    if mode == "text_to_video":
        return dict(T2V)
    img = upload_png(hook, tmp_path)
    base = {"prompt": "gentle motion", "model": "v5", "duration": 5, "quality": "540p"}
    if mode == "image_to_video":
        return {**base, "img_id": img}
    if mode == "transition":
        return {**base, "first_frame_img": img, "last_frame_img": upload_png(hook, tmp_path, "b.png")}
    if mode == "multi_transition":
        return {"model": "v5", "quality": "540p", "multi_transition": [{"img_id": img, "duration": 3}, {"img_id": img}]}
    if mode == "fusion":
        refs = [{"type": "subject", "img_id": img, "ref_name": "cat"}]
        return {**base, "prompt": "@cat dances", "aspect_ratio": "16:9", "image_references": refs}
    source = finished_video(hook, emulator)
    if mode == "extend":
        return {**base, "source_video_id": source, "seed": 7}
    if mode == "lip_sync":
        return {"source_video_id": source, "audio_media_id": upload_wav(hook, tmp_path)}
    if mode == "sound_effect":
        return {"source_video_id": source, "sound_effect_content": "rain"}
    if mode == "restyle":
        return {"source_video_id": source, "restyle_prompt": "watercolour"}
    if mode == "swap":
        masks = hook.select_masks(source_video_id=source, keyframe_id=1)
        return {"source_video_id": source, "keyframe_id": masks.keyframe_id, "mask_id": masks.mask_info[0].mask_id,
                "img_id": img, "quality": "540p"}  # fmt: skip
    if mode == "mimic":
        return {"source_video_id": source, "img_id": img, "quality": "540p"}
    return {"source_video_id": source, "prompt": "make it night", "quality": "540p"}


@pytest.mark.parametrize("mode", MODES)
def test_submit_every_mode_sends_one_post_and_the_video_finishes(mode, hook, emulator, tmp_path) -> None:
    payload = payload_for(mode, hook, emulator, tmp_path)
    endpoint = hook.validate(mode, payload).endpoint
    before = emulator.counters()["generations_charged"]

    submission = hook.submit_request(hook.validate(mode, payload))

    assert sent(emulator, "POST", endpoint) == 1
    assert emulator.counters()["generations_charged"] == before + 1
    assert hook.get_video(submission.video_id).status == VideoStatus.GENERATING
    emulator.advance(3600)
    record = hook.wait_for_video(submission.video_id, poll_interval=0.01, timeout=5)
    assert record.status == VideoStatus.SUCCEEDED and record.url


def test_submit_sends_the_validated_body_with_int_ids_and_no_unset_fields(hook, emulator, tmp_path) -> None:
    img = upload_png(hook, tmp_path)
    hook.submit("image_to_video", {"img_id": img, "prompt": "p", "model": "v4.5", "duration": 5, "quality": "360p"})
    body = emulator.state.request_log(path=Endpoint.IMAGE_TO_VIDEO.value)[-1]["body"]
    assert body == {"img_id": img, "prompt": "p", "model": "v4.5", "duration": 5, "quality": "360p"}


def test_invalid_request_fails_before_anything_is_sent(hook, emulator) -> None:
    with pytest.raises(PixVerseInvalidRequestError) as err:
        hook.submit("text_to_video", {**T2V, "model": "v5.5", "duration": 10, "quality": "1080p"})
    assert "duration" in str(err.value) and "1080p" in str(err.value)
    assert emulator.counters()["requests_total"] == 0


def test_server_side_refusals_map_to_typed_errors(hook, emulator, tmp_path) -> None:
    with pytest.raises(PixVerseNotFoundError) as missing:
        hook.get_video(999_999_999_999)
    assert missing.value.code == 500008
    img = upload_png(hook, tmp_path)
    not_activated = next(t for t in catalog.TEMPLATES if not t.activated)
    with pytest.raises(PixVerseTemplateError) as template:
        hook.submit("image_to_video", {"img_id": img, "prompt": "", "model": "v5", "duration": 5, "quality": "540p",
                                       "template_id": not_activated.template_id})  # fmt: skip
    assert template.value.code == 500070
    assert "Ai-trace-id" in str(template.value)


@pytest.mark.parametrize(
    ("marker", "error"),
    [("[emulate:moderation]", PixVerseVideoModerationError), ("[emulate:failure]", PixVerseVideoFailedError)],
)
def test_wait_for_video_raises_the_failure_of_the_final_status(marker, error, hook, emulator) -> None:
    video_id = hook.submit("text_to_video", {**T2V, "prompt": f"a fox {marker}"})
    emulator.advance(3600)
    with pytest.raises(error) as err:
        hook.wait_for_video(video_id, poll_interval=0.01, timeout=5, trace_id="trace-abc")
    assert str(video_id) in str(err.value) and "trace-abc" in str(err.value)


def test_wait_for_video_times_out_with_the_last_status(hook) -> None:
    video_id = hook.submit("text_to_video", T2V)
    with pytest.raises(PixVerseVideoTimeoutError) as err:
        hook.wait_for_video(video_id, poll_interval=0.05, timeout=0.2)
    assert "status 5" in str(err.value)


def test_download_to_a_folder_names_the_file_by_video_id(hook, emulator, tmp_path) -> None:
    video_id = finished_video(hook, emulator)
    landed = hook.download_video(video_id, f"{tmp_path}/videos/")
    assert landed.name == f"pixverse_{video_id}.mp4"
    assert landed.read_bytes() == sample_mp4()
    assert not [p for p in landed.parent.iterdir() if p.name.endswith(".part")]


def test_download_to_object_storage(hook, emulator) -> None:
    video_id = finished_video(hook, emulator)
    target = ObjectStoragePath("memory://results/run-1/out.mp4")
    landed = hook.download_video(video_id, target)
    assert landed.read_bytes() == sample_mp4()


def test_download_refuses_an_unfinished_video(hook, tmp_path) -> None:
    video_id = hook.submit("text_to_video", T2V)
    with pytest.raises(PixVerseVideoError, match="not ready"):
        hook.download_video(video_id, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_catalogues(hook) -> None:
    speakers = hook.list_tts_speakers(page_size=100)
    assert speakers.total == 15 and any(s.speaker_id == "Auto" for s in speakers.data)
    templates = hook.list_effect_templates(page_size=10)
    assert templates.effect_items and all(t.template_id > 0 for t in templates.effect_items)
    assert hook.list_restyles().data


def test_template_list_page_size_is_checked_before_sending(hook, emulator) -> None:
    with pytest.raises(PixVerseInvalidRequestError, match="pageSize"):
        hook.list_effect_templates(page_size=30)
    assert emulator.counters()["requests_total"] == 0


def test_image_template_and_image_result(hook, emulator, tmp_path) -> None:
    img = upload_png(hook, tmp_path)
    image_template = next(t for t in catalog.TEMPLATES if t.template_type == TemplateType.IMAGE)
    submitted = hook.submit_image_template([img], image_template.template_id)
    emulator.advance(3600)
    record = hook.get_image(submitted.image_id)
    assert record.status == 1 and record.url
