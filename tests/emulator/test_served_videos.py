"""Over real HTTP: the file a finished video serves is the one its record describes, in every kind of mode,
and ids never repeat, not even across emulator restarts."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from pixverse_provider.api.endpoints import Endpoint
from pixverse_provider.emulator import EmulatorConfig, EmulatorServer
from pixverse_provider.emulator.synthetic import make_mp4_with_duration, make_png, make_wav

from .conftest import GENERATION_SECONDS, T2V, Api
from .mp4_reader import read_mp4

E = Endpoint


def served(api: Api, video_id: int) -> tuple[int, int, float, bool]:
    """Finish the job, download its file, check the record against it; (width, height, seconds, sound)."""
    api.server.advance(GENERATION_SECONDS)
    record = api.video(video_id)
    assert record["status"] == 1
    response = requests.get(record["url"], timeout=10)
    assert response.status_code == 200 and response.headers["content-type"] == "video/mp4"
    assert record["size"] == len(response.content) == int(response.headers["content-length"])
    info = read_mp4(response.content)
    video = info.track("vide")
    assert video is not None and video.sps is not None
    assert (video.sps.width, video.sps.height) == (record["outputWidth"], record["outputHeight"])
    has_sound = info.track("soun") is not None
    assert has_sound == record["has_audio"]
    return video.sps.width, video.sps.height, info.movie_seconds, has_sound


def source_video(api: Api, **overrides: Any) -> int:
    return api.finished_video(**overrides)


def test_text_to_video_has_the_quality_ratio_and_length_asked(api: Api) -> None:
    assert served(api, api.submit(E.TEXT_TO_VIDEO.value, T2V)) == (960, 540, 5.0, False)
    body = {**T2V, "quality": "720p", "aspect_ratio": "9:16", "duration": 8, "sound_effect_switch": True}
    assert served(api, api.submit(E.TEXT_TO_VIDEO.value, body)) == (720, 1280, 8.0, True)
    body = {
        **T2V,
        "model": "v6",
        "quality": "1080p",
        "aspect_ratio": "21:9",
        "duration": 3,
        "generate_audio_switch": True,
    }
    assert served(api, api.submit(E.TEXT_TO_VIDEO.value, body)) == (2520, 1080, 3.0, True)


def test_image_to_video_takes_the_image_shape(api: Api) -> None:
    img_id = api.upload_image(make_png(640, 480))
    body = {"img_id": img_id, "prompt": "it moves", "model": "v5", "duration": 5, "quality": "360p"}
    assert served(api, api.submit(E.IMAGE_TO_VIDEO.value, body)) == (480, 360, 5.0, False)


def test_multi_transition_lasts_the_sum_of_its_segments(api: Api) -> None:
    images = [api.upload_image() for _ in range(3)]
    frames = [{"img_id": images[0], "duration": 3}, {"img_id": images[1], "duration": 4}, {"img_id": images[2]}]
    video_id = api.ok("POST", E.MULTI_TRANSITION.value, {"multi_transition": frames, "model": "v5", "quality": "540p"})
    assert served(api, video_id["video_id"])[2] == 7.0


def test_extend_is_longer_than_its_source_and_keeps_its_sound(api: Api) -> None:
    source = source_video(api)
    body = {"source_video_id": source, "prompt": "and then", "seed": 3, "model": "v5", "quality": "720p", "duration": 5}
    assert served(api, api.submit(E.EXTEND.value, body)) == (1280, 720, 10.0, False)

    with_sound = api.submit(E.SOUND_EFFECT.value, {"source_video_id": source, "sound_effect_content": "waves"})
    assert served(api, with_sound) == (960, 540, 5.0, True)
    body = {**body, "source_video_id": with_sound, "duration": 8, "quality": "540p"}
    assert served(api, api.submit(E.EXTEND.value, body)) == (960, 540, 13.0, True)


def test_lip_sync_follows_its_source_video(api: Api) -> None:
    source = source_video(api, duration=8)
    audio = api.upload_media(make_wav(3), "voice.wav")
    body = {"source_video_id": source, "audio_media_id": audio["media_id"]}
    assert served(api, api.submit(E.LIP_SYNC.value, body)) == (960, 540, 8.0, True)

    upload = api.upload_media(make_mp4_with_duration(4.25, 641, 479), "talk.mp4")  # odd sizes: H.264 needs even
    body = {"video_media_id": upload["media_id"], "lip_sync_tts_speaker_id": "auto", "lip_sync_tts_content": "hello"}
    assert served(api, api.submit(E.LIP_SYNC.value, body)) == (640, 478, 4.25, True)


def test_edits_keep_the_source_length(api: Api) -> None:
    source = source_video(api)
    restyled = api.ok("POST", E.RESTYLE.value, {"source_video_id": source, "restyle_prompt": "oil painting"})
    assert served(api, restyled["video_id"]) == (960, 540, 5.0, False)
    motion = api.upload_media(make_mp4_with_duration(6, 360, 640), "dance.mp4")
    body = {"video_media_id": motion["media_id"], "img_id": api.upload_image(), "quality": "720p"}
    assert served(api, api.ok("POST", E.MIMIC.value, body)["video_id"]) == (720, 1280, 6.0, False)


# -------------------------------------------------------------------------------------------- ids


def test_ids_are_15_digits_and_unique_across_restarts(tmp_path: Any) -> None:
    seen: list[int] = []
    for _ in range(2):  # the same configuration twice, as `make demo` starts it on every run
        with EmulatorServer(EmulatorConfig(api_keys=("k",), generation_seconds=0)) as server:
            api = Api(server, "k")
            seen += [api.upload_image(), api.submit(E.TEXT_TO_VIDEO.value, T2V)]
            seen.append(api.upload_media(make_wav(1), "a.wav")["media_id"])
            api.session.close()
    assert len(set(seen)) == len(seen)
    assert all(len(str(i)) == 15 for i in seen)
    first_video, second_video = seen[1], seen[4]
    assert second_video > first_video


@pytest.mark.parametrize("kind", ["video", "image", "media", "image_job", "mask"])
def test_ids_stay_unique_and_increasing_when_many_come_in_one_tick(kind: str) -> None:
    from pixverse_provider.emulator.ids import IdSource

    now = [1_800_000_000.0]
    source = IdSource(clock=lambda: now[0])
    burst = [source.next(kind) for _ in range(1000)]
    assert burst == sorted(set(burst))
    now[0] += 60  # a restart a minute later starts above everything the burst handed out
    assert IdSource(clock=lambda: now[0]).next(kind) > burst[-1]
    assert all(len(str(i)) == 15 and i < 2**53 for i in burst)
