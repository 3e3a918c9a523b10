"""The human-in-the-loop review example (example_dags/pixverse_review.py) in a real deployment: the reviews are
answered through Airflow's REST API (the HITL endpoints), as the UI's Required Actions page answers them."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from pixverse_provider.api.endpoints import Endpoint
from pixverse_provider.emulator.probe import probe_media
from tests.e2e.deployment import Deployment

EXAMPLES = Path(__file__).parent.parent.parent / "example_dags"
DAG_ID = "pixverse_review"
pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    root = tmp_path_factory.mktemp("review")
    dags = root / "dags"
    dags.mkdir()
    shutil.copy(EXAMPLES / "pixverse_review.py", dags / "pixverse_review.py")
    airflow = Deployment(home=root / "home", dags_folder=dags, output_dir=root / "videos")
    try:
        yield airflow.start()
    finally:
        survivors = airflow.stop()
        assert survivors == [], f"processes left behind: {survivors}"


def hitl_path(run_id: str, task_id: str) -> str:
    return f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances/{task_id}/-1/hitlDetails"


def await_review(deployment: Deployment, run_id: str, task_id: str, timeout: float = 180) -> dict[str, Any]:
    """The review's HITL detail, once the task waits for an answer and the scheduler has heard that the process
    which parked it exited; fails at once if the run fails first.

    Answering earlier loses the task: the answer puts it back in the executor's queue, and when the executor's
    report of the parking process's exit arrives after that, the scheduler takes the task for killed and fails
    it ("state changed externally", Airflow 3.1-3.3; Deployment.generation_seconds avoids the same race for
    triggers). A person never answers within those few seconds; a test does."""
    found: dict[str, Any] = {}

    def waiting() -> bool:
        run = deployment.get(f"/dags/{DAG_ID}/dagRuns/{run_id}")
        states = {ti["task_id"]: ti["state"] for ti in deployment.task_instances(DAG_ID, run_id)}
        assert run["state"] in ("queued", "running"), f"the run ended before {task_id} waited: {states}"
        parked = states.get(task_id) in ("deferred", "awaiting_input")  # 3.1 defers; 3.3 awaits input
        if not (parked and parked_exit_seen(deployment, run_id, task_id)):
            return False
        found.update(deployment.get(hitl_path(run_id, task_id)))
        return True

    deployment.wait_until(waiting, timeout, f"{task_id} of {run_id} to wait for a review")
    return found


def parked_exit_seen(deployment: Deployment, run_id: str, task_id: str) -> bool:
    """Whether the scheduler has processed the executor's report that the task's (first) process exited."""
    key = f"task_id='{task_id}', run_id='{run_id}'"
    log = (deployment.logs / "scheduler.log").read_text(errors="replace")
    return any("Received executor event with state success" in line and key in line for line in log.splitlines())


def answer(deployment: Deployment, run_id: str, task_id: str, detail: dict[str, Any], choice: str, note: str) -> None:
    """Answer as the Required Actions form does: every field of the form, the note filled in."""
    fields = {name: spec.get("value") for name, spec in (detail.get("params") or {}).items()}
    payload = {"chosen_options": [choice], "params_input": {**fields, "note": note}}
    response = deployment.http.patch(f"{deployment.api}/api/v2{hitl_path(run_id, task_id)}", json=payload, timeout=30)
    assert response.status_code == 200, response.text


def is_parsed(deployment: Deployment) -> bool:
    try:
        deployment.get(f"/dags/{DAG_ID}")
    except requests.HTTPError:
        return False
    return True


def generate_prompts(deployment: Deployment) -> list[str]:
    """The prompts PixVerse (the emulator) received, oldest first."""
    path = Endpoint.TEXT_TO_VIDEO.value
    logged = requests.get(f"{deployment.emulator}/_emulator/requests", params={"path": path}, timeout=10)
    return [entry["body"]["prompt"] for entry in logged.json()["requests"] if entry["body"]]


def test_a_bad_parameter_is_refused_before_the_run_starts(deployment: Deployment) -> None:
    deployment.wait_until(lambda: is_parsed(deployment), 180, f"{DAG_ID} to be parsed")
    response = deployment.http.post(
        f"{deployment.api}/api/v2/dags/{DAG_ID}/dagRuns",
        json={"logical_date": None, "conf": {"max_regenerations": 9}},
        timeout=30,
    )
    assert response.status_code == 400
    assert "max_regenerations" in response.text and "maximum" in response.text
    assert deployment.get(f"/dags/{DAG_ID}/dagRuns")["total_entries"] == 0


def test_a_rejection_regenerates_with_the_note_and_an_approval_publishes(deployment: Deployment) -> None:
    before = deployment.emulator_counters()["generations_charged"]
    prompt, note = "A paper boat on a rainy street", "make the boat bright red"
    run_id = deployment.trigger(DAG_ID, {"prompt": prompt, "max_regenerations": 2})

    first = await_review(deployment, run_id, "round_1.review")
    first_video = deployment.xcom(DAG_ID, run_id, "round_1.generate", key="video")
    tab = f"{deployment.api}/dags/{DAG_ID}/runs/"
    assert tab in first["body"] and "/tasks/round_1.generate/plugin/pixverse-video" in first["body"]
    assert first_video["url"] in first["body"] and prompt in first["body"]
    answer(deployment, run_id, "round_1.review", first, "Reject", note)

    second = await_review(deployment, run_id, "round_2.review")
    assert f"{prompt}. {note}" in second["body"] and "(1 regeneration(s) left)" in second["body"]
    answer(deployment, run_id, "round_2.review", second, "Approve", "")
    assert deployment.wait_for_run(DAG_ID, run_id, timeout=180) == "success"

    states = {ti["task_id"]: ti["state"] for ti in deployment.task_instances(DAG_ID, run_id)}
    ran = ["round_1.generate", "round_1.review", "round_1.decide", "round_2.generate", "round_2.review"]
    assert {task: states[task] for task in [*ran, "round_2.decide", "round_2.publish"]} == dict.fromkeys(
        [*ran, "round_2.decide", "round_2.publish"], "success"
    )
    assert states["round_1.publish"] == "skipped"
    assert {state for task, state in states.items() if task.startswith(("round_3.", "round_4."))} == {"skipped"}

    assert generate_prompts(deployment)[-2:] == [prompt, f"{prompt}. {note}"]
    assert deployment.emulator_counters()["generations_charged"] - before == 2

    video_id = deployment.xcom(DAG_ID, run_id, "round_2.generate")
    published = deployment.output_dir / "published" / f"pixverse_{video_id}.mp4"
    assert deployment.xcom(DAG_ID, run_id, "round_2.publish") == str(published)
    info = probe_media(published)
    assert info is not None and info.kind == "video" and info.format == "mp4" and info.duration_seconds == 5.0

    events = deployment.get("/assets/events", source_dag_id=DAG_ID, source_run_id=run_id)["asset_events"]
    assert [(event["uri"], event["source_task_id"]) for event in events] == [
        ("pixverse://videos/reviewed", "round_2.publish")
    ]
    assert events[0]["extra"]["video_id"] == video_id and events[0]["extra"]["path"] == str(published)


def test_one_rejection_too_many_fails_the_run_naming_the_limit(deployment: Deployment) -> None:
    before = deployment.emulator_counters()["generations_charged"]
    run_id = deployment.trigger(DAG_ID, {"prompt": "A lighthouse in a storm", "max_regenerations": 0})
    review = await_review(deployment, run_id, "round_1.review")
    assert "Reject** fails the run: max_regenerations=0" in review["body"]
    answer(deployment, run_id, "round_1.review", review, "Reject", "less rain")
    assert deployment.wait_for_run(DAG_ID, run_id, timeout=120) == "failed"

    states = {ti["task_id"]: ti["state"] for ti in deployment.task_instances(DAG_ID, run_id)}
    assert states["round_1.decide"] == "failed"
    assert "max_regenerations=0" in deployment.task_log(DAG_ID, run_id, "round_1.decide")
    assert {state for task, state in states.items() if task.startswith("round_2.")} <= {"upstream_failed", None}
    assert deployment.emulator_counters()["generations_charged"] - before == 1
