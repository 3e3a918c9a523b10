"""``PixVerseVideoSensor`` written the way Airflow users write sensors, run in a real Airflow (dag.test).

Airflow's own arguments must keep their documented meaning: ``poke_interval`` paces the pokes, ``mode=
"reschedule"`` frees the worker between them, ``soft_fail``/``never_fail`` turn a failure into a skip
whichever way the sensor waits, ``silent_fail`` ignores a failed poke, ``exponential_backoff`` spaces the
pokes out, and BaseOperator's arguments (pool, queue, priority, docs, callbacks, retries, mapping) reach
the task instance. Bad settings fail when the DAG is parsed, naming the setting.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import pytest
from airflow.models.taskreschedule import TaskReschedule
from airflow.sdk import DAG
from airflow.utils.session import create_session
from sqlalchemy import select

from pixverse_provider.api import Endpoint
from pixverse_provider.exceptions import PixVerseConfigurationError, PixVerseInvalidRequestError
from pixverse_provider.sensors import PixVerseVideoSensor
from tests.dags.sensor_dags import CALLBACK_FILE
from tests.integration.conftest import connection_json
from tests.system.conftest import run_dag, task_states, xcom

pytestmark = pytest.mark.system
FILE = "sensor_dags"
RESULT_GLOB = "/openapi/v2/video/result/*"
MODES = ("poke", "reschedule", "deferrable")


def _ti(dag_run: Any, task_id: str = "wait") -> Any:
    return next(t for t in dag_run.get_task_instances() if t.task_id == task_id)


def _read_times(emulator: Any) -> list[float]:
    return [entry["time"] for entry in emulator.state.request_log(RESULT_GLOB)]


@pytest.mark.parametrize("mode", MODES)
def test_soft_fail_turns_a_timeout_into_a_skip(mode: str, emulator: Any) -> None:
    run = run_dag(FILE, f"sensor_soft_fail_timeout_{mode}")
    assert task_states(run) == {"submit": "success", "wait": "skipped"}
    assert len(_read_times(emulator)) >= 1  # it really waited before giving up


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("flag", ["soft_fail", "never_fail"])
def test_soft_fail_and_never_fail_turn_a_failed_video_into_a_skip(flag: str, mode: str, emulator: Any) -> None:
    run = run_dag(FILE, f"sensor_{flag}_moderation_{mode}")
    assert task_states(run) == {"submit": "success", "wait": "skipped"}


def test_poke_mode_pokes_every_poke_interval(emulator: Any) -> None:
    run = run_dag(FILE, "sensor_poke_interval")
    assert task_states(run)["wait"] == "skipped"
    times = _read_times(emulator)
    assert len(times) >= 2
    # never sooner than poke_interval (2 s) apart; a busy machine can only make the gaps longer
    assert min(b - a for a, b in itertools.pairwise(times)) >= 2 - 0.05


def test_reschedule_mode_frees_the_worker_between_pokes(emulator: Any) -> None:
    run = run_dag(FILE, "sensor_soft_fail_timeout_reschedule")
    ti = _ti(run)
    with create_session() as session:
        reschedules = session.scalars(select(TaskReschedule).where(TaskReschedule.ti_id == ti.id)).all()
    assert reschedules, "the sensor never gave its worker slot back"
    assert ti.try_number == 1  # each poke was a reschedule of the same try, not a retry


def test_exponential_backoff_spaces_the_pokes_out(emulator: Any) -> None:
    run = run_dag(FILE, "sensor_backoff")
    assert task_states(run)["wait"] == "skipped"
    times = _read_times(emulator)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert gaps and max(gaps) >= 2 - 0.05  # a later poke waited at least twice the 1 s poke_interval


def test_silent_fail_logs_a_failed_poke_and_keeps_poking(emulator: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json(emulator.base_url, max_retries=0))
    emulator.inject(RESULT_GLOB, "status", count=2, status=503, method="GET")
    run = run_dag(FILE, "sensor_silent_fail")
    assert task_states(run) == {"submit": "success", "wait": "success"}
    assert _ti(run).try_number == 1
    assert xcom(run, "wait")["video_id"] == int(xcom(run, "submit"))


def test_operator_arguments_reach_the_task_instance(emulator: Any) -> None:
    from airflow.models.pool import Pool

    Pool.create_or_update_pool("pixverse_sensor_pool", slots=4, description="test", include_deferred=False)
    CALLBACK_FILE.unlink(missing_ok=True)
    run = run_dag(FILE, "sensor_operator_arguments")
    ti = _ti(run)
    assert ti.state == "success"
    assert (ti.pool, ti.pool_slots, ti.queue, ti.priority_weight) == ("pixverse_sensor_pool", 2, "videos", 7)
    assert ti.max_tries == 2
    assert run.dag.get_task("wait").doc_md == "Waits for **the fox**."
    notes = CALLBACK_FILE.read_text().split("\n")
    assert "execute wait" in notes and "success wait" in notes


def test_a_mapped_sensor_waits_for_each_video(emulator: Any) -> None:
    run = run_dag(FILE, "sensor_mapped")
    waits = sorted((t for t in run.get_task_instances() if t.task_id == "wait"), key=lambda t: t.map_index)
    assert [t.state for t in waits] == ["success"] * 3
    submitted = {e["trace_id"] for e in emulator.state.request_log(Endpoint.TEXT_TO_VIDEO.value)}
    assert len(submitted) == 3
    assert all(t.rendered_map_index and t.rendered_map_index.startswith("video 3") for t in waits)


# --- settings that are wrong fail when the DAG is parsed, naming the setting -----------------------------


def _sensor(**kwargs: Any) -> PixVerseVideoSensor:
    with DAG("sensor_parse_check", schedule=None):
        return PixVerseVideoSensor(task_id="wait", video_id=kwargs.pop("video_id", 123), **kwargs)


def test_poke_interval_and_timeout_are_airflows_own() -> None:
    sensor = _sensor(poke_interval=2, timeout=600)
    assert (sensor.poke_interval, sensor.timeout, sensor.poll_interval) == (2, 600, 2)
    sensor = _sensor(poke_interval=timedelta(seconds=3), timeout=timedelta(minutes=5), mode="reschedule")
    assert (sensor.poke_interval, sensor.timeout, sensor.mode) == (3, 300, "reschedule")


def test_poll_interval_is_an_alias_and_a_disagreement_is_an_error() -> None:
    assert _sensor(poll_interval=4).poke_interval == 4
    assert _sensor(poll_interval=4, poke_interval=4).poke_interval == 4
    with pytest.raises(PixVerseConfigurationError, match=r"poke_interval=2 and poll_interval=3 disagree"):
        _sensor(poke_interval=2, poll_interval=3)


@pytest.mark.parametrize(
    ("setting", "says"),
    [
        ({"poke_interval": -1}, "poke_interval must be a number of seconds >= 1"),
        ({"poke_interval": 0.2}, "poke_interval must be a number of seconds >= 1"),
        ({"poll_interval": 0}, "poke_interval must be a number of seconds >= 1"),
        ({"timeout": 0}, "timeout must be a number of seconds > 0"),
        ({"timeout": "soon"}, "timeout must be a number of seconds > 0"),
        ({"max_poll_failures": -1}, "max_poll_failures must be a whole number >= 0"),
        ({"max_poll_failures": 1.5}, "max_poll_failures must be a whole number >= 0"),
        ({"max_wait": 0.1}, "max_wait must be a number of seconds >= 1"),
    ],
)
def test_a_bad_setting_fails_at_parse_naming_it(setting: dict[str, Any], says: str) -> None:
    with pytest.raises(PixVerseConfigurationError, match=says) as err:
        _sensor(**setting)
    assert "'wait'" in str(err.value)


def test_a_literal_video_id_that_is_not_an_id_fails_at_parse_without_retry() -> None:
    with pytest.raises(PixVerseInvalidRequestError, match=r"video_id: must be a PixVerse video id \(digits\)"):
        _sensor(video_id="not-an-id")
    assert _sensor(video_id="{{ params.video }}").video_id == "{{ params.video }}"  # checked once rendered


def test_a_rendered_video_id_that_is_not_an_id_fails_once_without_a_request(emulator: Any) -> None:
    run = run_dag(FILE, "sensor_bad_video_id")
    ti = _ti(run)
    assert (ti.state, ti.try_number) == ("failed", 1)  # an invalid request: the retries are not used
    assert emulator.counters()["requests_total"] == 0
