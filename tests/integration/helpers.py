"""Small helpers for tests that drive the emulator: uploads, finished videos, request counts."""

from __future__ import annotations

from pixverse_provider.api import Endpoint
from pixverse_provider.emulator import EmulatorServer
from pixverse_provider.emulator.synthetic import make_png, make_wav
from pixverse_provider.hooks import PixVerseHook

T2V = {
    "prompt": "a red fox running through snow",
    "model": "v5",
    "duration": 5,
    "quality": "540p",
    "aspect_ratio": "16:9",
}


def sent(emulator: EmulatorServer, method: str, endpoint: Endpoint | str) -> int:
    """How many requests the emulator received for ``method path``, faulted ones included."""
    path = endpoint.value if isinstance(endpoint, Endpoint) else endpoint
    return int(emulator.counters()["requests"].get(f"{method} {path}", 0))


def upload_png(hook: PixVerseHook, tmp_path: object, name: str = "frame.png", size: tuple[int, int] = (64, 36)) -> int:
    path = tmp_path / name  # type: ignore[operator]
    path.write_bytes(make_png(*size))
    return hook.upload_image(path).img_id


def upload_wav(hook: PixVerseHook, tmp_path: object, seconds: float = 3.0) -> int:
    path = tmp_path / "voice.wav"  # type: ignore[operator]
    path.write_bytes(make_wav(seconds))
    return hook.upload_media(path).media_id


def finished_video(hook: PixVerseHook, emulator: EmulatorServer, payload: dict[str, object] | None = None) -> int:
    """A text-to-video that has finished (status 1), by moving the emulator's clock past its generation."""
    video_id = hook.submit("text_to_video", payload or T2V)
    emulator.advance(3600)
    return video_id
