"""PixVerseVideoTrigger.run() against the emulator over real HTTP, without a triggerer or a metadata DB.

Each test submits a video with the sync hook (as an operator would), then drives the trigger's async
generator directly: one event per run, for success, the three failures, the deadline, failed polls and a
trigger that was stopped mid-wait and recreated from its serialized kwargs (as after a triggerer restart).
"""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
import re
import time
from typing import Any

import pytest

from pixverse_provider.after_submit import clock
from pixverse_provider.after_submit.waiting import record_from_event
from pixverse_provider.api import Endpoint, VideoStatus
from pixverse_provider.api.responses import VideoRecord
from pixverse_provider.exceptions import (
    PixVerseHTTPError,
    PixVerseTriggerError,
    PixVerseVideoDeletedError,
    PixVerseVideoFailedError,
    PixVerseVideoModerationError,
    PixVerseVideoTimeoutError,
)
from pixverse_provider.hooks import PixVerseAsyncHook, PixVerseHook
from pixverse_provider.triggers.pixverse import PixVerseVideoTrigger
from tests.integration.conftest import API_KEY, connection_json
from tests.integration.helpers import T2V

pytestmark = pytest.mark.integration

RESULT = "/openapi/v2/video/result/{}"
CLASSPATH = "pixverse_provider.triggers.pixverse.PixVerseVideoTrigger"
TRACE_ID = "3f2b7c1e-submit-trace"
POLL = 0.05


def submit(prompt_suffix: str = "") -> int:
    """A text-to-video; the emulator's markers in the prompt decide how and when it ends."""
    return PixVerseHook().submit("text_to_video", {**T2V, "prompt": f"{T2V['prompt']} {prompt_suffix}".strip()})


def trigger_for(
    video_id: int, *, timeout: float = 20.0, poll_interval: float = POLL, **kwargs: Any
) -> PixVerseVideoTrigger:
    return PixVerseVideoTrigger(
        video_id=video_id,
        pixverse_conn_id="pixverse_default",
        poll_interval=poll_interval,
        deadline=clock.after(timeout),
        trace_id=TRACE_ID,
        **kwargs,
    )


async def events_of(trigger: PixVerseVideoTrigger, limit: float = 15.0) -> list[dict[str, Any]]:
    async def collect() -> list[dict[str, Any]]:
        return [event.payload async for event in trigger.run()]

    return await asyncio.wait_for(collect(), limit)


def only_event(trigger: PixVerseVideoTrigger, limit: float = 15.0) -> dict[str, Any]:
    events = asyncio.run(events_of(trigger, limit))
    assert len(events) == 1, events
    return events[0]


def gets(emulator: Any, video_id: int) -> int:
    return int(emulator.counters()["requests"].get(f"GET {RESULT.format(video_id)}", 0))


def recreate(trigger: PixVerseVideoTrigger) -> PixVerseVideoTrigger:
    """What a triggerer does with a trigger row: import the class path, call it with the stored kwargs."""
    classpath, kwargs = trigger.serialize()
    module, _, name = classpath.rpartition(".")
    stored = json.loads(json.dumps(kwargs))  # the row is JSON
    return getattr(importlib.import_module(module), name)(**stored)


# --- the outcomes --------------------------------------------------------------------------------------


def test_success_event_carries_the_record(emulator) -> None:
    video_id = submit("[emulate:seconds=0.4]")
    event = only_event(trigger_for(video_id))
    assert event["status"] == "succeeded"
    assert (event["video_id"], event["video_status"], event["trace_id"]) == (video_id, 1, TRACE_ID)
    assert event["video"] == PixVerseHook().get_video(video_id).model_dump()
    assert event["video"]["url"] and event["video"]["outputWidth"] == 960
    assert event["elapsed"] >= 0
    json.dumps(event)  # a trigger event is stored as JSON
    record = record_from_event(event)
    assert isinstance(record, VideoRecord) and record.id == video_id and record.status == 1


@pytest.mark.parametrize(
    ("marker", "status", "cls", "says"),
    [
        ("[emulate:moderation]", 7, PixVerseVideoModerationError, "moderation"),
        ("[emulate:deleted]", 6, PixVerseVideoDeletedError, "deleted"),
        ("[emulate:failure]", 8, PixVerseVideoFailedError, "failed"),
    ],
)
def test_failed_video_gives_a_failed_event_with_its_reason(marker, status, cls, says, emulator) -> None:
    video_id = submit(f"{marker} [emulate:seconds=0.3]")
    event = only_event(trigger_for(video_id))
    assert event["status"] == "failed"
    assert (event["video_id"], event["video_status"]) == (video_id, status)
    assert f"status {status}" in event["reason"] and says in event["reason"]
    with pytest.raises(cls) as err:
        record_from_event(event)
    assert err.value.video_id == video_id and err.value.trace_id == TRACE_ID
    assert str(video_id) in str(err.value) and TRACE_ID in str(err.value) and f"status {status}" in str(err.value)


def test_long_generation_keeps_waiting_until_the_deadline(emulator) -> None:
    video_id = submit()  # the emulator's default: 30 s
    started = time.monotonic()
    event = only_event(trigger_for(video_id, timeout=0.6, poll_interval=0.1))
    took = time.monotonic() - started
    assert event["status"] == "timeout"
    assert (event["video_id"], event["video_status"], event["video"]) == (video_id, VideoStatus.GENERATING, None)
    assert event["elapsed"] >= 0.6 and took >= 0.55  # never before the deadline (later only on a busy machine)
    assert "deadline" in event["reason"] and "last status 5" in event["reason"]
    with pytest.raises(PixVerseVideoTimeoutError) as err:
        record_from_event(event)
    assert err.value.video_id == video_id and TRACE_ID in str(err.value)
    assert re.search(r"not finished after \d+s \(last status 5\)", str(err.value))


def test_a_long_poll_interval_does_not_overshoot_the_deadline(emulator) -> None:
    video_id = submit()
    event = only_event(trigger_for(video_id, timeout=0.5, poll_interval=30))
    assert event["status"] == "timeout"
    assert event["elapsed"] < 30  # it slept until the deadline, not for the poll interval
    assert gets(emulator, video_id) <= 2  # a read, a sleep cut short by the deadline, perhaps a last read


def test_undocumented_statuses_mean_still_running(monkeypatch) -> None:
    """PixVerse has hinted at statuses 2 and 3; anything not 1/6/7/8 is polled on, never an outcome."""
    statuses = iter([2, 3, 0, 99, 5, 1])
    reads: list[int] = []

    async def fake_get_video(self: PixVerseAsyncHook, video_id: int) -> VideoRecord:
        status = next(statuses)
        reads.append(status)
        return VideoRecord(id=video_id, status=status, url="https://media.example/v.mp4" if status == 1 else "")

    monkeypatch.setattr(PixVerseAsyncHook, "get_video", fake_get_video)
    event = only_event(trigger_for(42, poll_interval=0.01))
    assert reads == [2, 3, 0, 99, 5, 1]
    assert (event["status"], event["video_status"]) == ("succeeded", 1)


# --- restarts: the trigger row is all that survives -----------------------------------------------------


def test_serialized_mid_wait_and_recreated_keeps_the_deadline_and_finishes(emulator) -> None:
    video_id = submit("[emulate:seconds=1.5]")
    first = trigger_for(video_id, timeout=20, poll_interval=0.1)
    began = time.monotonic()  # after the trigger's own start

    async def interrupted() -> None:
        task = asyncio.ensure_future(events_of(first))
        await asyncio.sleep(0.35)
        assert not task.done()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(interrupted())
    polled_before = gets(emulator, video_id)
    time.sleep(1.0)  # the triggerer is "down" for a while; the clock goes on
    down_until = time.monotonic() - began

    second = recreate(first)
    assert second.serialize() == first.serialize()
    assert (second.deadline, second.started) == (first.deadline, first.started)
    assert clock.parse(second.deadline) == clock.parse(first.deadline)
    event = only_event(second)
    assert (event["status"], event["video_id"], event["video_status"]) == ("succeeded", video_id, 1)
    assert event["trace_id"] == TRACE_ID
    # counted from the first start, not from the restart: at least the time before the restart
    assert event["elapsed"] >= down_until - 0.05
    assert gets(emulator, video_id) > polled_before


def test_deadline_that_passed_while_the_trigger_was_down_times_out_at_once(emulator) -> None:
    video_id = submit()  # 30 s
    first = trigger_for(video_id, timeout=0.6, poll_interval=30)

    async def interrupted() -> None:
        task = asyncio.ensure_future(events_of(first))
        await asyncio.sleep(0.25)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(interrupted())
    time.sleep(max(0.0, (clock.parse(first.deadline) - clock.now()).total_seconds()) + 0.1)
    polled_before = gets(emulator, video_id)

    event = only_event(recreate(first))
    assert event["status"] == "timeout"
    assert event["elapsed"] < 30  # no poll interval slept, let alone a new timeout
    assert event["video_status"] == VideoStatus.GENERATING
    assert event["elapsed"] >= 0.6
    assert gets(emulator, video_id) - polled_before <= 1


def test_running_the_same_trigger_twice_is_harmless(emulator) -> None:
    video_id = submit("[emulate:seconds=0.5]")
    after_submit = emulator.counters()
    one = trigger_for(video_id)
    two = recreate(one)

    async def both() -> list[list[dict[str, Any]]]:
        return list(await asyncio.gather(events_of(one), events_of(two)))

    first, second = asyncio.run(both())
    assert len(first) == len(second) == 1
    drop_elapsed = [{k: v for k, v in e[0].items() if k != "elapsed"} for e in (first, second)]
    assert drop_elapsed[0] == drop_elapsed[1]
    assert drop_elapsed[0]["status"] == "succeeded"
    counters = emulator.counters()
    assert counters["generations_charged"] == after_submit["generations_charged"] == 1
    assert counters["credits_charged"] == after_submit["credits_charged"]
    assert counters["jobs_created"] == 1
    methods = {key.split(" ", 1)[0] for key in counters["requests"]}
    new_requests = {k: v - after_submit["requests"].get(k, 0) for k, v in counters["requests"].items()}
    assert methods == {"GET", "POST"} and new_requests[f"POST {Endpoint.TEXT_TO_VIDEO.value}"] == 0
    assert {k for k, v in new_requests.items() if v} == {f"GET {RESULT.format(video_id)}"}


# --- failed polls ----------------------------------------------------------------------------------------


@pytest.fixture
def no_read_retries(emulator, monkeypatch) -> None:
    """Each failed GET is one failed poll: the async hook's own retries are off."""
    monkeypatch.setenv(
        "AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json(emulator.base_url, request_timeout=2, max_retries=0)
    )


def test_poll_failures_up_to_the_tolerance_are_ridden_out(emulator, no_read_retries) -> None:
    video_id = submit("[emulate:seconds=0.4]")
    emulator.inject(RESULT.format(video_id), "status", count=3, status=503)
    event = only_event(trigger_for(video_id, max_poll_failures=3))
    assert (event["status"], event["video_status"]) == ("succeeded", 1)
    assert emulator.counters()["faults_injected"] == 3
    assert gets(emulator, video_id) >= 4


@pytest.mark.parametrize("faults", [4, 6])
def test_poll_failures_beyond_the_tolerance_give_an_error_event(faults, emulator, no_read_retries) -> None:
    video_id = submit()
    emulator.inject(RESULT.format(video_id), "status", count=faults, status=503)
    event = only_event(trigger_for(video_id, max_poll_failures=3))
    assert event["status"] == "error"
    assert (event["video_id"], event["video_status"], event["video"]) == (video_id, None, None)
    assert "4 status reads in a row failed (max_poll_failures=3)" in event["reason"] and "503" in event["reason"]
    assert gets(emulator, video_id) == 4  # gave up at once: no fifth read
    with pytest.raises(PixVerseTriggerError) as err:
        record_from_event(event)
    assert err.value.video_id == video_id and TRACE_ID in str(err.value)
    assert "4 status reads in a row failed" in str(err.value)


def test_a_good_poll_resets_the_count_of_failures(monkeypatch) -> None:
    """Failures must be in a row: 3 + 3 failures around a good read stay within a tolerance of 3."""
    script: list[int | None] = [None, None, None, 5, None, None, None, 1]
    calls = iter(script)

    async def flaky_get_video(self: PixVerseAsyncHook, video_id: int) -> VideoRecord:
        status = next(calls)
        if status is None:
            raise PixVerseHTTPError(503, "busy", trace_id="t", path=RESULT.format(video_id))
        return VideoRecord(id=video_id, status=status, url="https://media.example/v.mp4")

    monkeypatch.setattr(PixVerseAsyncHook, "get_video", flaky_get_video)
    event = only_event(trigger_for(7, poll_interval=0.01, max_poll_failures=3))
    assert (event["status"], event["video_status"]) == ("succeeded", 1)


# --- the API key stays out of the trigger row -----------------------------------------------------------


def test_serialized_kwargs_hold_the_connection_id_never_the_api_key(emulator, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    video_id = submit("[emulate:seconds=0.2]")
    trigger = trigger_for(video_id)
    classpath, kwargs = trigger.serialize()
    assert classpath == CLASSPATH
    assert set(kwargs) == {
        "video_id",
        "pixverse_conn_id",
        "poll_interval",
        "deadline",
        "max_poll_failures",
        "trace_id",
        "started",
        "exponential_backoff",
        "max_wait",
        "timeout",
        "end_from_trigger",
        "returns",
        "estimated_credits",
    }
    assert kwargs["pixverse_conn_id"] == "pixverse_default"
    assert API_KEY not in json.dumps(kwargs)
    event = only_event(trigger)  # the run resolved the key; the row and the event still must not hold it
    assert event["status"] == "succeeded"
    assert API_KEY not in json.dumps(trigger.serialize())
    assert API_KEY not in json.dumps(event)
    assert API_KEY not in repr(trigger) and API_KEY not in repr(vars(trigger))
    assert API_KEY not in caplog.text
