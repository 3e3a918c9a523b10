"""Fixtures for the emulator tests: one real server for the session, reset per test, and a raw HTTP client."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from pixverse_provider.api.endpoints import Endpoint
from pixverse_provider.emulator import EmulatorConfig, EmulatorServer
from pixverse_provider.emulator.synthetic import make_png

API_KEY = "test-key"
OTHER_KEY = "other-key"
GENERATION_SECONDS = 1.0
CONCURRENCY = 3
CREDITS = 10_000

T2V = {"prompt": "a cat surfing", "model": "v5", "duration": 5, "quality": "540p", "aspect_ratio": "16:9"}
"""A text-to-video request priced 45 credits (docs/api-facts.rst, 'Prices': v5, 540p, 5 s)."""


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorServer]:
    config = EmulatorConfig(
        api_keys=(API_KEY, OTHER_KEY),
        generation_seconds=GENERATION_SECONDS,
        concurrency=CONCURRENCY,
        credits=CREDITS,
    )
    with EmulatorServer(config) as server:
        yield server


@pytest.fixture
def fresh(emulator: EmulatorServer) -> EmulatorServer:
    """The session's emulator, reset to its starting state."""
    emulator.reset()
    return emulator


class Api:
    """A raw ``requests`` client for the emulator: sends the headers PixVerse wants, returns the envelope."""

    def __init__(self, server: EmulatorServer, key: str | None = API_KEY) -> None:
        self.server = server
        self.key = key
        self.session = requests.Session()

    def url(self, path: str) -> str:
        return self.server.base_url + path

    def headers(self, trace_id: str | None = None) -> dict[str, str]:
        headers = {"Ai-trace-id": trace_id or str(uuid.uuid4())}
        if self.key is not None:
            headers["API-KEY"] = self.key
        return headers

    def post(self, path: str, body: Any = None, *, trace_id: str | None = None) -> dict[str, Any]:
        response = self.session.post(self.url(path), json=body, headers=self.headers(trace_id), timeout=10)
        return _envelope(response)

    def get(self, path: str, params: dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
        response = self.session.get(self.url(path), params=params, headers=self.headers(), timeout=10, **kwargs)
        return _envelope(response)

    def ok(self, method: str, path: str, body: Any = None, **kwargs: Any) -> dict[str, Any]:
        """``Resp`` of a call that must succeed."""
        answer = self.post(path, body, **kwargs) if method == "POST" else self.get(path, body, **kwargs)
        assert answer["ErrCode"] == 0, answer
        assert answer["ErrMsg"] == "success"
        resp: dict[str, Any] = answer["Resp"]
        return resp

    def upload(self, path: str, files: Any = None, data: Any = None) -> dict[str, Any]:
        response = self.session.post(self.url(path), files=files, data=data, headers=self.headers(), timeout=30)
        return _envelope(response)

    def upload_image(self, content: bytes | None = None, filename: str = "frame.png") -> int:
        answer = self.upload(Endpoint.UPLOAD_IMAGE.value, files={"image": (filename, content or make_png(640, 360))})
        assert answer["ErrCode"] == 0, answer
        return int(answer["Resp"]["img_id"])

    def upload_media(self, content: bytes, filename: str) -> dict[str, Any]:
        answer = self.upload(Endpoint.UPLOAD_MEDIA.value, files={"file": (filename, content)})
        assert answer["ErrCode"] == 0, answer
        return dict(answer["Resp"])

    def submit(self, path: str, body: dict[str, Any], **kwargs: Any) -> int:
        return int(self.ok("POST", path, body, **kwargs)["video_id"])

    def video(self, video_id: int) -> dict[str, Any]:
        return self.ok("GET", Endpoint.VIDEO_RESULT.format(video_id=video_id))

    def balance(self) -> int:
        resp = self.ok("GET", Endpoint.BALANCE.value)
        return int(resp["credit_monthly"]) + int(resp["credit_package"])

    def finished_video(self, **overrides: Any) -> int:
        """A text-to-video generation, run to status 1 by moving the clock."""
        video_id = self.submit(Endpoint.TEXT_TO_VIDEO.value, {**T2V, **overrides})
        self.server.advance(GENERATION_SECONDS)
        assert self.video(video_id)["status"] == 1
        return video_id


def _envelope(response: requests.Response) -> dict[str, Any]:
    assert response.status_code == 200, (response.status_code, response.text[:200])
    body: dict[str, Any] = response.json()
    assert set(body) == {"ErrCode", "ErrMsg", "Resp"}, body
    return body


@pytest.fixture
def api(fresh: EmulatorServer) -> Iterator[Api]:
    client = Api(fresh)
    yield client
    client.session.close()
