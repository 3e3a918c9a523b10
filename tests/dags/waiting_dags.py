"""One DAG per way of waiting for a video and per way a video can end, for tests/system/test_waiting.py.

Ways of waiting: the sensor (deferrable, poke, reschedule) on a video submitted by an upstream task, and
the operator itself (``wait_for_completion=True``, deferrable or polling in the task). Outcomes: the
emulator's prompt markers make the video succeed, fail moderation (7), be deleted (6) or fail (8); a
video that takes 30 s against a 2 s timeout reaches the deadline. The other videos take 1 s, or 1.5 s when
the task is deferrable, so that its first poke surely sees status 5: it defers and its trigger really runs.

The waiting task is ``wait`` in every DAG; it has one retry with no delay, so a test can tell a failure
that used the retry (retryable) from one that did not (``AirflowFailException``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from airflow.sdk import DAG

from pixverse_provider.operators import PixVerseTextToVideoOperator
from pixverse_provider.sensors import PixVerseVideoSensor

POLL_INTERVAL = 1.0
TIMEOUT = 60.0
SHORT_TIMEOUT = 2.0
WAIT_TASK = "wait"
SUBMIT_TASK = "submit"

WAYS: dict[str, dict[str, object]] = {
    "sensor_deferrable": {"sensor": True, "deferrable": True},
    "sensor_poke": {"sensor": True, "deferrable": False, "mode": "poke"},
    "sensor_reschedule": {"sensor": True, "deferrable": False, "mode": "reschedule"},
    "operator_deferrable": {"sensor": False, "deferrable": True},
    "operator_polling": {"sensor": False, "deferrable": False},
}
"""Each way of waiting: whether a sensor waits (else the operator), deferrable, and the sensor's mode."""

OUTCOMES: dict[str, str] = {
    "success": "",
    "moderation": "[emulate:moderation]",
    "deleted": "[emulate:deleted]",
    "failure": "[emulate:failure]",
    "timeout": "[emulate:seconds=30]",
    "flaky_reads": "",
    "malformed_reads": "",
    "failed_reads": "",
}
"""Each outcome and the prompt marker that makes the emulator's video end that way. ``flaky_reads`` and
``failed_reads`` are successful videos whose first status reads the test makes fail (MAX_POLL_FAILURES of
them, then one more than that); ``malformed_reads`` answers the first ones with ErrCode 0 and a null Resp."""
MAX_POLL_FAILURES = 2

VIDEO = {"model": "v5", "duration": 5, "quality": "540p", "aspect_ratio": "16:9"}
RETRY = {"retries": 1, "retry_delay": timedelta(0)}


class FailureLog:
    """What each failed try of a task raised, kept by its retry and failure callbacks.

    dag.test() runs every task in the test's own process, so a test reads this straight from the DAG's
    task and gets the exception objects themselves (class, attributes, message).
    """

    def __init__(self) -> None:
        self.records: list[tuple[str, int, BaseException | None]] = []

    def clear(self) -> None:
        self.records.clear()

    def on_retry(self, context: Any) -> None:
        self.records.append(("retry", context["ti"].try_number, context.get("exception")))

    def on_failure(self, context: Any) -> None:
        self.records.append(("failure", context["ti"].try_number, context.get("exception")))


FAILURE_LOGS: dict[str, FailureLog] = {}
"""dag_id → the FailureLog of its waiting task."""


def _callbacks(dag_id: str) -> dict[str, Any]:
    log = FAILURE_LOGS.setdefault(dag_id, FailureLog())
    return {"on_retry_callback": log.on_retry, "on_failure_callback": log.on_failure}


def dag_id(way: str, outcome: str) -> str:
    return f"pixverse_wait_{way}_{outcome}"


def _build(way: str, outcome: str) -> DAG:
    options = WAYS[way]
    seconds = (
        "" if outcome == "timeout" else "[emulate:seconds=1.5]" if options["deferrable"] else "[emulate:seconds=1]"
    )
    prompt = f"a paper boat on a rain puddle {OUTCOMES[outcome]} {seconds}".strip()
    timeout = SHORT_TIMEOUT if outcome == "timeout" else TIMEOUT
    with DAG(
        dag_id(way, outcome),
        schedule=None,
        start_date=datetime(2025, 1, 1),
        catchup=False,
        tags=["pixverse", "test", "waiting"],
    ) as dag:
        if options["sensor"]:
            submit = PixVerseTextToVideoOperator(task_id=SUBMIT_TASK, prompt=prompt, **VIDEO)
            mode = {"mode": options["mode"]} if "mode" in options else {}
            submit >> PixVerseVideoSensor(
                task_id=WAIT_TASK,
                video_id=submit.output,
                trace_id="{{ ti.xcom_pull(task_ids='" + SUBMIT_TASK + "', key='trace_id') }}",
                deferrable=bool(options["deferrable"]),
                poke_interval=POLL_INTERVAL,
                timeout=timeout,
                max_poll_failures=MAX_POLL_FAILURES,
                **mode,
                **RETRY,
                **_callbacks(dag.dag_id),
            )
        else:
            PixVerseTextToVideoOperator(
                task_id=WAIT_TASK,
                prompt=prompt,
                wait_for_completion=True,
                deferrable=bool(options["deferrable"]),
                poll_interval=POLL_INTERVAL,
                timeout=timeout,
                max_poll_failures=MAX_POLL_FAILURES,
                **VIDEO,
                **RETRY,
                **_callbacks(dag.dag_id),
            )
    return dag


DAGS: dict[str, DAG] = {dag_id(way, outcome): _build(way, outcome) for way in WAYS for outcome in OUTCOMES}
