"""The view's security, against a real api-server with real users (tests/ui/deployment.py): no route answers
an anonymous request, a user sees only the DAGs the auth manager lets them read, every answer carries a
Content-Security-Policy, the API key reaches no response or log, and the file route serves only landed videos.
Runs on every supported Airflow (3.1's plugin interface has all this needs)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests

from scripts.standalone import EMULATOR_KEY
from tests.ui.auth_manager import LIMITED_DAG, LIMITED_USER
from tests.ui.dags.ui_dags import XSS_PROMPT
from tests.ui.deployment import UiDeployment

pytestmark = pytest.mark.e2e


def task(ui: UiDeployment, dag_id: str, task_id: str, map_index: int = -1) -> str:
    return urlencode({"dag_id": dag_id, "run_id": ui.runs[dag_id], "task_id": task_id, "map_index": map_index})


def every_route(ui: UiDeployment) -> list[str]:
    fox = task(ui, "ui_fox", "fox_ready")
    return [
        "",
        f"task?{fox}",
        "static/view.js",
        "static/view.css",
        "static/pixverse.svg",
        "api/videos",
        f"api/task-video?{fox}",
        "api/credits",
        f"api/file?{fox}",
        f"api/reason?{fox}",
    ]


def test_an_anonymous_request_gets_nothing(ui: UiDeployment) -> None:
    for route in every_route(ui):
        response = ui.view(route)
        assert response.status_code == 401, route
        assert response.json() == {"detail": "Not authenticated"}, route


def test_the_view_publishes_no_api_description(ui: UiDeployment) -> None:
    for route in ("docs", "redoc", "openapi.json"):
        answer = ui.view(route, ui.token("admin"))
        assert answer.status_code == 404 and answer.json() == {"detail": "Not Found"}, route


def test_a_forged_token_gets_nothing(ui: UiDeployment) -> None:
    for route in every_route(ui):
        response = ui.view(route, token="not.a.jwt")
        assert response.status_code == 403, route
        assert "video" not in response.text.lower(), route
        cookie = requests.get(f"{ui.api}/pixverse/{route}", cookies={"_token": "forged"}, timeout=30)
        assert cookie.status_code == 403, route


def test_the_admin_sees_every_dags_videos_and_the_ui_session_cookie_works(ui: UiDeployment) -> None:
    token = ui.token("admin")
    listed = ui.view("api/videos", token).json()
    assert {v["dag_id"] for v in listed["videos"]} == {"ui_fox", "ui_mapped", "ui_escaped", "ui_private", "ui_failed"}
    by_cookie = requests.get(f"{ui.api}/pixverse/api/videos", cookies={"_token": token}, timeout=30)
    assert by_cookie.json()["total"] == listed["total"] == 6
    spent = ui.view("api/credits", token).json()  # no mode of these says what it charged: the estimates count
    assert spent["total"] == sum(v["estimated_credits"] for v in listed["videos"]) > 0
    assert {v["charged_credits"] for v in listed["videos"]} == {None}


def test_a_user_sees_only_the_dags_the_auth_manager_lets_them_read(ui: UiDeployment) -> None:
    token = ui.token(LIMITED_USER)
    listed = ui.view("api/videos", token).json()
    assert listed["dag_ids"] == [LIMITED_DAG]
    assert [v["dag_id"] for v in listed["videos"]] == [LIMITED_DAG]
    assert ui.view("api/videos", token, params={"dag_id": "ui_private"}).json()["total"] == 0
    private = task(ui, "ui_private", "secret_clip")
    for route in (f"api/task-video?{private}", f"api/file?{private}"):
        answer = ui.view(route, token)
        assert answer.status_code == 404, route
        assert "Only the admin" not in answer.text
    assert set(ui.view("api/credits", token).json()["dags"]) == {LIMITED_DAG}
    assert ui.view(f"api/task-video?{task(ui, 'ui_fox', 'fox')}", token).json()["dag_id"] == LIMITED_DAG


def test_a_failed_videos_reason_comes_from_its_task_log_for_those_who_may_read_it(ui: UiDeployment) -> None:
    doomed = task(ui, "ui_failed", "doomed_clip")
    found = ui.view(f"api/reason?{doomed}", ui.token("admin")).json()
    assert found["kind"] == "generation failed (status 8)"
    assert "Video " in found["reason"]  # PixVerseVideoFailedError's message, with PixVerse's own words
    assert ui.view(f"api/reason?{doomed}", ui.token(LIMITED_USER)).status_code == 404
    assert ui.view(f"api/reason?{task(ui, 'ui_fox', 'fox')}", ui.token("admin")).status_code == 404


def test_every_answer_sends_a_content_security_policy_without_inline_code(ui: UiDeployment) -> None:
    token = ui.token("admin")
    for route in every_route(ui):
        for who in (token, None):
            policy = ui.view(route, who).headers.get("Content-Security-Policy", "")
            assert "script-src 'self'" in policy and "unsafe-inline" not in policy, (route, policy)
            assert "default-src 'none'" in policy and "frame-ancestors 'self'" in policy


def test_prompts_are_served_as_data_and_the_page_never_writes_html(ui: UiDeployment) -> None:
    token = ui.token("admin")
    html = ui.view(f"api/task-video?{task(ui, 'ui_escaped', 'html_prompt')}", token)
    assert html.headers["Content-Type"] == "application/json"
    assert html.json()["prompt"] == XSS_PROMPT
    script = ui.view("static/view.js", token).text
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script
    assert ui.view("", token).headers["X-Content-Type-Options"] == "nosniff"


def test_the_api_key_reaches_no_response_and_no_log(ui: UiDeployment) -> None:
    token = ui.token("admin")
    routes = [*every_route(ui), "api/videos?page=1&status=succeeded", f"task?{task(ui, 'ui_private', 'secret_clip')}"]
    for route in routes:
        answer = ui.view(route, token)
        assert EMULATOR_KEY not in answer.text, route
        assert "pixverse_default" not in answer.text, route
        assert all(EMULATOR_KEY not in value for value in answer.headers.values())
    assert EMULATOR_KEY not in (ui.logs / "api-server.log").read_text(errors="replace")


def test_the_balance_is_read_once_for_many_page_views(ui: UiDeployment) -> None:
    token = ui.token("admin")
    answers = [ui.view("api/credits", token).json()["balance"] for _ in range(3)]
    assert answers[0]["available"] is True and answers[0]["total"] > 0
    assert len({a["read_at"] for a in answers}) == 1  # one read served all three views


def test_a_landed_video_streams_with_ranges(ui: UiDeployment) -> None:
    token = ui.token("admin")
    fox = ui.view(f"api/task-video?{task(ui, 'ui_fox', 'fox')}", token).json()
    landed = Path(fox["landed"].removeprefix("file://")).read_bytes()
    whole = ui.view(fox["stream"], token)
    assert whole.status_code == 200 and whole.content == landed
    assert whole.headers["Accept-Ranges"] == "bytes" and whole.headers["Content-Type"] == "video/mp4"
    part = ui.view(fox["stream"], token, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(landed)}"
    assert part.content == landed[100:200]
    tail = ui.view(fox["stream"], token, headers={"Range": "bytes=-50"})
    assert tail.status_code == 206 and tail.content == landed[-50:]
    beyond = ui.view(fox["stream"], token, headers={"Range": f"bytes={len(landed)}-"})
    assert beyond.status_code == 416


@pytest.mark.parametrize(
    "tampered",
    [
        {"task_id": "../../../../etc/passwd"},
        {"dag_id": "../ui_fox", "task_id": "fox_ready"},
        {"task_id": "/etc/passwd"},
        {"task_id": "fox_ready", "path": "/etc/passwd"},
        {"task_id": "fox_ready", "map_index": "../../1"},
        {"task_id": "fox"},  # a task of the run that recorded no landed file
    ],
)
def test_the_file_route_serves_only_what_a_recorded_video_landed(ui: UiDeployment, tampered: dict[str, str]) -> None:
    token = ui.token("admin")
    query = {"dag_id": "ui_fox", "run_id": ui.runs["ui_fox"], "map_index": "-1", **tampered}
    answer = ui.view(f"api/file?{urlencode(query)}", token)
    if tampered.keys() <= {"task_id", "path", "map_index"} and tampered.get("task_id") == "fox_ready":
        assert answer.status_code == 200  # extra parameters are ignored: still the recorded file, nothing else
        assert answer.content[4:8] == b"ftyp"
    else:
        assert answer.status_code == 404
        assert b"root:" not in answer.content
