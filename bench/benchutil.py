"""Helpers shared by the benchmarks: memory and CPU readings, statistics, child processes, the emulator.

Memory is read from ``/proc/self/status`` (psutil is not installed): ``VmRSS`` now, ``VmHWM`` the peak. The
peak is reset by writing ``5`` to ``/proc/self/clear_refs`` (Linux >= 4.0), so a benchmark measures the peak
of its own window and not the import phase before it; where that is refused, a sampling thread stands in.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
PYTHON = sys.executable
API_KEY = "bench-key-0123456789"


# --------------------------------------------------------------------------------------------- memory


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        match = re.search(rf"^{field}:\s+(\d+) kB", status.read(), re.MULTILINE)
    return int(match.group(1)) if match else 0


def rss_kb() -> int:
    return _status_kb("VmRSS")


def hwm_kb() -> int:
    return _status_kb("VmHWM")


class PeakRss:
    """Peak RSS of this process from ``start()`` on: the kernel's VmHWM after a reset, or sampling."""

    def __init__(self, interval: float = 0.02) -> None:
        self.interval = interval
        self.kernel = False
        self._peak = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> PeakRss:
        try:
            with open("/proc/self/clear_refs", "w") as refs:
                refs.write("5")
            self.kernel = hwm_kb() <= rss_kb() + 64
        except OSError:
            self.kernel = False
        self._peak = rss_kb()
        if not self.kernel:
            self._thread = threading.Thread(target=self._sample, daemon=True)
            self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(self.interval):
            self._peak = max(self._peak, rss_kb())

    def stop(self) -> int:
        """The peak RSS (kB) since ``start()``."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._peak = max(self._peak, rss_kb())
        return max(self._peak, hwm_kb()) if self.kernel else self._peak

    @property
    def method(self) -> str:
        return "VmHWM after clear_refs" if self.kernel else f"VmRSS sampled every {self.interval * 1000:.0f} ms"


# --------------------------------------------------------------------------------------------- statistics


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), nearest-rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, round(q / 100.0 * len(ordered) + 0.5))
    return float(ordered[min(rank, len(ordered)) - 1])


# --------------------------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a benchmark child: a private AIRFLOW_HOME in /tmp, never the user's."""
    env = dict(os.environ)
    env.setdefault("AIRFLOW_HOME", "/tmp/pixverse-bench-airflow-home")
    env["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
    first = env.get("PIXVERSE_BENCH_PACKAGE", "")  # another copy of pixverse_provider to measure (A/B runs)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (first, str(BENCH_DIR), str(REPO), env.get("PYTHONPATH", "")) if p)
    env.update(extra)
    return env


def connection_env(base_url: str, api_key: str = API_KEY) -> dict[str, str]:
    return {
        "AIRFLOW_CONN_PIXVERSE_DEFAULT": json.dumps({"conn_type": "pixverse", "host": base_url, "password": api_key})
    }


def stop_process(proc: subprocess.Popen[Any], timeout: float = 10.0) -> None:
    """SIGTERM a child we started (by its pid), then SIGKILL it if it does not go."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout)


def wait_http(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                response.read()
                return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer within {timeout:.0f}s") from None
            time.sleep(0.1)


def http_json(method: str, url: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


class Emulator:
    """The PixVerse emulator in its own process (its CPU is never counted against the client)."""

    def __init__(self, *, generation_seconds: float, concurrency: int, credits: int, log_path: Path) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.api_key = API_KEY
        cmd = [
            PYTHON,
            "-m",
            "pixverse_provider.emulator",
            "--port",
            str(self.port),
            "--api-key",
            self.api_key,
            "--generation-seconds",
            str(generation_seconds),
            "--concurrency",
            str(concurrency),
            "--credits",
            str(credits),
        ]
        self._log = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT, env=child_env(), cwd=REPO)
        try:
            wait_http(self.base_url + "/_emulator/health")
        except BaseException:
            self.stop()
            raise

    def reset(self) -> None:
        http_json("POST", self.base_url + "/_emulator/reset")

    def counters(self) -> dict[str, Any]:
        return dict(http_json("GET", self.base_url + "/_emulator/counters"))

    def requests_to(self, prefix: str) -> int:
        counts = self.counters()["requests"]
        return sum(int(v) for k, v in counts.items() if k.startswith(prefix))

    def stop(self) -> None:
        stop_process(self.proc)
        self._log.close()

    def __enter__(self) -> Emulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --------------------------------------------------------------------------------------------- machine


def machine_info() -> dict[str, str]:
    info: dict[str, str] = {}
    info["nproc"] = str(os.cpu_count())
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
        info["cpu"] = model.group(1).strip() if model else "?"
        mem = re.search(r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.MULTILINE)
        info["ram"] = f"{int(mem.group(1)) / 1024 / 1024:.1f} GiB" if mem else "?"
    except OSError:
        pass
    with contextlib.suppress(OSError):
        caches = Path("/sys/devices/system/cpu/cpu0/cache")
        for index in sorted(caches.glob("index*")):
            if (index / "level").read_text().strip() == "2":
                info["l2 cache"] = (index / "size").read_text().strip() + " per core"
    with contextlib.suppress(OSError):
        info["load average at start"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    info["kernel"] = platform.release()
    info["python"] = platform.python_version()
    from importlib.metadata import PackageNotFoundError, version

    packages = []
    for name in (
        "apache-airflow",
        "apache-airflow-task-sdk",
        "airflow-provider-pixverse",
        "httpx",
        "httpcore",
        "requests",
        "urllib3",
        "pydantic",
        "tenacity",
        "greenback",
        "uvicorn",
        "uvloop",
        "fastapi",
    ):
        with contextlib.suppress(PackageNotFoundError):
            packages.append(f"{name} {version(name)}")
    info["packages"] = ", ".join(packages)
    try:
        curl = subprocess.run(["curl", "--version"], capture_output=True, text=True, timeout=10).stdout
        info["curl"] = curl.splitlines()[0] if curl else "?"
    except (OSError, subprocess.SubprocessError):
        info["curl"] = "not found"
    return info
