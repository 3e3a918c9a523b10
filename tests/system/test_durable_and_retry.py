"""``durable`` and the PixVerse retry policy in a real Airflow (dag.test): what a retry pays for, what the policy
retries and after which pause, and what happens on Airflow 3.1 (no task_state_store, no retry_policy)."""

from __future__ import annotations

import os
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from pixverse_provider.api import Endpoint
from pixverse_provider.operators.resume import NOT_DURABLE
from pixverse_provider.retry_policy import AIRFLOW_HAS_RETRY_POLICY
from tests.integration.conftest import connection_json
from tests.integration.helpers import sent
from tests.system.conftest import run_dag, task_states
from tests.system.dag_files import run_dag_files
from tests.system.test_results import AIRFLOW_HAS_TASK_STATE_STORE

T2V = Endpoint.TEXT_TO_VIDEO
EXAMPLE = Path(__file__).parent.parent.parent / "example_dags" / "pixverse_retry_policy.py"
POLICY_PAUSE = timedelta(seconds=2)
"""The pause the policy of tests/dags/retry_dags.py asks for."""
NO_STORE = "No task_state_store (Airflow < 3.3): a retry after a crash submits again"


def task_instances(dag_run: Any) -> dict[int, Any]:
    return {ti.map_index: ti for ti in dag_run.get_task_instances()}


def submitted_prompts(emulator: Any) -> list[str]:
    return [entry["body"]["prompt"] for entry in emulator.state.request_log(path=T2V.value)]


def history(dag_run: Any, map_index: int = -1) -> list[Any]:
    """The earlier tries of the task ``fox`` (TaskInstanceHistory rows), oldest first."""
    from airflow.models.taskinstancehistory import TaskInstanceHistory
    from airflow.utils.session import create_session

    with create_session() as session:
        rows = (
            session.query(TaskInstanceHistory)
            .filter_by(dag_id=dag_run.dag_id, run_id=dag_run.run_id, task_id="fox", map_index=map_index)
            .order_by(TaskInstanceHistory.try_number)
            .all()
        )
        session.expunge_all()
    return rows


def test_durable_false_pays_for_a_new_video_on_retry_and_says_so(emulator, capfd) -> None:
    run = run_dag("retry_dags", "retry_durable_false")
    assert task_states(run) == {"fox": "success"}
    assert task_instances(run)[-1].try_number == 2  # a retry really happened
    assert sent(emulator, "POST", T2V) == 2
    assert emulator.counters()["generations_charged"] == 2
    out, err = capfd.readouterr()
    assert NOT_DURABLE in out + err


def test_durable_true_resumes_on_3_3_and_pays_again_without_a_store(emulator, capfd) -> None:
    run = run_dag("retry_dags", "retry_durable_true")
    assert task_states(run) == {"fox": "success"}
    assert task_instances(run)[-1].try_number == 2
    out, err = capfd.readouterr()
    if AIRFLOW_HAS_TASK_STATE_STORE:
        assert emulator.counters()["generations_charged"] == 1
        assert "Resuming video" in out + err
    else:  # Airflow 3.1/3.2: durable=True cannot resume, and the log says why
        assert emulator.counters()["generations_charged"] == 2
        assert NO_STORE in out + err
    assert NOT_DURABLE not in out + err


def test_durable_is_decided_per_map_index(emulator) -> None:
    run = run_dag("retry_dags", "retry_durable_mapped")
    tis = task_instances(run)
    assert {index: str(ti.state) for index, ti in tis.items()} == {0: "success", 1: "success"}
    assert {index: ti.try_number for index, ti in tis.items()} == {0: 2, 1: 2}
    takes = [prompt.split(", take ")[1][0] for prompt in submitted_prompts(emulator)]
    durable_submits = 1 if AIRFLOW_HAS_TASK_STATE_STORE else 2
    assert sorted(takes) == sorted(["0"] * durable_submits + ["1"] * 2)
    videos = {index: ti.xcom_pull(task_ids="fox", map_indexes=index) for index, ti in tis.items()}
    assert len(set(videos.values())) == 2  # each index ended with its own video


def test_durable_must_be_a_literal_bool() -> None:
    from pixverse_provider.exceptions import PixVerseConfigurationError
    from pixverse_provider.operators import PixVerseTextToVideoOperator

    with pytest.raises(PixVerseConfigurationError, match=r"Task 'fox': durable must be True or False, got 'False'"):
        PixVerseTextToVideoOperator(task_id="fox", prompt="a fox", durable="False")  # type: ignore[arg-type]


needs_retry_policy = pytest.mark.skipif(not AIRFLOW_HAS_RETRY_POLICY, reason="retry_policy arrived in Airflow 3.3")


@needs_retry_policy
def test_a_failed_video_is_retried_after_the_policys_pause_and_succeeds(emulator) -> None:
    run = run_dag("retry_dags", "policy_status_8")
    assert task_states(run) == {"fox": "success"}
    prompts = submitted_prompts(emulator)
    assert len(prompts) == 2 and "[emulate:failure]" in prompts[0] and "[emulate:failure]" not in prompts[1]
    (first,) = history(run)
    assert first.retry_delay_override == POLICY_PAUSE.total_seconds()  # the policy's pause, not retry_delay=0
    assert "status 8" in first.retry_reason and "Ai-trace-id" in first.retry_reason
    second = task_instances(run)[-1]
    assert second.try_number == 2
    assert second.start_date >= first.end_date + POLICY_PAUSE  # Airflow held the retry for the pause


@needs_retry_policy
def test_a_moderated_video_fails_without_a_retry_even_with_retries_left(emulator) -> None:
    run = run_dag("retry_dags", "policy_moderation")
    assert task_states(run) == {"fox": "failed"}
    assert task_instances(run)[-1].try_number == 1
    assert history(run) == []
    assert sent(emulator, "POST", T2V) == 1


@needs_retry_policy
def test_the_example_dag_retries_its_failed_video_and_lands_the_second(emulator, tmp_path) -> None:
    """example_dags/pixverse_retry_policy.py alone, as test_example_dags runs every example (a fresh process)."""
    dags_folder = tmp_path / "dags"
    dags_folder.mkdir()
    shutil.copy(EXAMPLE, dags_folder / EXAMPLE.name)
    env = {**os.environ, "AIRFLOW_CONN_PIXVERSE_DEFAULT": connection_json(emulator.base_url),
           "PIXVERSE_OUTPUT_DIR": str(tmp_path / "videos")}  # fmt: skip
    results, output = run_dag_files(dags_folder, env=env, cwd=tmp_path)
    assert results[EXAMPLE.stem]["tasks"] == {"lighthouse": "success"}
    prompts = submitted_prompts(emulator)
    assert len(prompts) == 2 and "[emulate:failure]" in prompts[0] and "[emulate:failure]" not in prompts[1]
    assert "Retry policy decision" in output and "status 8" in output
    video_id = results[EXAMPLE.stem]["return_values"]["lighthouse"]
    assert (tmp_path / "videos" / f"pixverse_{video_id}.mp4").is_file()
