"""Fault injection seen from raw HTTP clients: each kind, counts, matching, and that faulted requests count."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
import requests

from pixverse_provider.api.endpoints import Endpoint
from pixverse_provider.emulator import EmulatorServer
from pixverse_provider.emulator.faults import Fault
from pixverse_provider.emulator.synthetic import make_png

from .conftest import T2V, Api

BALANCE = Endpoint.BALANCE.value


def sent(server: EmulatorServer, method: str, path: str) -> int:
    return int(server.counters()["requests"].get(f"{method} {path}", 0))


def test_status_fault_then_normal(api: Api) -> None:
    api.server.inject(BALANCE, "status", status=503)
    first = requests.get(api.url(BALANCE), headers=api.headers(), timeout=5)
    assert first.status_code == 503
    with pytest.raises(ValueError):
        first.json()
    assert api.get(BALANCE)["ErrCode"] == 0
    assert sent(api.server, "GET", BALANCE) == 2


def test_retry_after_fault(api: Api) -> None:
    api.server.inject(BALANCE, "retry_after", retry_after=2)
    response = httpx.get(api.url(BALANCE), headers=api.headers(), timeout=5)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "2"


def test_slow_fault_delays_then_answers_normally(api: Api) -> None:
    api.server.inject(BALANCE, "slow", delay=0.3)
    started = time.monotonic()
    answer = api.get(BALANCE)
    assert time.monotonic() - started >= 0.3
    assert answer["ErrCode"] == 0


def test_drop_fault_breaks_the_response(api: Api) -> None:
    api.server.inject(BALANCE, "drop")
    with pytest.raises((requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        requests.get(api.url(BALANCE), headers=api.headers(), timeout=5)
    api.server.inject(BALANCE, "drop")
    with pytest.raises(httpx.TransportError):
        httpx.get(api.url(BALANCE), headers=api.headers(), timeout=5)
    assert api.get(BALANCE)["ErrCode"] == 0


def test_malformed_fault_is_not_json(api: Api) -> None:
    api.server.inject(BALANCE, "malformed")
    response = requests.get(api.url(BALANCE), headers=api.headers(), timeout=5)
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()


@pytest.mark.parametrize("code", [500044, 500069, 500100])
def test_err_code_fault_answers_the_code_without_side_effects(api: Api, code: int) -> None:
    api.server.inject(Endpoint.TEXT_TO_VIDEO.value, "err_code", err_code=code)
    answer = api.post(Endpoint.TEXT_TO_VIDEO.value, T2V)
    assert (answer["ErrCode"], answer["Resp"]) == (code, None)
    assert answer["ErrMsg"]
    counters = api.server.counters()
    assert (counters["jobs_created"], counters["credits_charged"]) == (0, 0)
    assert api.post(Endpoint.TEXT_TO_VIDEO.value, T2V)["ErrCode"] == 0


def test_null_resp_fault_answers_success_without_resp(api: Api) -> None:
    video_id = api.submit(Endpoint.TEXT_TO_VIDEO.value, T2V)
    result = Endpoint.VIDEO_RESULT.format(video_id=video_id)
    added = requests.post(
        f"{api.server.base_url}/_emulator/faults", json={"path": result, "kind": "null_resp"}, timeout=5
    )
    assert added.status_code == 200 and added.json()["fault"]["kind"] == "null_resp"
    assert api.get(result) == {"ErrCode": 0, "ErrMsg": "success", "Resp": None}
    assert api.video(video_id)["id"] == video_id  # one request only: the next answers normally


def test_null_resp_fault_on_a_generation_creates_nothing(api: Api) -> None:
    api.server.inject(Endpoint.TEXT_TO_VIDEO.value, "null_resp")
    assert api.post(Endpoint.TEXT_TO_VIDEO.value, T2V)["Resp"] is None
    counters = api.server.counters()
    assert (counters["jobs_created"], counters["credits_charged"]) == (0, 0)


def test_count_is_respected_and_faulted_requests_are_counted(api: Api) -> None:
    api.server.inject(BALANCE, "status", count=3, status=502)
    assert api.server.counters()["faults_pending"] == 3
    statuses = [requests.get(api.url(BALANCE), headers=api.headers(), timeout=5).status_code for _ in range(4)]
    assert statuses == [502, 502, 502, 200]
    counters = api.server.counters()
    assert counters["requests"][f"GET {BALANCE}"] == 4
    assert (counters["faults_pending"], counters["faults_injected"]) == (0, 3)
    log = api.server.state.request_log(BALANCE)
    assert [e["fault"] for e in log] == ["status", "status", "status", None]


def test_glob_and_method_matching(api: Api) -> None:
    video_id = api.submit(Endpoint.TEXT_TO_VIDEO.value, T2V)
    api.server.inject("/openapi/v2/video/result/*", "status", method="GET", status=500)
    api.server.inject("/openapi/v2/*", "status", method="DELETE", status=500)
    result = requests.get(api.url(Endpoint.VIDEO_RESULT.format(video_id=video_id)), headers=api.headers(), timeout=5)
    assert result.status_code == 500
    assert api.get(BALANCE)["ErrCode"] == 0  # the DELETE fault matches no GET
    assert api.server.counters()["faults_pending"] == 1


def test_media_downloads_can_be_faulted(api: Api) -> None:
    video_id = api.finished_video()
    url = api.video(video_id)["url"]
    api.server.inject("/_emulator/media/video/*", "drop")
    with pytest.raises((requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        requests.get(url, timeout=5)
    assert len(requests.get(url, timeout=5).content) == api.video(video_id)["size"]


def test_upload_is_answered_not_cut_off(api: Api) -> None:
    """A fault on an upload still reads the whole body, so the client sees the answer."""
    api.server.inject(Endpoint.UPLOAD_IMAGE.value, "status", status=503)
    big = make_png(16, 16) + bytes(8 * 1024 * 1024)
    response = requests.post(
        api.url(Endpoint.UPLOAD_IMAGE.value), files={"image": ("a.png", big)}, headers=api.headers(), timeout=10
    )
    assert response.status_code == 503
    assert api.server.counters()["uploads"] == 0


def test_admin_api_is_never_faulted(api: Api) -> None:
    api.server.inject("*", "status", count=5, status=500)
    assert requests.get(f"{api.server.base_url}/_emulator/health", timeout=5).status_code == 200
    assert requests.get(f"{api.server.base_url}/_emulator/counters", timeout=5).json()["faults_pending"] == 5


def test_faults_over_the_admin_api(fresh: EmulatorServer) -> None:
    base = fresh.base_url
    body = {"path": BALANCE, "kind": "err_code", "err_code": 500044, "count": 2}
    added = requests.post(f"{base}/_emulator/faults", json=body, timeout=5)
    assert added.status_code == 200
    assert added.json()["fault"]["err_code"] == 500044 and added.json()["faults_pending"] == 2
    listed = requests.get(f"{base}/_emulator/faults", timeout=5).json()["faults"]
    assert [(f["path"], f["remaining"]) for f in listed] == [(BALANCE, 2)]
    assert Api(fresh).get(BALANCE)["ErrCode"] == 500044
    assert requests.delete(f"{base}/_emulator/faults", timeout=5).json() == {"cleared": 1}
    assert Api(fresh).get(BALANCE)["ErrCode"] == 0


@pytest.mark.parametrize(
    "body",
    [
        {"path": BALANCE, "kind": "explode"},
        {"path": BALANCE},
        {"path": BALANCE, "kind": "status", "count": 0},
        {"path": BALANCE, "kind": "status", "status": 42},
        {"path": BALANCE, "kind": "slow", "delay": -1},
        {"path": BALANCE, "kind": "err_code", "err_code": 0},
        {"path": BALANCE, "kind": "status", "colour": "red"},
        {"path": "no-slash", "kind": "status"},
        [1, 2],
    ],
)
def test_bad_fault_is_refused(fresh: EmulatorServer, body: Any) -> None:
    response = requests.post(f"{fresh.base_url}/_emulator/faults", json=body, timeout=5)
    assert response.status_code == 400 and response.json()["error"]
    assert fresh.counters()["faults_pending"] == 0


def test_fault_matching_rules() -> None:
    fault = Fault(path="/openapi/v2/video/result/*", kind="status", method="get")
    assert fault.matches("GET", "/openapi/v2/video/result/300000000000001")
    assert not fault.matches("POST", "/openapi/v2/video/result/300000000000001")
    assert not fault.matches("GET", "/openapi/v2/account/balance")
    assert Fault(path=BALANCE, kind="drop").matches("PUT", BALANCE)
