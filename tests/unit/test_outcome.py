"""What a video's status means (judge), the exception each failure raises, and a trigger event's meaning."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from pixverse_provider._compat import AirflowException, AirflowFailException
from pixverse_provider.after_submit import clock
from pixverse_provider.after_submit.verdict import Outcome, Verdict, failure, judge
from pixverse_provider.after_submit.waiting import record_from_event, safety_timeout, video_summary
from pixverse_provider.api import VideoStatus
from pixverse_provider.api.responses import VideoRecord
from pixverse_provider.exceptions import (
    PixVerseError,
    PixVerseTriggerError,
    PixVerseVideoDeletedError,
    PixVerseVideoError,
    PixVerseVideoFailedError,
    PixVerseVideoModerationError,
    PixVerseVideoTimeoutError,
)

VIDEO = 300_000_000_000_042
TRACE = "9c1d0e52-7a41-4f7e-9b1e-2f0c3c1f5d11"

# --- judge ------------------------------------------------------------------------------------------------


def test_status_1_succeeds() -> None:
    outcome = judge(1)
    assert outcome == Outcome(Verdict.SUCCEEDED, 1, outcome.reason)
    assert "status 1" in outcome.reason


@pytest.mark.parametrize(("status", "words"), [(6, "deleted"), (7, "moderation"), (8, "failed")])
def test_statuses_6_7_8_fail(status: int, words: str) -> None:
    outcome = judge(status)
    assert outcome.verdict == Verdict.FAILED and outcome.status == status
    assert f"status {status}" in outcome.reason and words in outcome.reason


@pytest.mark.parametrize("status", [5, 0, 2, 3, 4, 9, 10, 99, -1, 10_000])
def test_generating_and_undocumented_statuses_mean_keep_waiting(status: int) -> None:
    outcome = judge(status)
    assert outcome.verdict == Verdict.WAITING
    assert f"status {status}" in outcome.reason


@pytest.mark.parametrize("status", range(-2, 12))
def test_judge_agrees_with_the_status_enum(status: int) -> None:
    assert VideoStatus.is_terminal(status) == (judge(status).verdict != Verdict.WAITING)


def test_verdict_values_are_the_event_statuses() -> None:
    assert (Verdict.SUCCEEDED.value, Verdict.FAILED.value) == ("succeeded", "failed")


# --- failure(): the exception, and whether a retry may use it -------------------------------------------


@pytest.mark.parametrize(
    ("status", "cls", "retryable"),
    [
        (7, PixVerseVideoModerationError, False),
        (6, PixVerseVideoDeletedError, False),
        (8, PixVerseVideoFailedError, True),
    ],
)
def test_failure_class_and_retryability(status: int, cls: type[Exception], retryable: bool) -> None:
    exc = failure(judge(status), video_id=VIDEO, trace_id=TRACE)
    assert type(exc) is cls
    assert isinstance(exc, PixVerseVideoError) and isinstance(exc, PixVerseError)
    assert isinstance(exc, AirflowException)
    assert isinstance(exc, AirflowFailException) is not retryable
    assert (exc.video_id, exc.trace_id) == (VIDEO, TRACE)
    message = str(exc)
    assert str(VIDEO) in message and TRACE in message and f"status {status}" in message


def test_failure_without_a_trace_id_names_the_video_only() -> None:
    exc = failure(judge(8), video_id=VIDEO)
    assert str(VIDEO) in str(exc)
    assert "trace" not in str(exc).lower() and exc.trace_id is None


@pytest.mark.parametrize("cls", [PixVerseVideoTimeoutError, PixVerseTriggerError, PixVerseVideoFailedError])
def test_timeouts_and_lost_triggers_are_retryable(cls: type[PixVerseVideoError]) -> None:
    assert issubclass(cls, PixVerseVideoError)
    assert not issubclass(cls, AirflowFailException)


@pytest.mark.parametrize("cls", [PixVerseVideoModerationError, PixVerseVideoDeletedError])
def test_moderation_and_deletion_are_never_retried(cls: type[PixVerseVideoError]) -> None:
    assert issubclass(cls, AirflowFailException)


# --- record_from_event: what the task does with the trigger's one event ---------------------------------


def _record(status: int = 1) -> dict[str, Any]:
    return VideoRecord(
        id=VIDEO,
        status=status,
        url="https://media.example/v.mp4" if status == 1 else "",
        seed=7,
        outputWidth=960,
        outputHeight=540,
        size=12345,
    ).model_dump()


def _event(status: str, video_status: int | None, video: Any, reason: str, **extra: Any) -> dict[str, Any]:
    return {
        "status": status,
        "video_id": VIDEO,
        "video_status": video_status,
        "video": video,
        "reason": reason,
        "elapsed": 12.3,
        "trace_id": TRACE,
        **extra,
    }


def test_succeeded_event_gives_the_record() -> None:
    record = record_from_event(_event("succeeded", 1, _record(), "the video is ready (status 1)"))
    assert isinstance(record, VideoRecord)
    assert (record.id, record.status, record.url, record.size) == (VIDEO, 1, "https://media.example/v.mp4", 12345)
    assert video_summary(record) == {
        "video_id": VIDEO,
        "status": 1,
        "url": "https://media.example/v.mp4",
        "width": 960,
        "height": 540,
        "seed": 7,
        "size": 12345,
    }


@pytest.mark.parametrize(
    ("status", "cls"),
    [(7, PixVerseVideoModerationError), (6, PixVerseVideoDeletedError), (8, PixVerseVideoFailedError)],
)
def test_failed_event_raises_the_failure_of_its_status(status: int, cls: type[Exception]) -> None:
    event = _event("failed", status, _record(status), judge(status).reason)
    with pytest.raises(cls) as err:
        record_from_event(event)
    assert (err.value.video_id, err.value.trace_id) == (VIDEO, TRACE)
    message = str(err.value)
    assert str(VIDEO) in message and TRACE in message and judge(status).reason in message


def test_timeout_event_names_the_elapsed_time_and_the_last_status() -> None:
    event = _event("timeout", 5, None, "not finished by the deadline (last status 5)", elapsed=3612.4)
    with pytest.raises(PixVerseVideoTimeoutError) as err:
        record_from_event(event)
    message = str(err.value)
    assert "3612s" in message and "last status 5" in message
    assert str(VIDEO) in message and TRACE in message
    assert not isinstance(err.value, AirflowFailException)


def test_timeout_before_any_status_says_so() -> None:
    event = _event("timeout", None, None, "not finished by the deadline (last status None)", elapsed=60.0)
    with pytest.raises(PixVerseVideoTimeoutError, match=r"60s \(last status None\)"):
        record_from_event(event)


def test_error_event_fails_with_its_reason() -> None:
    reason = "6 polls in a row failed; last: HTTP 503: busy"
    with pytest.raises(PixVerseTriggerError) as err:
        record_from_event(_event("error", 5, None, reason))
    message = str(err.value)
    assert reason in message and str(VIDEO) in message and TRACE in message
    assert not isinstance(err.value, AirflowFailException)


def test_events_without_a_trace_id_still_name_the_video() -> None:
    event = _event("timeout", 5, None, "deadline", trace_id=None)
    with pytest.raises(PixVerseVideoTimeoutError) as err:
        record_from_event(event)
    assert str(VIDEO) in str(err.value) and "trace" not in str(err.value).lower()


def test_event_video_id_may_arrive_as_text() -> None:
    with pytest.raises(PixVerseVideoFailedError) as err:
        record_from_event(_event("failed", 8, None, judge(8).reason, video_id=str(VIDEO)))
    assert err.value.video_id == VIDEO


# --- deadlines ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("timeout", [2.0, 60.0, 3600.0, 86_400.0])
def test_airflow_safety_timeout_is_above_the_trigger_deadline(timeout: float) -> None:
    net = safety_timeout(timeout)
    assert net >= timedelta(seconds=timeout + 60)
    assert net >= timedelta(seconds=timeout * 1.1)


def test_deadline_is_absolute_iso_utc() -> None:
    before = clock.now()
    deadline = clock.after(90)
    after = clock.now()
    parsed = clock.parse(deadline)
    assert parsed.utcoffset() == timedelta(0)
    assert before.add(seconds=90) <= parsed <= after.add(seconds=90)
    assert clock.parse("2025-06-01T12:00:00") == clock.parse("2025-06-01T12:00:00+00:00")
