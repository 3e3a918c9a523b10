"""How the video trigger ends a wait on Airflow 3.3+: the task itself when nothing is left for a worker,
a task started in the triggerer (a rendered ``video_id``, a deadline from Airflow's trigger timeout), and
what it logs when a user kills the wait. Driven directly against the emulator, as tests/integration/
test_trigger.py does."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from pixverse_provider.after_submit import clock
from pixverse_provider.after_submit.in_triggerer import success_xcoms
from pixverse_provider.after_submit.waiting import INVALID_VIDEO_ID, record_from_event, safety_timeout, video_summary
from pixverse_provider.exceptions import PixVerseInvalidRequestError, PixVerseVideoModerationError
from pixverse_provider.hooks import PixVerseHook
from pixverse_provider.links import PixVerseVideoLink
from pixverse_provider.triggers.pixverse import PixVerseVideoTrigger
from tests.integration.conftest import API_KEY
from tests.integration.test_trigger import TRACE_ID, events_of, submit, trigger_for

pytestmark = pytest.mark.integration


def only(trigger: PixVerseVideoTrigger) -> Any:
    events = asyncio.run(events_of(trigger, 15.0))
    assert len(events) == 1, events
    return events[0]


@pytest.mark.parametrize("returns", ["video_id", "summary"])
def test_the_xcoms_of_a_task_ended_in_the_triggerer_are_those_a_worker_would_push(emulator, returns: str) -> None:
    video_id = submit("[emulate:seconds=0]")
    record = PixVerseHook().get_video(video_id)
    xcoms = success_xcoms(record, returns)
    summary = xcoms["video"]
    assert summary == video_summary(record) and summary["size"] == record.size
    assert xcoms["return_value"] == (video_id if returns == "video_id" else summary)
    assert xcoms[PixVerseVideoLink().xcom_key] == record.url
    # the real triggerer pushes them and ends the task: tests/e2e/test_worker_runs.py


def test_run_outside_a_triggerer_it_always_hands_the_ending_to_the_task(emulator) -> None:
    """dag.test runs a trigger inline, with no task instance: the task resumes on the worker as before."""
    video_id = submit("[emulate:seconds=0.2]")
    event = only(trigger_for(video_id, end_from_trigger=True))
    assert event["status"] == "succeeded" and record_from_event(event).id == video_id


def test_a_failed_video_goes_back_to_a_worker_even_when_the_trigger_may_end_the_task(emulator) -> None:
    video_id = submit("[emulate:moderation] [emulate:seconds=0.2]")
    event = only(trigger_for(video_id, end_from_trigger=True))
    assert event["status"] == "failed"
    with pytest.raises(PixVerseVideoModerationError, match=str(video_id)):
        record_from_event(event)


@pytest.mark.parametrize("rendered", ["None", "", "{'video_id': 1}", "12x"])
def test_a_rendered_video_id_that_is_not_an_id_fails_naming_it_with_no_request(emulator, rendered: str) -> None:
    before = emulator.counters()["requests"]
    event = only(
        PixVerseVideoTrigger(video_id=rendered, pixverse_conn_id="pixverse_default", poll_interval=1, timeout=60)
    )
    assert event == {"status": INVALID_VIDEO_ID, "video_id": rendered}
    with pytest.raises(PixVerseInvalidRequestError, match="video_id") as caught:
        record_from_event(event)
    assert repr(rendered) in str(caught.value)
    assert emulator.counters()["requests"] == before  # nothing was read


def test_started_in_the_triggerer_the_deadline_comes_from_airflows_trigger_timeout(emulator) -> None:
    """The scheduler fixed ``timeout_after`` when it deferred the task; a recreated trigger keeps that deadline."""
    video_id = submit("[emulate:seconds=600]")
    timeout = 0.5
    trigger = PixVerseVideoTrigger(
        video_id=str(video_id), pixverse_conn_id="pixverse_default", poll_interval=0.05, timeout=timeout
    )
    deferred_at = clock.now()
    trigger.timeout_after = deferred_at + safety_timeout(timeout)  # what the triggerer sets from the TI row
    event = only(trigger)
    assert event["status"] == "timeout"
    finished = clock.now()
    assert finished >= deferred_at.add(seconds=timeout)  # never before the deadline


def test_without_a_trigger_timeout_the_wait_counts_from_its_start(emulator) -> None:
    video_id = submit("[emulate:seconds=0.2]")
    trigger = PixVerseVideoTrigger(
        video_id=video_id, pixverse_conn_id="pixverse_default", poll_interval=0.05, timeout=30
    )
    assert only(trigger)["status"] == "succeeded"


def test_a_trigger_needs_a_deadline_or_a_timeout() -> None:
    with pytest.raises(ValueError, match="deadline or a timeout"):
        PixVerseVideoTrigger(video_id=1, pixverse_conn_id="pixverse_default", poll_interval=1)


def test_a_killed_wait_says_the_video_is_still_paid_for_and_how_to_resume(emulator, capsys) -> None:
    video_id = submit("[emulate:seconds=600]")
    trigger = trigger_for(video_id, estimated_credits=45)
    asyncio.run(trigger.on_kill())
    message = capsys.readouterr().out  # the trigger's log, as the triggerer writes it to the task's log
    assert f"PixVerse video {video_id}" in message and TRACE_ID in message
    assert "about 45 credits" in message and "keeps generating" in message
    assert "resumes that video instead of paying again" in message
    assert API_KEY not in message


def test_a_killed_sensor_wait_says_a_rerun_waits_for_the_same_video(capsys) -> None:
    trigger = trigger_for(123, returns="summary")
    asyncio.run(trigger.on_kill())
    message = capsys.readouterr().out
    assert "an unknown number of credits" in message and "waits for the same video" in message
