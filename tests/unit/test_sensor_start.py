"""Where a deferrable PixVerseVideoSensor starts (Airflow 3.3: in the triggerer) and what it hands the
triggerer: decided at parse time, from the DAG author's arguments, and kept through DAG serialization."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from airflow.sdk import DAG

from pixverse_provider.after_submit.in_triggerer import AIRFLOW_3_3_PLUS
from pixverse_provider.after_submit.waiting import safety_timeout
from pixverse_provider.exceptions import PixVerseConfigurationError
from pixverse_provider.operators import PixVerseTextToVideoOperator
from pixverse_provider.sensors import PixVerseVideoSensor
from pixverse_provider.triggers.pixverse import PixVerseVideoTrigger

needs_3_3 = pytest.mark.skipif(not AIRFLOW_3_3_PLUS, reason="start_from_trigger with templates needs Airflow 3.3")
CLASSPATH = f"{PixVerseVideoTrigger.__module__}.{PixVerseVideoTrigger.__qualname__}"


def sensor(**kwargs) -> PixVerseVideoSensor:
    with DAG("start", schedule=None, start_date=datetime(2025, 1, 1)):
        submit = PixVerseTextToVideoOperator(task_id="submit", prompt="a fox")
        return PixVerseVideoSensor(**{"task_id": "wait", "video_id": submit.output, "deferrable": True, **kwargs})


@needs_3_3
def test_a_deferrable_sensor_starts_in_the_triggerer_with_the_upstream_output_as_a_template() -> None:
    with DAG("start", schedule=None, start_date=datetime(2025, 1, 1)):
        submit = PixVerseTextToVideoOperator(task_id="submit", prompt="a fox")
        wait = PixVerseVideoSensor(
            task_id="wait",
            video_id=submit.output,
            trace_id=submit.output["trace_id"],
            deferrable=True,
            poke_interval=2,
            timeout=600,
        )
    assert wait.start_from_trigger is True
    args = wait.start_trigger_args
    assert args.trigger_cls == CLASSPATH and args.next_method == "execute_complete"
    assert args.timeout == safety_timeout(600)
    kwargs = args.trigger_kwargs
    # map_indexes=-1: Airflow 3.3.2's triggerer cannot answer an xcom_pull for every map index (it hangs)
    assert kwargs["video_id"] == "{{ task_instance.xcom_pull(task_ids='submit', key='return_value', map_indexes=-1) }}"
    assert kwargs["trace_id"] == "{{ task_instance.xcom_pull(task_ids='submit', key='trace_id', map_indexes=-1) }}"
    assert (kwargs["poll_interval"], kwargs["timeout"], kwargs["returns"]) == (2, 600, "summary")
    assert kwargs["end_from_trigger"] is True
    PixVerseVideoTrigger(**kwargs)  # the triggerer builds the trigger from exactly these


@needs_3_3
def test_a_literal_video_id_goes_to_the_triggerer_as_written() -> None:
    wait = sensor(video_id=123)
    assert wait.start_from_trigger and wait.start_trigger_args.trigger_kwargs["video_id"] == 123


@needs_3_3
@pytest.mark.parametrize("field", ["video_id", "trace_id", "pixverse_conn_id"])
def test_an_authors_template_starts_on_a_worker_unless_start_from_trigger_is_asked_for(field: str) -> None:
    template = "{{ ti.xcom_pull(task_ids='submit', key='x') }}"
    assert not sensor(**{field: template}).start_from_trigger
    asked = sensor(**{field: template}, start_from_trigger=True)
    assert asked.start_from_trigger and asked.start_trigger_args.trigger_kwargs[field] == template


@needs_3_3
def test_a_mapped_upstream_output_is_left_to_a_worker() -> None:
    with DAG("start", schedule=None, start_date=datetime(2025, 1, 1)):
        submits = PixVerseTextToVideoOperator.partial(task_id="submit").expand(prompt=["a", "b"])
        wait = PixVerseVideoSensor(task_id="wait", video_id=submits.output, deferrable=True)
    assert not wait.start_from_trigger


@needs_3_3
def test_a_file_to_land_or_outlets_bring_the_end_back_to_a_worker() -> None:
    from airflow.sdk import Asset

    assert sensor(output_path="/tmp/videos/").start_trigger_args.trigger_kwargs["end_from_trigger"] is False
    assert sensor(outlets=[Asset("s3://videos/fox")]).start_trigger_args.trigger_kwargs["end_from_trigger"] is False


@needs_3_3
def test_execution_timeout_shorter_than_timeout_becomes_the_deadline() -> None:
    wait = sensor(timeout=3600, execution_timeout=timedelta(minutes=5))
    assert wait.start_trigger_args.trigger_kwargs["timeout"] == 300
    assert wait.start_trigger_args.timeout == safety_timeout(300)


@needs_3_3
def test_the_dag_serializes_with_the_start_in_the_triggerer() -> None:
    from airflow.serialization.serialized_objects import BaseSerialization, DagSerialization

    wait = sensor()
    assert wait.dag is not None
    restored = DagSerialization.from_dict(DagSerialization.to_dict(wait.dag)).get_task("wait")
    assert restored.start_from_trigger is True
    kwargs = BaseSerialization.deserialize(restored.start_trigger_args.trigger_kwargs)  # as the scheduler stores them
    assert kwargs == wait.start_trigger_args.trigger_kwargs


def test_start_from_trigger_false_or_a_worker_side_sensor_starts_on_a_worker() -> None:
    assert not sensor(start_from_trigger=False).start_from_trigger
    assert not sensor(deferrable=False).start_from_trigger
    assert not sensor(deferrable=False, mode="reschedule").start_from_trigger


def test_start_from_trigger_true_without_deferrable_fails_at_parse_naming_both() -> None:
    with pytest.raises(PixVerseConfigurationError, match=r"'wait'.*start_from_trigger=True needs deferrable=True"):
        sensor(deferrable=False, start_from_trigger=True)


@pytest.mark.skipif(AIRFLOW_3_3_PLUS, reason="what Airflow 3.1 and 3.2 do")
def test_before_airflow_3_3_the_sensor_starts_on_a_worker_even_when_asked() -> None:
    assert not sensor(start_from_trigger=True).start_from_trigger
