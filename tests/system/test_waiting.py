"""Waiting for a video in a real Airflow: every way of waiting, every way a video ends, with dag.test().

The DAGs are in tests/dags/waiting_dags.py: the sensor (deferrable, poke, reschedule) on a video an upstream
task submitted, and the operator itself with ``wait_for_completion=True`` (deferrable, or polling in the
task). The waiting task ``wait`` has one retry, so each test also tells whether a failure used it:
moderation (7) and deletion (6) must not (``AirflowFailException``), a failed generation (8) and a missed
deadline must. The exceptions come from the task's failure and retry callbacks (dag.test() runs tasks in
this process) and their text must also be in the task log the user reads.
"""

from __future__ import annotations

import importlib.util
import logging
import re
from typing import Any

import airflow
import pytest

from pixverse_provider._compat import AirflowFailException
from pixverse_provider.api import Endpoint
from pixverse_provider.exceptions import (
    PixVerseError,
    PixVerseTriggerError,
    PixVerseVideoDeletedError,
    PixVerseVideoFailedError,
    PixVerseVideoModerationError,
    PixVerseVideoTimeoutError,
)
from pixverse_provider.hooks import PixVerseHook
from tests.dags.waiting_dags import MAX_POLL_FAILURES
from tests.integration.conftest import connection_json
from tests.system.conftest import dag_from, run_dag, task_states, xcom

pytestmark = pytest.mark.system

AIRFLOW_3_1 = airflow.__version__.startswith("3.1.")
FILE = "waiting_dags"
WAIT, SUBMIT = "wait", "submit"
WAYS = ("sensor_deferrable", "sensor_poke", "sensor_reschedule", "operator_deferrable", "operator_polling")
TRIGGER_LOGGER = "pixverse_provider.triggers.pixverse.PixVerseVideoTrigger"
RESULT_GLOB = "/openapi/v2/video/result/*"
AIRFLOW_HAS_TASK_STATE_STORE = importlib.util.find_spec("airflow.sdk.bases.resumablejobmixin") is not None

FAILURES: dict[str, tuple[type[PixVerseError], bool, str]] = {
    "moderation": (
        PixVerseVideoModerationError,
        False,
        r"failed content moderation \(status 7\); PixVerse refunds its credits",
    ),
    "deleted": (PixVerseVideoDeletedError, False, r"was deleted \(status 6\)"),
    "failure": (PixVerseVideoFailedError, True, r"generation failed on PixVerse's side \(status 8\)"),
    "timeout": (PixVerseVideoTimeoutError, True, r"not finished after (?P<waited>\d+)s \(last status 5\)"),
    "failed_reads": (
        PixVerseTriggerError,
        True,
        rf"waiting failed: {MAX_POLL_FAILURES + 1} status reads in a row failed "
        rf"\(max_poll_failures={MAX_POLL_FAILURES}\); last: HTTP 503: .*",
    ),
}
"""Outcome → (exception class, whether the task's retry is used, the whole message between ``Video <id>: ``
and the submit's trace id, as a regular expression). The message is the same whichever way the task waits."""

FAILED_READS: dict[str, tuple[str, int]] = {
    "flaky_reads": ("status", MAX_POLL_FAILURES),
    "malformed_reads": ("null_resp", MAX_POLL_FAILURES),
    "failed_reads": ("status", MAX_POLL_FAILURES + 1),
}
"""Outcome → the emulator fault (HTTP 503, or ErrCode 0 with a null Resp) and how many status reads it spoils
before answering again (the retry's reads succeed)."""

KNOWN_BUGS: dict[tuple[str, str], str] = {}


def _cases() -> list[Any]:
    cases = []
    for way in WAYS:
        for outcome in ("success", "flaky_reads", "malformed_reads", *FAILURES):
            marks = []
            if (way, outcome) in KNOWN_BUGS:
                marks.append(pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[(way, outcome)]))
            cases.append(pytest.param(way, outcome, id=f"{way}-{outcome}", marks=marks))
    return cases


@pytest.fixture
def output(capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> Any:
    """Everything the in-process run logged: the task logs go to stdout through structlog."""
    caplog.set_level(logging.INFO)

    def read() -> str:
        out, err = capfd.readouterr()
        return out + err + "\n".join(r.getMessage() for r in caplog.records)

    return read


def _ti(dag_run: Any, task_id: str) -> Any:
    return next(t for t in dag_run.get_task_instances() if t.task_id == task_id)


def _failure_log(dag: Any) -> Any:
    callback = dag.get_task(WAIT).on_failure_callback
    callback = callback[0] if isinstance(callback, list) else callback
    return callback.__self__


def _expected_summary(video_id: int) -> dict[str, Any]:
    record = PixVerseHook().get_video(video_id)
    return {
        "video_id": video_id,
        "status": 1,
        "url": record.url,
        "width": record.outputWidth,
        "height": record.outputHeight,
        "seed": record.seed,
        "size": record.size,
    }


def _submits(emulator: Any) -> list[dict[str, Any]]:
    """The generation requests the emulator answered, oldest first (trace ids included)."""
    return emulator.state.request_log(Endpoint.TEXT_TO_VIDEO.value)


@pytest.mark.parametrize(("way", "outcome"), _cases())
def test_waiting_ends_as_the_video_does(
    way: str, outcome: str, emulator: Any, output: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same scenario through every way of waiting: the same ending, exception class and message."""
    dag_id = f"pixverse_wait_{way}_{outcome}"
    dag = dag_from(FILE, dag_id)
    failure_log = _failure_log(dag)
    failure_log.clear()
    sensor = way.startswith("sensor")
    deferrable = way.endswith("deferrable")
    if outcome in FAILED_READS:  # each read is one request (no hook retries), the first ones fail
        monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json(emulator.base_url, max_retries=0))
        kind, count = FAILED_READS[outcome]
        emulator.inject(RESULT_GLOB, kind, count=count, status=503, method="GET")

    dag_run = run_dag(FILE, dag_id)
    text = output()
    ti = _ti(dag_run, WAIT)
    submits = _submits(emulator)
    assert submits, "the DAG submitted no video"
    trace_id = xcom(dag_run, SUBMIT if sensor else WAIT, "trace_id")

    if outcome in ("success", "flaky_reads", "malformed_reads"):
        assert task_states(dag_run)[WAIT] == "success"
        assert ti.try_number == 1
        assert failure_log.records == []
        _assert_success(dag_run, sensor, emulator)
        assert len(submits) == 1
    else:
        cls, retried, says = FAILURES[outcome]
        recovers = outcome == "failed_reads"  # the faults are spent: the retry reads the video as usual
        assert task_states(dag_run)[WAIT] == ("success" if recovers else "failed")
        assert ti.max_tries == 1
        assert ti.try_number == (2 if retried else 1), "the retry was used wrongly"
        kinds = [(kind, try_number) for kind, try_number, _ in failure_log.records]
        assert kinds == (
            [("retry", 1)] if recovers else [("retry", 1), ("failure", 2)] if retried else [("failure", 1)]
        )
        if recovers:
            _assert_success(dag_run, sensor, emulator)
        if AIRFLOW_3_1 and all(exc is None for _, _, exc in failure_log.records):
            # Airflow 3.1's dag.test() hands the callbacks no exception: read what the user reads, the log.
            assert re.search(rf"{cls.__module__}\.{cls.__name__}: Video \d+: {says} \[submit Ai-trace-id ", text)
            assert any(f"[submit Ai-trace-id {e['trace_id']}]" in text for e in submits)
            return
        for _, _, exc in failure_log.records:
            assert type(exc) is cls
            assert isinstance(exc, AirflowFailException) is not retried
        exc = failure_log.records[-1][2]
        message = str(exc)
        # the whole message, exactly: the same words whichever way the task waited
        matched = re.fullmatch(rf"Video {exc.video_id}: {says} \[submit Ai-trace-id {re.escape(trace_id)}\]", message)
        assert matched, message
        polled = {int(e["path"].rsplit("/", 1)[1]) for e in emulator.state.request_log(RESULT_GLOB)}
        assert exc.video_id in polled
        # the trace id quoted is the one of the submit that created this video
        assert trace_id and trace_id in {e["trace_id"] for e in submits}
        assert exc.trace_id == trace_id
        # and the user reads the same in the task log
        assert f"{cls.__module__}.{cls.__name__}: {message}" in text
        if outcome == "timeout":
            assert int(matched.group("waited")) >= 2, "gave up before the 2 s timeout"
        if not sensor:
            # 8: the retry pays for a new video; otherwise the retry resumes the one already paid for
            # (Airflow 3.3's task_state_store; before it, a retry can only submit again)
            resumes = outcome != "failure" and AIRFLOW_HAS_TASK_STATE_STORE
            assert len(submits) == (1 if resumes or not retried else 2)
            assert emulator.counters()["generations_charged"] == len(submits)

    if AIRFLOW_3_1:
        return  # Airflow 3.1's dag.test() does not route the task's own log lines to the test's output
    # the trigger ran (deferrable) or never did (poke, reschedule, polling). The operator defers right after
    # its submit; the sensor reads once first and defers only if that read found the video generating.
    trigger_lines = [line for line in text.splitlines() if f"[{TRIGGER_LOGGER}]" in line]
    task_saw_generating = any(
        re.search(r"PixVerse video \d+: status 5\b", line) and f"[{TRIGGER_LOGGER}]" not in line
        for line in text.splitlines()
    )
    if way == "operator_deferrable" or (way == "sensor_deferrable" and task_saw_generating):
        assert "[DAG TEST] running trigger in line" in text
    if not deferrable:
        assert trigger_lines == []
        assert "[DAG TEST] running trigger in line" not in text
    # progress: a line per status change, labelled the same by every way of waiting (one per try, plus the
    # trigger's own in a deferred try; each reschedule poke is a new run of the task with its own first line)
    status_lines = re.findall(r"PixVerse video \d+: status 5\b[^\n]*", text)
    if outcome == "timeout":  # the only video surely seen generating, whatever the machine's speed
        assert status_lines, "no progress line"
    assert all("status 5 (generating) after" in line for line in status_lines)
    if way != "sensor_reschedule":
        assert len(status_lines) <= 2 * ti.try_number


def _assert_success(dag_run: Any, sensor: bool, emulator: Any) -> None:
    if sensor:
        video_id = int(xcom(dag_run, SUBMIT))
        summary = xcom(dag_run, WAIT)
    else:
        video_id = int(xcom(dag_run, WAIT))
        summary = xcom(dag_run, WAIT, "video")
    assert summary == _expected_summary(video_id)
    assert summary["url"].startswith(emulator.base_url) and str(video_id) in summary["url"]
    assert (summary["width"], summary["height"]) == (960, 540) and summary["size"] > 0
