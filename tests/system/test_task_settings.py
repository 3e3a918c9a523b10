"""Task settings that are not API fields: a bad one costs nothing, and the error names it.

A literal is checked when the DAG file is parsed; a templated one once rendered, before the first request.
"""

from __future__ import annotations

from typing import Any

import pytest
from airflow.sdk import DAG

from pixverse_provider.exceptions import PixVerseConfigurationError, PixVerseTriggerEventError
from pixverse_provider.operators import PixVerseTextToVideoOperator
from pixverse_provider.sensors import PixVerseVideoSensor
from tests.system.conftest import run_dag, task_states

pytestmark = pytest.mark.system


def _operator(**settings: Any) -> PixVerseTextToVideoOperator:
    with DAG("settings_parse_check", schedule=None):
        return PixVerseTextToVideoOperator(task_id="fox", prompt="A red fox", **settings)


@pytest.mark.parametrize(
    ("settings", "says"),
    [
        ({"poll_interval": -1}, "poll_interval must be a number of seconds >= 1, got -1"),
        ({"poll_interval": 0}, "poll_interval must be a number of seconds >= 1, got 0"),
        ({"poll_interval": "fast"}, "poll_interval must be a number of seconds >= 1, got 'fast'"),
        ({"timeout": 0}, "timeout must be a number of seconds > 0, got 0"),
        ({"max_poll_failures": -2}, "max_poll_failures must be a whole number >= 0"),
        ({"max_credits": 0}, "max_credits must be a whole number of credits >= 1"),
        ({"max_credits": True}, "max_credits must be a whole number of credits >= 1"),
        ({"concurrency_timeout": -5}, "concurrency_timeout must be a number of seconds > 0"),
        ({"concurrency_retry_interval": 0.01}, "concurrency_retry_interval must be a number of seconds >= 1"),
    ],
)
def test_a_bad_literal_setting_fails_when_the_dag_is_parsed(settings: dict[str, Any], says: str) -> None:
    with pytest.raises(PixVerseConfigurationError, match=says) as err:
        _operator(**settings)
    assert "Task 'fox'" in str(err.value) and "Nothing was sent to PixVerse" in str(err.value)


def test_every_bad_setting_is_named_at_once() -> None:
    with pytest.raises(PixVerseConfigurationError) as err:
        _operator(poll_interval=-1, timeout=0)
    assert "poll_interval must be" in str(err.value) and "timeout must be" in str(err.value)


def test_templated_settings_are_checked_once_rendered_and_used_as_numbers(emulator: Any) -> None:
    run = run_dag("settings_dags", "settings_templated")
    assert task_states(run) == {"fox": "success"}


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"poll": "-1"}, "poll_interval must be a number of seconds >= 1, got '-1'"),
        ({"timeout": "0"}, "timeout must be a number of seconds > 0, got '0'"),
        ({"credits": "a lot"}, "max_credits must be a whole number of credits >= 1, got 'a lot'"),
    ],
)
def test_a_bad_templated_setting_fails_before_any_request_without_retry(
    params: dict[str, str], says: str, emulator: Any, capfd: pytest.CaptureFixture[str]
) -> None:
    run = run_dag("settings_dags", "settings_templated", **params)
    ti = run.get_task_instances()[0]
    assert (ti.state, ti.try_number) == ("failed", 1)  # a configuration error: the retries are not used
    assert emulator.counters()["requests_total"] == 0
    out, err = capfd.readouterr()
    assert says in out + err


@pytest.mark.parametrize("event", [None, {}, {"status": "done"}, {"status": "succeeded", "video_id": 5},
                                   {"status": "failed", "video_id": 5, "video_status": 1}, "succeeded"])  # fmt: skip
def test_an_unknown_trigger_event_is_a_clear_error(event: Any) -> None:
    operator = _operator(wait_for_completion=True)
    with DAG("settings_event_check", schedule=None):
        sensor = PixVerseVideoSensor(task_id="wait", video_id=5)
    for resume in (operator.execute_complete, sensor.execute_complete):
        with pytest.raises(PixVerseTriggerEventError, match="the trigger sent"):
            resume({}, event)  # type: ignore[arg-type]
