"""DAGs that use ``PixVerseVideoSensor`` the way Airflow users write sensors, for tests/system/test_sensor.py.

Each DAG submits one video (``submit``) and waits for it in ``wait`` with Airflow's own sensor arguments:
``poke_interval``, ``timeout``, ``mode``, ``soft_fail``, ``never_fail``, ``silent_fail``,
``exponential_backoff``/``max_wait``, plus BaseOperator's ``pool``, ``queue``, ``priority_weight``,
``doc_md``, callbacks and mapping. The prompt markers make the emulator's video end as the test needs:
``[emulate:seconds=30]`` never finishes within the DAG's short timeout.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from airflow.sdk import DAG

from pixverse_provider.operators import PixVerseTextToVideoOperator
from pixverse_provider.sensors import PixVerseVideoSensor

NEVER_DONE = "a paper boat on a rain puddle [emulate:seconds=30]"
QUICK = "a paper boat on a rain puddle [emulate:seconds=1]"
MODERATED = "a paper boat on a rain puddle [emulate:moderation]"
VIDEO = {"model": "v5", "duration": 5, "quality": "540p", "aspect_ratio": "16:9"}
CALLBACK_FILE = Path("/tmp/pixverse-sensor-callbacks")
DAGS: dict[str, DAG] = {}


def _note(kind: str) -> Any:
    """A callback that leaves a line in CALLBACK_FILE: a side effect a test can read after the run."""

    def callback(context: Any) -> None:
        with CALLBACK_FILE.open("a") as notes:
            notes.write(f"{kind} {context['ti'].task_id}\n")

    return callback


def _dag(dag_id: str, prompt: str, **sensor: Any) -> DAG:
    with DAG(dag_id, schedule=None, start_date=datetime(2025, 1, 1), catchup=False, tags=["pixverse", "test"]) as dag:
        submit = PixVerseTextToVideoOperator(task_id="submit", prompt=prompt, **VIDEO)
        submit >> PixVerseVideoSensor(task_id="wait", video_id=submit.output, **sensor)
    DAGS[dag_id] = dag
    return dag


for mode in ("poke", "reschedule", "deferrable"):
    how: dict[str, Any] = {"deferrable": True} if mode == "deferrable" else {"mode": mode, "deferrable": False}
    _dag(f"sensor_soft_fail_timeout_{mode}", NEVER_DONE, poke_interval=1, timeout=3, soft_fail=True, **how)
    _dag(f"sensor_soft_fail_moderation_{mode}", MODERATED, poke_interval=1, timeout=30, soft_fail=True, **how)
    _dag(f"sensor_never_fail_moderation_{mode}", MODERATED, poke_interval=1, timeout=30, never_fail=True, **how)

_dag("sensor_poke_interval", NEVER_DONE, mode="poke", deferrable=False, poke_interval=2, timeout=5, soft_fail=True)
_dag(
    "sensor_backoff",
    NEVER_DONE,
    mode="poke",
    deferrable=False,
    poke_interval=1,
    exponential_backoff=True,
    max_wait=timedelta(seconds=8),
    timeout=7,
    soft_fail=True,
)
# max_poll_failures=0: the first failed read ends the poke with an error, which silent_fail logs and ignores.
_dag(
    "sensor_silent_fail",
    QUICK,
    mode="poke",
    deferrable=False,
    poke_interval=1,
    timeout=60,
    max_poll_failures=0,
    silent_fail=True,
)
_dag(
    "sensor_operator_arguments",
    QUICK,
    poke_interval=1,
    timeout=timedelta(minutes=1),
    deferrable=True,
    pool="pixverse_sensor_pool",
    pool_slots=2,
    queue="videos",
    priority_weight=7,
    doc_md="Waits for **the fox**.",
    retries=2,
    retry_delay=timedelta(seconds=0),
    on_execute_callback=_note("execute"),
    on_success_callback=_note("success"),
)

with DAG("sensor_mapped", schedule=None, start_date=datetime(2025, 1, 1), catchup=False) as mapped:
    videos = PixVerseTextToVideoOperator.partial(task_id="submit", **VIDEO).expand(
        prompt=[f"{QUICK} take {i}" for i in range(3)]
    )
    PixVerseVideoSensor.partial(
        task_id="wait", poke_interval=1, deferrable=True, map_index_template="video {{ task.video_id }}"
    ).expand(video_id=videos.output)
DAGS["sensor_mapped"] = mapped

with DAG("sensor_bad_video_id", schedule=None, start_date=datetime(2025, 1, 1), params={"video": "not-an-id"}) as bad:
    PixVerseVideoSensor(task_id="wait", video_id="{{ params.video }}", poke_interval=1, retries=2)
DAGS["sensor_bad_video_id"] = bad
