"""The ``pixverse-emulator`` command, run as a real subprocess (``python -m pixverse_provider.emulator``)."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import requests

from pixverse_provider.api.endpoints import Endpoint

COMMAND = [sys.executable, "-m", "pixverse_provider.emulator"]
PREFIX = "pixverse-emulator: error: "


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COMMAND, *args], capture_output=True, text=True, timeout=30)


@contextmanager
def running(*args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """Start the emulator on a free port; yields the process and the first line it printed."""
    process = subprocess.Popen(
        [*COMMAND, "--port", "0", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line, process.stderr.read() if process.stderr else ""
        yield process, line
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def base_url(line: str) -> str:
    found = re.search(r"http://127\.0\.0\.1:\d+", line)
    assert found, line
    return found.group(0)


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serves_the_api_and_stops_cleanly_on_a_signal(stop_signal: signal.Signals) -> None:
    with running("--api-key", "cli-secret-key", "--credits", "777") as (process, line):
        assert "listening on http://127.0.0.1:" in line and "loopback only" in line
        assert "cli-secret-key" not in line
        headers = {"API-KEY": "cli-secret-key", "Ai-trace-id": str(uuid.uuid4())}
        answer = requests.get(base_url(line) + Endpoint.BALANCE.value, headers=headers, timeout=5).json()
        assert answer["ErrCode"] == 0 and answer["Resp"]["credit_package"] == 777
        process.send_signal(stop_signal)
        assert process.wait(15) == 0
        assert process.stderr is not None
        stderr = process.stderr.read()
        assert "Traceback" not in stderr and "cli-secret-key" not in stderr


def test_non_loopback_host_prints_a_warning() -> None:
    with running("--host", "0.0.0.0") as (process, line):
        assert "warning" in line and "NOT loopback" in line
        process.send_signal(signal.SIGTERM)
        assert process.wait(15) == 0


def test_port_in_use_is_a_one_line_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = run("--port", str(taken.getsockname()[1]))
    assert result.returncode == 2
    assert result.stderr.startswith(PREFIX) and result.stderr.count("\n") == 1
    assert "in use" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--port", "70000"],
        ["--port", "-1"],
        ["--port", "eighty"],
        ["--generation-seconds", "-1"],
        ["--generation-seconds", "nan"],
        ["--generation-seconds", "soon"],
        ["--concurrency", "0"],
        ["--concurrency", "2.5"],
        ["--credits", "-10"],
        ["--max-image-side", "x"],
        ["--api-key", ""],
        ["--bogus"],
        ["unexpected"],
    ],
    ids=" ".join,
)
def test_bad_input_is_a_one_line_error_with_exit_code_2(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert result.stderr.startswith(PREFIX), result.stderr
    assert result.stderr.count("\n") == 1 and "usage:" not in result.stderr
    assert result.stdout == ""


def test_help() -> None:
    result = run("--help")
    assert result.returncode == 0
    for flag in ("--host", "--port", "--api-key", "--generation-seconds", "--concurrency", "--credits"):
        assert flag in result.stdout
