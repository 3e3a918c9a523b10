"""Results and money in a real Airflow (dag.test): files land, assets and links appear, guards stop
spending, the concurrency limit is waited out, and a retry never pays twice."""

from __future__ import annotations

import importlib.util

import pytest
from airflow.sdk import ObjectStoragePath

from pixverse_provider.api import Endpoint
from pixverse_provider.emulator.synthetic import sample_mp4
from tests.integration.helpers import sent
from tests.system.conftest import run_dag, task_states, xcom

T2V = Endpoint.TEXT_TO_VIDEO
AIRFLOW_HAS_TASK_STATE_STORE = importlib.util.find_spec("airflow.sdk.bases.resumablejobmixin") is not None


def tries(dag_run, task_id: str = "fox") -> list[int]:
    return sorted(ti.try_number for ti in dag_run.get_task_instances() if ti.task_id == task_id)


def test_video_lands_in_a_local_folder_named_by_its_id(tmp_path, emulator) -> None:
    run = run_dag("results_dags", "land_local", output_path=f"{tmp_path}/videos/")
    assert task_states(run) == {"fox": "success"}
    video_id = xcom(run, "fox")
    expected = tmp_path / "videos" / f"pixverse_{video_id}.mp4"
    assert xcom(run, "fox", "video_path") == expected.as_uri()
    assert expected.read_bytes() == sample_mp4()


def test_sensor_lands_the_video_in_an_object_store(emulator) -> None:
    run = run_dag("results_dags", "land_object_store", output_path="memory://videos/run-7/")
    assert task_states(run) == {"fox": "success", "ready": "success"}
    video_id = xcom(run, "fox")
    landed = xcom(run, "ready", "video_path")
    assert landed.startswith("memory://")  # Airflow 3.1 writes memory:///, 3.3 memory://
    assert landed.endswith(f"videos/run-7/pixverse_{video_id}.mp4")
    assert ObjectStoragePath(landed).read_bytes() == sample_mp4()


def test_asset_events_carry_the_video_metadata(tmp_path, emulator) -> None:
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session

    run = run_dag("results_dags", "land_local", output_path=f"{tmp_path}/")
    video_id = xcom(run, "fox")
    with create_session() as session:
        rows = (
            session.query(AssetModel.uri, AssetEvent.extra)
            .join(AssetEvent, AssetEvent.asset_id == AssetModel.id)
            .filter(AssetEvent.source_run_id == run.run_id)
        )
        events = [(uri, extra) for uri, extra in rows]
    by_uri = dict(events)
    fox_extra = by_uri["pixverse://videos/fox"]
    assert fox_extra["video_id"] == video_id
    assert {k: fox_extra[k] for k in ("mode", "model", "duration", "quality", "credits")} == {
        "mode": "text_to_video", "model": "v5", "duration": 5, "quality": "540p", "credits": 45,
    }  # fmt: skip
    file_uri = (tmp_path / f"pixverse_{video_id}.mp4").as_uri()
    assert by_uri[file_uri]["video_id"] == video_id  # the AssetAlias emitted the landed file


def test_extra_link_points_at_the_video(tmp_path, emulator) -> None:
    run = run_dag("results_dags", "land_local", output_path=f"{tmp_path}/")
    link = xcom(run, "fox", "_link_PixVerseVideoLink")
    assert link == xcom(run, "fox", "video")["url"]
    assert link.endswith(f"/{xcom(run, 'fox')}.mp4")


def test_max_credits_stops_the_task_before_submitting(emulator) -> None:
    run = run_dag("results_dags", "over_budget")
    assert task_states(run) == {"fox": "failed"}
    assert emulator.counters()["requests_total"] == 0


def test_check_balance_reads_the_balance_and_does_not_submit_when_short(emulator) -> None:
    emulator.state.update_config(credits=30)
    run = run_dag("results_dags", "balance_check")
    assert task_states(run) == {"fox": "failed"}
    assert sent(emulator, "GET", Endpoint.BALANCE) == 1
    assert sent(emulator, "POST", T2V) == 0


def test_check_balance_passes_when_credits_suffice(emulator) -> None:
    run = run_dag("results_dags", "balance_check")
    assert task_states(run) == {"fox": "success"}
    assert sent(emulator, "POST", T2V) == 1


BUSY = 3
"""Submits the emulator answers with 500044 (no free slot) before it accepts them again."""


def run_mapped(emulator, dag_id: str):
    # The limit is met for sure: the first BUSY submits are answered 500044, whatever the machine's speed;
    # the plan's own limit is never met, so those are the only ones.
    emulator.state.update_config(concurrency=10)
    emulator.inject(T2V.value, "err_code", count=BUSY, method="POST", err_code=500044)
    return run_dag("results_dags", dag_id)


@pytest.mark.parametrize("dag_id", ["mapped_deferrable", "mapped_polling"])
def test_mapped_generations_wait_for_free_slots(emulator, dag_id) -> None:
    run = run_mapped(emulator, dag_id)
    assert set(task_states(run).values()) == {"success"}
    assert len(run.get_task_instances()) == 6
    assert tries(run) == [1] * 6  # the waits used no task retry
    assert emulator.counters()["generations_charged"] == 6
    assert sent(emulator, "POST", T2V) == 6 + BUSY  # each refused attempt was sent again, once


def test_a_slot_that_never_frees_fails_saying_how_long_it_tried(emulator, capfd) -> None:
    emulator.inject(T2V.value, "err_code", count=1000, method="POST", err_code=500044)
    run = run_dag("results_dags", "no_free_slot")
    assert task_states(run) == {"fox": "failed"}
    out, err = capfd.readouterr()
    text = out + err
    attempts = sent(emulator, "POST", T2V)
    assert attempts >= 2
    assert f"no free slot after {attempts} attempts over" in text
    assert "concurrency_timeout=3s" in text
    # one error, not a chain of one traceback per attempt
    assert "During handling of the above exception" not in text
    assert emulator.counters()["generations_charged"] == 0


def test_fail_fast_on_the_concurrency_limit(emulator) -> None:
    emulator.state.update_config(concurrency=2, generation_seconds=30)
    run = run_dag("results_dags", "concurrency_fail_fast")
    states = sorted(ti.state for ti in run.get_task_instances())
    assert states == ["failed", "success", "success"]
    assert sent(emulator, "POST", T2V) == 3


needs_state_store = pytest.mark.skipif(
    not AIRFLOW_HAS_TASK_STATE_STORE, reason="task_state_store arrived in Airflow 3.3; without it a retry submits again"
)


@needs_state_store
def test_retry_resumes_the_paid_video_instead_of_paying_again(emulator) -> None:
    run = run_dag("results_dags", "resume_after_timeout")
    assert task_states(run) == {"fox": "success"}
    assert tries(run)[0] > 1  # a retry really happened
    assert emulator.counters()["generations_charged"] == 1
    assert sent(emulator, "POST", T2V) == 1
    first_video = emulator.state.request_log(path=T2V.value)[0]
    assert xcom(run, "fox") == xcom(run, "fox", "video")["video_id"]
    assert first_video["err_code"] in (None, 0)


@needs_state_store
def test_retry_that_finds_a_moderated_video_fails_without_resubmitting(emulator) -> None:
    run = run_dag("results_dags", "resume_finds_moderation")
    assert task_states(run) == {"fox": "failed"}
    assert sent(emulator, "POST", T2V) == 1


@needs_state_store
def test_retry_after_a_failed_video_submits_again(emulator) -> None:
    run = run_dag("results_dags", "resubmit_after_failure")
    assert task_states(run) == {"fox": "failed"}
    assert tries(run) == [2]
    assert sent(emulator, "POST", T2V) == 2


@needs_state_store
def test_retry_with_a_changed_request_pays_for_the_new_one(emulator, capfd) -> None:
    run = run_dag("results_dags", "resume_after_prompt_change")
    assert task_states(run) == {"fox": "success"}
    prompts = [entry["body"]["prompt"] for entry in emulator.state.request_log(path=T2V.value)]
    assert [p.rsplit(", ", 1)[1].split(" [")[0] for p in prompts] == ["take 1", "take 2"]
    assert emulator.counters()["generations_charged"] == 2
    out, err = capfd.readouterr()
    assert "for a different request" in out + err


@pytest.mark.skipif(AIRFLOW_HAS_TASK_STATE_STORE, reason="Airflow 3.3+ has a task_state_store")
def test_without_a_state_store_a_retry_says_it_cannot_resume(emulator, capfd) -> None:
    run = run_dag("results_dags", "resubmit_after_failure")
    assert task_states(run) == {"fox": "failed"}
    out, err = capfd.readouterr()
    assert "a retry after a crash submits again" in out + err
