"""Every PixVerse endpoint of the emulator over real HTTP with raw ``requests``: happy paths, credits,
job lifecycle, replay, limits, authentication, uploads and the admin API."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import requests

from pixverse_provider.api.endpoints import Endpoint
from pixverse_provider.emulator import intake
from pixverse_provider.emulator.probe import iter_boxes, probe_image
from pixverse_provider.emulator.synthetic import (
    make_jpeg,
    make_mp4_with_duration,
    make_png,
    make_wav,
    make_webp,
    sample_mp4,
)

from .conftest import API_KEY, CONCURRENCY, CREDITS, GENERATION_SECONDS, OTHER_KEY, T2V, Api

E = Endpoint


def spent(api: Api) -> int:
    return CREDITS - api.balance()


# -------------------------------------------------------------------------------------------- account


def test_balance_answers_the_starting_credits(api: Api) -> None:
    resp = api.ok("GET", E.BALANCE.value)
    assert resp == {"account_id": 100_000_000_000_001, "credit_monthly": 0, "credit_package": CREDITS}


def test_each_key_is_its_own_account(api: Api, fresh: Any) -> None:
    other = Api(fresh, OTHER_KEY)
    img_id = api.upload_image()
    video_id = api.finished_video()
    assert other.ok("GET", E.BALANCE.value)["account_id"] == 100_000_000_000_002
    body = {"img_id": img_id, "prompt": "x", "model": "v5", "duration": 5, "quality": "540p"}
    assert other.post(E.IMAGE_TO_VIDEO.value, body)["ErrCode"] == 400032
    assert other.get(E.VIDEO_RESULT.format(video_id=video_id))["ErrCode"] == 500008
    assert other.balance() == CREDITS


# -------------------------------------------------------------------------------------------- i2v, full cycle


def test_image_to_video_from_upload_to_download(api: Api) -> None:
    png = make_png(640, 360)
    answer = api.upload(E.UPLOAD_IMAGE.value, files={"image": ("frame.png", png, "image/png")})
    assert answer["ErrCode"] == 0
    img = answer["Resp"]
    assert len(str(img["img_id"])) == 15
    assert requests.get(img["img_url"], timeout=5).content == png

    video_id = api.submit(
        E.IMAGE_TO_VIDEO.value,
        {"img_id": img["img_id"], "prompt": "it moves", "model": "v5", "duration": 5, "quality": "540p", "seed": 7},
    )
    first = api.video(video_id)
    assert (first["id"], first["status"], first["url"], first["size"]) == (video_id, 5, "", 0)
    assert requests.get(f"{api.server.base_url}/_emulator/media/video/{video_id}.mp4", timeout=5).status_code == 404

    api.server.advance(GENERATION_SECONDS)
    done = api.video(video_id)
    assert done["status"] == 1
    assert (done["outputWidth"], done["outputHeight"], done["resolution_ratio"]) == (960, 540, 540)
    assert done["seed"] == 7 and done["prompt"] == "it moves"
    assert done["url"] == f"{api.server.base_url}/_emulator/media/video/{video_id}.mp4"
    download = requests.get(done["url"], timeout=5)
    assert download.status_code == 200
    assert download.headers["content-type"] == "video/mp4"
    assert int(download.headers["content-length"]) == len(sample_mp4()) == done["size"]
    assert download.content == sample_mp4()
    boxes = [box for box, _, _ in iter_boxes(download.content)]
    assert "ftyp" in boxes and "moov" in boxes


def test_media_urls_follow_the_host_the_client_used(api: Api) -> None:
    """The result URL is built from the request's own host, so ``localhost`` clients get ``localhost`` URLs."""
    video_id = api.finished_video()
    url = f"http://localhost:{api.server.port}{E.VIDEO_RESULT.format(video_id=video_id)}"
    resp = requests.get(url, headers=api.headers(), timeout=5).json()["Resp"]
    assert resp["url"].startswith(f"http://localhost:{api.server.port}/_emulator/media/video/")


# -------------------------------------------------------------------------------------------- credits and lifecycle


def test_text_to_video_charges_the_published_price(api: Api) -> None:
    video_id = api.submit(E.TEXT_TO_VIDEO.value, T2V)
    assert spent(api) == 45
    counters = api.server.counters()
    assert (counters["generations_charged"], counters["credits_charged"], counters["jobs_created"]) == (1, 45, 1)
    api.server.advance(GENERATION_SECONDS)
    resp = api.video(video_id)
    assert (resp["status"], resp["outputWidth"], resp["outputHeight"]) == (1, 960, 540)


def test_moderation_ends_in_status_7_and_refunds(api: Api) -> None:
    video_id = api.submit(E.TEXT_TO_VIDEO.value, {**T2V, "prompt": "a cat [emulate:moderation]"})
    assert spent(api) == 45
    assert api.video(video_id)["status"] == 5
    api.server.advance(GENERATION_SECONDS)
    resp = api.video(video_id)
    assert (resp["status"], resp["url"]) == (7, "")
    assert spent(api) == 0
    assert api.server.counters()["credits_refunded"] == 45


@pytest.mark.parametrize(("marker", "status"), [("[emulate:failure]", 8), ("[emulate:deleted]", 6)])
def test_failure_and_deletion_markers_keep_the_charge(api: Api, marker: str, status: int) -> None:
    video_id = api.submit(E.TEXT_TO_VIDEO.value, {**T2V, "negative_prompt": f"blur {marker}"})
    api.server.advance(GENERATION_SECONDS)
    resp = api.video(video_id)
    assert (resp["status"], resp["url"]) == (status, "")
    assert spent(api) == 45
    assert requests.get(f"{api.server.base_url}/_emulator/media/video/{video_id}.mp4", timeout=5).status_code == 404


def test_seconds_marker_sets_the_generation_time(api: Api) -> None:
    video_id = api.submit(E.TEXT_TO_VIDEO.value, {**T2V, "prompt": "slow [emulate:seconds=30]"})
    api.server.advance(29)
    assert api.video(video_id)["status"] == 5
    api.server.advance(1)
    assert api.video(video_id)["status"] == 1


def test_repeated_trace_id_answers_the_first_video_and_charges_once(api: Api) -> None:
    trace = str(uuid.uuid4())
    first = api.submit(E.TEXT_TO_VIDEO.value, T2V, trace_id=trace)
    again = api.submit(E.TEXT_TO_VIDEO.value, T2V, trace_id=trace)
    other = api.submit(E.TEXT_TO_VIDEO.value, T2V)
    assert first == again != other
    counters = api.server.counters()
    assert (counters["generations_charged"], counters["replays"], counters["jobs_created"]) == (2, 1, 2)
    assert spent(api) == 90


def test_trace_id_of_a_refused_request_can_be_used_again(api: Api) -> None:
    trace = str(uuid.uuid4())
    assert api.post(E.TEXT_TO_VIDEO.value, {**T2V, "model": "v9"}, trace_id=trace)["ErrCode"] == 400017
    assert api.post(E.TEXT_TO_VIDEO.value, T2V, trace_id=trace)["ErrCode"] == 0


def test_too_low_balance_answers_500090_and_creates_nothing(api: Api) -> None:
    patched = requests.patch(f"{api.server.base_url}/_emulator/config", json={"credits": 44}, timeout=5)
    assert patched.status_code == 200 and patched.json()["credits"] == 44
    answer = api.post(E.TEXT_TO_VIDEO.value, T2V)
    assert answer["ErrCode"] == 500090 and answer["Resp"] is None
    assert api.balance() == 44
    assert api.server.counters()["jobs_created"] == 0


def test_monthly_credits_are_spent_first(api: Api) -> None:
    api.server.state.update_config(credit_monthly=20)
    api.submit(E.TEXT_TO_VIDEO.value, T2V)
    resp = api.ok("GET", E.BALANCE.value)
    assert (resp["credit_monthly"], resp["credit_package"]) == (0, CREDITS - 25)


def test_concurrency_limit_answers_500044_until_a_job_finishes(api: Api) -> None:
    for _ in range(CONCURRENCY):
        api.submit(E.TEXT_TO_VIDEO.value, T2V)
    refused = api.post(E.TEXT_TO_VIDEO.value, T2V)
    assert refused["ErrCode"] == 500044
    assert spent(api) == 45 * CONCURRENCY
    api.server.advance(GENERATION_SECONDS)
    api.submit(E.TEXT_TO_VIDEO.value, T2V)
    counters = api.server.counters()
    assert counters["max_concurrent_jobs"] == CONCURRENCY
    assert counters["active_jobs"] == 1


def test_stuck_job_frees_its_slot_after_ten_minutes(api: Api) -> None:
    for _ in range(CONCURRENCY):
        api.submit(E.TEXT_TO_VIDEO.value, {**T2V, "prompt": "stuck [emulate:seconds=100000]"})
    assert api.post(E.TEXT_TO_VIDEO.value, T2V)["ErrCode"] == 500044
    api.server.advance(600)
    assert api.post(E.TEXT_TO_VIDEO.value, T2V)["ErrCode"] == 0


# -------------------------------------------------------------------------------------------- authentication


@pytest.mark.parametrize(
    ("key", "trace", "code"), [(None, True, 400012), ("wrong", True, 400012), (API_KEY, False, 400011)]
)
def test_key_and_trace_id_are_required(fresh: Any, key: str | None, trace: bool, code: int) -> None:
    headers = {"API-KEY": key} if key else {}
    if trace:
        headers["Ai-trace-id"] = str(uuid.uuid4())
    answer = requests.post(fresh.base_url + E.TEXT_TO_VIDEO.value, json=T2V, headers=headers, timeout=5).json()
    assert answer["ErrCode"] == code
    assert fresh.counters()["jobs_created"] == 0
    if code == 400012:
        assert answer["ErrMsg"] == "invalid API-KEY"


def test_api_key_is_never_logged_or_returned(api: Api) -> None:
    api.submit(E.TEXT_TO_VIDEO.value, T2V)
    Api(api.server, "a-wrong-key-123").post(E.TEXT_TO_VIDEO.value, T2V)
    base = api.server.base_url
    texts = [requests.get(f"{base}/_emulator/{p}", timeout=5).text for p in ("requests", "counters", "config")]
    for text in texts:
        assert API_KEY not in text and OTHER_KEY not in text and "a-wrong-key-123" not in text


def test_unknown_ids_answer_500008(api: Api) -> None:
    assert api.get(E.VIDEO_RESULT.format(video_id=399_999_999_999_999))["ErrCode"] == 500008
    assert api.get(E.IMAGE_RESULT.format(image_id=399_999_999_999_999))["ErrCode"] == 500008
    assert api.get("/openapi/v2/video/result/not-a-number")["ErrCode"] == 400013


# -------------------------------------------------------------------------------------------- other generation modes


def test_transition(api: Api) -> None:
    first, last = api.upload_image(make_png(360, 640)), api.upload_image(make_jpeg(360, 640))
    body = {"first_frame_img": first, "last_frame_img": last, "prompt": "morph", "model": "v4.5"}
    video_id = api.submit(E.TRANSITION.value, {**body, "duration": 8, "quality": "720p"})
    assert spent(api) == 120
    api.server.advance(GENERATION_SECONDS)
    resp = api.video(video_id)
    assert (resp["status"], resp["outputWidth"], resp["outputHeight"]) == (1, 720, 1280)


def test_multi_transition_echoes_its_credits(api: Api) -> None:
    images = [api.upload_image() for _ in range(3)]
    frames = [{"img_id": images[0], "duration": 3}, {"img_id": images[1], "duration": 4}, {"img_id": images[2]}]
    resp = api.ok("POST", E.MULTI_TRANSITION.value, {"multi_transition": frames, "model": "v5", "quality": "540p"})
    assert resp["credits"] == 70 == spent(api)  # emulator assumption: 10 credits per second
    api.server.advance(GENERATION_SECONDS)
    assert api.video(resp["video_id"])["status"] == 1


def test_fusion(api: Api) -> None:
    cat, room = api.upload_image(), api.upload_image(make_webp(800, 600))
    refs = [
        {"type": "subject", "img_id": cat, "ref_name": "cat"},
        {"type": "background", "img_id": room, "ref_name": "room"},
    ]
    body = {"image_references": refs, "prompt": "@cat sleeps in @room today", "model": "v5", "duration": 5}
    video_id = api.submit(E.FUSION.value, {**body, "quality": "540p", "aspect_ratio": "9:16"})
    api.server.advance(GENERATION_SECONDS)
    resp = api.video(video_id)
    assert (resp["outputWidth"], resp["outputHeight"]) == (540, 960)
    assert spent(api) == 45


def test_extend_a_generated_video(api: Api) -> None:
    source = api.finished_video()
    body = {"source_video_id": source, "prompt": "and then", "seed": 3, "quality": "720p", "duration": 5}
    video_id = api.submit(E.EXTEND.value, {**body, "model": "v5"})
    assert spent(api) == 45 + 60
    api.server.advance(GENERATION_SECONDS)
    assert (api.video(video_id)["outputWidth"], api.video(video_id)["outputHeight"]) == (1280, 720)


def test_extend_an_uploaded_video(api: Api) -> None:
    media = api.upload_media(make_mp4_with_duration(4, 640, 480), "clip.mp4")
    assert media["media_type"] == "video" and len(str(media["media_id"])) == 15
    assert requests.get(media["url"], timeout=5).content == make_mp4_with_duration(4, 640, 480)
    body = {"video_media_id": media["media_id"], "prompt": "more", "seed": 1, "quality": "540p", "duration": 5}
    video_id = api.submit(E.EXTEND.value, {**body, "model": "v5"})
    api.server.advance(GENERATION_SECONDS)
    resp = api.video(video_id)
    assert (resp["status"], resp["outputWidth"], resp["outputHeight"]) == (1, 720, 540)


def test_lip_sync_with_uploaded_audio_costs_4_credits_per_second(api: Api) -> None:
    source = api.finished_video()
    audio = api.upload_media(make_wav(3), "voice.wav")
    assert audio["media_type"] == "audio"
    video_id = api.submit(E.LIP_SYNC.value, {"source_video_id": source, "audio_media_id": audio["media_id"]})
    assert spent(api) == 45 + 12
    api.server.advance(GENERATION_SECONDS)
    resp = api.video(video_id)
    assert resp["status"] == 1 and resp["has_audio"] is True


def test_lip_sync_with_tts(api: Api) -> None:
    media = api.upload_media(make_mp4_with_duration(5), "talk.mp4")
    body = {"video_media_id": media["media_id"], "lip_sync_tts_speaker_id": "auto", "lip_sync_tts_content": "x" * 16}
    api.submit(E.LIP_SYNC.value, body)
    assert spent(api) == 8  # 4 credits per started 15 bytes


def test_sound_effect(api: Api) -> None:
    source = api.finished_video()
    body = {"source_video_id": source, "sound_effect_content": "waves", "original_sound_switch": True}
    api.submit(E.SOUND_EFFECT.value, body)
    assert spent(api) == 45 + 10


@pytest.mark.parametrize("style", [{"restyle_id": 360000000000001}, {"restyle_prompt": "oil painting"}])
def test_restyle_by_id_or_prompt(api: Api, style: dict[str, Any]) -> None:
    source = api.finished_video()
    resp = api.ok("POST", E.RESTYLE.value, {"source_video_id": source, **style})
    assert resp["credits"] == 50 == spent(api) - 45
    api.server.advance(GENERATION_SECONDS)
    assert api.video(resp["video_id"])["status"] == 1


def test_mask_selection_then_swap(api: Api) -> None:
    source = api.finished_video()
    masks = api.ok("POST", E.MASK_SELECTION.value, {"source_video_id": source, "keyframe_id": 12})
    assert masks["keyframe_id"] == 12 and masks["credits"] == 2
    assert [m["mask_name"] for m in masks["mask_info"]] == ["person", "object", "background"]
    assert all(isinstance(m["mask_id"], str) for m in masks["mask_info"])
    assert requests.get(masks["mask_info"][0]["mask_url"], timeout=5).headers["content-type"] == "image/png"
    assert spent(api) == 45 + 2
    assert api.server.counters()["jobs_created"] == 1
    body = {"source_video_id": source, "keyframe_id": 12, "mask_id": masks["mask_info"][0]["mask_id"]}
    resp = api.ok("POST", E.SWAP.value, {**body, "img_id": api.upload_image(), "quality": "540p"})
    assert resp["credits"] == 50
    api.server.advance(GENERATION_SECONDS)
    assert api.video(resp["video_id"])["status"] == 1


def test_mimic(api: Api) -> None:
    motion = api.upload_media(make_mp4_with_duration(6, 360, 640), "dance.mp4")
    body = {"video_media_id": motion["media_id"], "img_id": api.upload_image(), "quality": "720p"}
    resp = api.ok("POST", E.MIMIC.value, body)
    assert resp["credit"] == 72 == spent(api)  # 12 credits per second at 720p


def test_modify_with_masks_and_images(api: Api) -> None:
    source = api.finished_video()
    masks = api.ok("POST", E.MASK_SELECTION.value, {"source_video_id": source})
    body = {
        "source_video_id": source,
        "prompt": "paint @selection0 like @img0",
        "quality": "540p",
        "img_ids": [api.upload_image()],
        "mask_ids": [masks["mask_info"][0]["mask_id"]],
        "keyframe_ids": 1,
    }
    video_id = api.submit(E.MODIFY.value, body)
    api.server.advance(GENERATION_SECONDS)
    assert api.video(video_id)["status"] == 1


def test_template_videos_single_and_multi_image(api: Api) -> None:
    base = {"prompt": "", "model": "v5", "duration": 5, "quality": "540p"}
    single = api.submit(E.IMAGE_TO_VIDEO.value, {**base, "template_id": 324641385496960, "img_id": api.upload_image()})
    pair = [api.upload_image(), api.upload_image()]
    multi = api.submit(E.IMAGE_TO_VIDEO.value, {**base, "template_id": 315446315336768, "img_ids": pair})
    text = api.submit(E.TEXT_TO_VIDEO.value, {**T2V, "template_id": 402331965264704, "sound_effect_switch": True})
    assert spent(api) == 3 * 45  # the template's music is not billed extra
    api.server.advance(GENERATION_SECONDS)
    assert [api.video(v)["status"] for v in (single, multi, text)] == [1, 1, 1]


def test_image_template_and_image_result(api: Api) -> None:
    resp = api.ok("POST", E.IMAGE_TEMPLATE.value, {"img_ids": [api.upload_image()], "template_id": 377378608924544})
    image_id = resp["image_id"]
    assert resp["credits"] == 10 == spent(api)
    pending = api.ok("GET", E.IMAGE_RESULT.format(image_id=image_id))
    assert (pending["status"], pending["url"]) == (5, "")
    api.server.advance(GENERATION_SECONDS)
    done = api.ok("GET", E.IMAGE_RESULT.format(image_id=image_id))
    assert done["status"] == 1 and done["template_id"] == 377378608924544
    png = requests.get(done["url"], timeout=5)
    assert png.headers["content-type"] == "image/png"
    info = probe_image(png.content)
    assert info is not None and (info.width, info.height) == (done["outputWidth"], done["outputHeight"])
    assert api.get(E.VIDEO_RESULT.format(video_id=image_id))["ErrCode"] == 500008


# -------------------------------------------------------------------------------------------- lists


def test_tts_speaker_list(api: Api) -> None:
    everything = api.ok("GET", E.TTS_SPEAKERS.value, {"page_num": "1", "page_size": "30"})
    assert everything["total"] == 15 and len(everything["data"]) == 15
    assert everything["data"][0] == {"speaker_id": "7", "name": "Harper"}
    last_page = api.ok("GET", E.TTS_SPEAKERS.value, {"page_num": 3, "page_size": 5})
    assert [s["name"] for s in last_page["data"]] == ["James", "Oliver", "Adrian", "Ethan", "Auto"]
    assert api.ok("GET", E.TTS_SPEAKERS.value)["total"] == 15


def test_template_list(api: Api) -> None:
    every = api.ok("GET", E.TEMPLATES.value)
    assert every["total"] == 7 and len(every["effect_items"]) == 7
    item = every["effect_items"][0]
    assert set(item) >= {"template_id", "display_name", "display_prompt", "preview_url"}
    assert requests.get(item["preview_url"], timeout=5).content == sample_mp4()
    images = api.ok("GET", E.TEMPLATES.value, {"type": "2", "page": "1", "pageSize": "10"})
    assert [t["template_id"] for t in images["effect_items"]] == [377378608924544]
    assert api.ok("GET", E.TEMPLATES.value, {"page": 2, "pageSize": 10})["effect_items"] == []


def test_restyle_list_takes_query_or_json_body(api: Api) -> None:
    by_query = api.ok("GET", E.RESTYLE_LIST.value, {"page_num": 1, "page_size": 4})
    assert by_query["total"] == 6 and len(by_query["data"]) == 4
    assert set(by_query["data"][0]) == {"restyle_id", "name"}
    by_body = api.ok("GET", E.RESTYLE_LIST.value, None, data=json.dumps({"page_num": "2", "page_size": "4"}))
    assert len(by_body["data"]) == 2


# -------------------------------------------------------------------------------------------- uploads


@pytest.mark.parametrize(
    ("content", "size"), [(make_png(64, 36), (64, 36)), (make_jpeg(100, 50), (100, 50)), (make_webp(30, 40), (30, 40))]
)
def test_image_formats_are_judged_by_content(api: Api, content: bytes, size: tuple[int, int]) -> None:
    img_id = api.upload_image(content, filename="no-extension")
    upload = api.server.state.upload(img_id)
    assert upload is not None and (upload.width, upload.height) == size


def test_image_url_from_loopback_is_fetched(api: Api) -> None:
    png = make_png(320, 200)
    first = api.upload(E.UPLOAD_IMAGE.value, files={"image": ("a.png", png)})["Resp"]
    answer = api.upload(E.UPLOAD_IMAGE.value, files={"image_url": (None, first["img_url"])})
    assert answer["ErrCode"] == 0, answer
    assert requests.get(answer["Resp"]["img_url"], timeout=5).content == png
    as_form = api.upload(E.UPLOAD_IMAGE.value, data={"image_url": first["img_url"]})
    assert as_form["ErrCode"] == 0


def test_image_url_elsewhere_is_refused_without_connecting(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the emulator tried to connect")

    monkeypatch.setattr(intake.httpx, "AsyncClient", no_network)
    for url in ("http://example.com/x.png", "https://10.0.0.1/x.png", "file:///etc/passwd", "http://127.evil.com/x"):
        answer = api.upload(E.UPLOAD_IMAGE.value, data={"image_url": url})
        assert (answer["ErrCode"], answer["ErrMsg"]) == (500042, "invalid image path"), url
        media = api.upload(E.UPLOAD_MEDIA.value, data={"file_url": url})
        assert media["ErrCode"] == 400017, url


def test_media_url_from_loopback_and_unknown_form_fields(api: Api) -> None:
    wav = make_wav(2)
    first = api.upload_media(wav, "a.wav")
    answer = api.upload(E.UPLOAD_MEDIA.value, data={"file_url": first["url"], "media_type": "video"})
    assert answer["ErrCode"] == 0 and answer["Resp"]["media_type"] == "audio"
    direct = api.upload(E.UPLOAD_MEDIA.value, files={"file": ("b.mp4", make_mp4_with_duration(2))}, data={"x": "1"})
    assert direct["ErrCode"] == 0 and direct["Resp"]["media_type"] == "video"
    assert api.server.counters()["uploads"] == 3


def test_uploads_are_free(api: Api) -> None:
    api.upload_image()
    api.upload_media(make_wav(1), "a.wav")
    assert spent(api) == 0 and api.server.counters()["credits_charged"] == 0


# -------------------------------------------------------------------------------------------- admin API


def test_admin_counters_log_reset_and_clock(api: Api) -> None:
    base = api.server.base_url
    assert requests.get(f"{base}/_emulator/health", timeout=5).json() == {"status": "ok"}
    video_id = api.submit(E.TEXT_TO_VIDEO.value, T2V, trace_id="trace-one")
    api.video(video_id)
    counters = requests.get(f"{base}/_emulator/counters", timeout=5).json()
    assert counters["requests"] == {
        f"POST {E.TEXT_TO_VIDEO.value}": 1,
        f"GET {E.VIDEO_RESULT.format(video_id=video_id)}": 1,
    }
    assert counters["requests_total"] == 2 and counters["active_jobs"] == 1
    log = requests.get(f"{base}/_emulator/requests", params={"path": E.TEXT_TO_VIDEO.value}, timeout=5).json()
    (entry,) = log["requests"]
    assert (entry["method"], entry["trace_id"], entry["body"], entry["err_code"]) == ("POST", "trace-one", T2V, 0)
    globbed = requests.get(f"{base}/_emulator/requests", params={"path": "/openapi/v2/video/result/*"}, timeout=5)
    assert len(globbed.json()["requests"]) == 1

    advanced = requests.post(f"{base}/_emulator/clock/advance", json={"seconds": GENERATION_SECONDS}, timeout=5)
    assert advanced.status_code == 200 and advanced.json()["offset"] == GENERATION_SECONDS
    assert api.video(video_id)["status"] == 1
    assert requests.post(f"{base}/_emulator/clock/advance", json={"seconds": -1}, timeout=5).status_code == 400

    assert requests.post(f"{base}/_emulator/reset", timeout=5).json() == {"status": "reset"}
    assert api.server.counters()["requests_total"] == 0
    assert api.get(E.VIDEO_RESULT.format(video_id=video_id))["ErrCode"] == 500008
    assert api.balance() == CREDITS


def test_admin_config_patch_changes_generation_time_until_reset(api: Api) -> None:
    base = api.server.base_url
    patched = requests.patch(f"{base}/_emulator/config", json={"generation_seconds": 50, "concurrency": 1}, timeout=5)
    assert patched.status_code == 200
    assert "api_keys" not in patched.json() or patched.json()["api_keys"] == 2
    video_id = api.submit(E.TEXT_TO_VIDEO.value, T2V)
    assert api.post(E.TEXT_TO_VIDEO.value, T2V)["ErrCode"] == 500044
    api.server.advance(49)
    assert api.video(video_id)["status"] == 5
    bad = requests.patch(f"{base}/_emulator/config", json={"concurrency": 0}, timeout=5)
    assert bad.status_code == 400 and "concurrency" in bad.json()["error"]
    assert requests.patch(f"{base}/_emulator/config", json={"api_keys": ["x"]}, timeout=5).status_code == 400
    api.server.reset()
    assert api.server.state.config.generation_seconds == GENERATION_SECONDS


def test_unlisted_paths_are_not_found(fresh: Any) -> None:
    assert requests.get(fresh.base_url + "/openapi/v2/nope", timeout=5).status_code == 404
    assert requests.get(fresh.base_url + "/_emulator/media/video/abc.mp4", timeout=5).status_code == 404
    assert requests.get(fresh.base_url + "/_emulator/media/uploads/310000000000999.png", timeout=5).status_code == 404


def test_unknown_json_fields_are_ignored(api: Api) -> None:
    """PixVerse's own MCP client sends undocumented fields (``play_bgm``) and the real server accepts them."""
    video_id = api.submit(E.TEXT_TO_VIDEO.value, {**T2V, "play_bgm": True, "future": {"x": [1]}})
    (entry,) = api.server.state.request_log(E.TEXT_TO_VIDEO.value)
    assert entry["body"]["play_bgm"] is True
    assert api.video(video_id)["status"] == 5


def test_upload_log_names_the_form_fields_only(api: Api) -> None:
    files = {"image": ("a.png", make_png(4, 4))}
    api.upload(E.UPLOAD_IMAGE.value, files=files, data={"media_type": "image"})
    (entry,) = api.server.state.request_log(E.UPLOAD_IMAGE.value)
    assert sorted(entry["form_fields"]) == ["image", "media_type"]
    assert entry["body"] is None and entry["err_code"] == 0


# -------------------------------------------------------------------------------------------- the server object


def test_server_port_is_known_before_start_and_stop_cleans_up() -> None:
    from pixverse_provider.emulator import EmulatorConfig, EmulatorServer
    from pixverse_provider.emulator.server import EmulatorStartError

    server = EmulatorServer(EmulatorConfig(api_keys=("k",)))
    assert server.port > 0 and server.base_url == f"http://127.0.0.1:{server.port}"
    with pytest.raises(EmulatorStartError, match="in use"):
        EmulatorServer(port=server.port)
    media_dir = server.state.media_dir
    with server:
        assert server.running and server.api_key == "k"
        headers = {"API-KEY": "k", "Ai-trace-id": "t"}
        assert requests.get(server.base_url + E.BALANCE.value, headers=headers, timeout=5).json()["ErrCode"] == 0
    assert not server.running and not media_dir.exists()
    server.stop()  # idempotent
    with pytest.raises(requests.ConnectionError):
        requests.get(server.base_url + E.BALANCE.value, timeout=2)
