"""The API key never appears in a log line, an exception message, a repr or the emulator's request log."""

from __future__ import annotations

import asyncio
import logging
import pickle
import traceback

import pytest

from pixverse_provider.exceptions import PixVerseError
from pixverse_provider.hooks import PixVerseAsyncHook, PixVerseHook
from pixverse_provider.hooks.settings import ApiKey
from tests.integration.conftest import API_KEY, connection_json
from tests.integration.helpers import T2V, finished_video, upload_png

WRONG_KEY = "pv-wrong-key-0c4b2e81aa"


def every_hook_call(hook: PixVerseHook, emulator, tmp_path) -> list[str]:
    """Run each hook method (successes and failures); return the text of every exception raised."""
    texts: list[str] = [repr(hook), str(hook.settings), repr(hook.settings)]

    def attempt(call) -> None:
        try:
            call()
        except Exception as exc:
            texts.append("".join(traceback.format_exception(exc)))

    emulator.inject("/openapi/v2/account/balance", "status", count=1, status=503)  # a retry logs a warning
    attempt(hook.get_credit_balance)
    attempt(hook.test_connection)
    img = upload_png(hook, tmp_path)
    attempt(lambda: hook.submit("image_to_video", {"img_id": img, "prompt": "p", "model": "v5", "duration": 5,
                                                   "quality": "540p"}))  # fmt: skip
    attempt(lambda: hook.submit("text_to_video", {**T2V, "duration": 99}))
    video_id = finished_video(hook, emulator)
    attempt(lambda: hook.get_video(video_id))
    attempt(lambda: hook.get_video(1))
    attempt(lambda: hook.download_video(video_id, tmp_path))
    attempt(hook.list_tts_speakers)
    attempt(hook.list_effect_templates)
    attempt(hook.list_restyles)
    attempt(lambda: hook.select_masks(source_video_id=video_id))
    emulator.inject("/openapi/v2/video/text/generate", "status", count=1, status=500)
    attempt(lambda: hook.submit("text_to_video", T2V))
    emulator.inject("/openapi/v2/account/balance", "malformed", count=1)
    attempt(hook.get_credit_balance)
    emulator.inject("/openapi/v2/account/balance", "null_resp", count=1)
    attempt(hook.get_credit_balance)
    emulator.inject("/openapi/v2/video/text/generate", "null_resp", count=1)
    attempt(lambda: hook.submit("text_to_video", T2V))

    async def read_async() -> None:
        async with PixVerseAsyncHook(retry_wait=0.01) as async_hook:
            texts.append(repr(async_hook))
            await async_hook.get_video(video_id)
            await async_hook.get_video(1)

    attempt(lambda: asyncio.run(read_async()))
    return texts


def test_key_never_leaks_from_a_working_connection(emulator, tmp_path, caplog, capfd) -> None:
    caplog.set_level(logging.DEBUG)
    texts = every_hook_call(PixVerseHook(retry_wait=0.01), emulator, tmp_path)
    out, err = capfd.readouterr()
    log_text = "\n".join(r.getMessage() for r in caplog.records)

    assert len(texts) > 5
    assert "retrying" in log_text + out + err  # log lines were captured, so the check below is meaningful
    for text in [*texts, log_text, out, err, str(emulator.state.request_log())]:
        assert API_KEY not in text


def test_key_never_leaks_from_a_refused_key(emulator, monkeypatch, caplog, capfd) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json(emulator.base_url, api_key=WRONG_KEY))
    caplog.set_level(logging.DEBUG)
    hook = PixVerseHook(retry_wait=0.01)
    with pytest.raises(PixVerseError) as err:
        hook.get_credit_balance()
    ok, message = hook.test_connection()
    out, errtext = capfd.readouterr()
    assert not ok
    for text in ["".join(traceback.format_exception(err.value)), message, out, errtext, caplog.text, repr(hook)]:
        assert WRONG_KEY not in text


@pytest.mark.parametrize(
    "base_url",
    ["{emulator}/wrongprefix", "http://127.0.0.1:9", "http://pixverse-emulator.invalid:8787"],
    ids=["wrong-path", "refused", "dns"],
)
def test_key_never_leaks_from_a_wrong_connection(base_url, emulator, monkeypatch, caplog, capfd) -> None:
    """The connection's new words (wrong path, connection failures, warnings about extras) hold no key."""
    url = base_url.format(emulator=emulator.base_url)
    conn = connection_json(url, max_retries=0, allow_insecure_http=True, max_retry=API_KEY)
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", conn)
    caplog.set_level(logging.DEBUG)
    hook = PixVerseHook(retry_wait=0.01)
    texts = [repr(hook)]
    for call in (hook.get_credit_balance, lambda: hook.submit("text_to_video", T2V)):
        with pytest.raises(PixVerseError) as err:
            call()
        texts.append("".join(traceback.format_exception(err.value)))
    ok, message = hook.test_connection()

    async def read_async() -> None:
        async with PixVerseAsyncHook() as async_hook:
            await async_hook.get_credit_balance()

    with pytest.raises(PixVerseError) as async_err:
        asyncio.run(read_async())
    out, errtext = capfd.readouterr()
    assert not ok
    assert "unknown extra" in caplog.text  # the warning was captured, so the check below is meaningful
    texts += [message, "".join(traceback.format_exception(async_err.value)), out, errtext, caplog.text, repr(hook)]
    for text in texts:
        assert API_KEY not in text


def test_api_key_object_refuses_to_be_serialised() -> None:
    key = ApiKey("pv-secret")
    assert "pv-secret" not in repr(key) and "pv-secret" not in str(key) and "pv-secret" not in f"{key}"
    with pytest.raises(TypeError):
        pickle.dumps(key)
