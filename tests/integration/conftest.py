"""Hooks (and later operators) against a real emulator over loopback HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from pixverse_provider.emulator import EmulatorConfig, EmulatorServer

API_KEY = "pv-test-key-5f1c9a7e2d"
"""Distinctive, so a test can search every log line and message for it."""


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorServer]:
    config = EmulatorConfig(api_keys=(API_KEY,), generation_seconds=30, concurrency=5, credits=100_000)
    with EmulatorServer(config) as server:
        yield server


@pytest.fixture(autouse=True)
def fresh_emulator(emulator: EmulatorServer) -> EmulatorServer:
    """Every test starts with no jobs, no uploads, full credits, no faults and zeroed counters."""
    emulator.reset()
    return emulator


def connection_json(base_url: str, api_key: str = API_KEY, **extra: object) -> str:
    conn: dict[str, object] = {"conn_type": "pixverse", "host": base_url, "password": api_key}
    if extra:
        conn["extra"] = extra
    return json.dumps(conn)


@pytest.fixture(autouse=True)
def pixverse_connection(emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """``pixverse_default`` points at the emulator, with short timeouts so fault tests stay quick."""
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json(emulator.base_url, request_timeout=2))
