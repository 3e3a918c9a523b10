"""`make airflow`: a local Airflow (api-server, scheduler, dag-processor, triggerer; LocalExecutor, SQLite)
with the PixVerse emulator and the example DAGs, for a user who wants to click around. Ctrl-C stops it all.

Local only: every process it starts listens on 127.0.0.1 and nothing else, because the UI lets every visitor
in as an admin (no login) and the deployment holds an API key. ``LocalAirflow`` is also the end-to-end test
deployment (tests/e2e/deployment.py), so the tests run exactly what a user runs.

Why not ``airflow standalone``: it starts its components as ``airflow ...`` found on PATH (a fresh clone's
``.venv/bin`` is not on it: every component died with FileNotFoundError), and its scheduler and triggerer
start log servers on 0.0.0.0:8793/8794. Airflow 3.1-3.3 have no setting for the log servers' address
(``[logging] worker_log_server_port`` and ``trigger_log_server_port`` set only the ports; the host is
hard-coded), so the components run here with ``--skip-serve-logs``: on one machine the api-server reads the
task and trigger logs from the shared log folder instead. The api-server binds to ``[api] host`` =
127.0.0.1; the scheduler's health-check server stays off; the emulator binds to 127.0.0.1.

Every process gets ``PIXVERSE_LOCAL_AIRFLOW_RUN=<run id>`` in its environment, so ``stop()`` ends all of
them (task processes included) even when one has left its process group.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import psutil
import requests

from pixverse_provider.emulator.config import DEFAULT_API_KEY

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"
EMULATOR_KEY = DEFAULT_API_KEY
RUN_MARKER = "PIXVERSE_LOCAL_AIRFLOW_RUN"
COMPONENTS = {
    "api-server": ["api-server", "--host", LOOPBACK],
    "scheduler": ["scheduler", "--skip-serve-logs"],
    "dag-processor": ["dag-processor"],
    "triggerer": ["triggerer", "--skip-serve-logs"],
}
SIMPLE_AUTH_MANAGER = "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
EXAMPLE_VIDEOS = ("pixverse_text_to_video", "pixverse_image_to_video", "pixverse_effect")
"""Example DAGs ``make airflow`` runs once at start, so the PixVerse view (docs/ui.rst) has videos to show at
once; ``PIXVERSE_EXAMPLE_VIDEOS=0`` skips them."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((LOOPBACK, port)) == 0


@dataclass
class LocalAirflow:
    """Airflow's four components and the PixVerse emulator as separate processes, all on loopback.

    :param home: ``AIRFLOW_HOME`` (config, SQLite database, logs of the components and tasks).
    :param dags_folder: the DAGs to serve.
    :param output_dir: where the example DAGs land videos (``PIXVERSE_OUTPUT_DIR``).
    :param api_port: the api-server's (UI and REST API) port.
    :param emulator_port: the emulator's port.
    :param generation_seconds: how long an emulated generation takes.
    :param concurrency: the emulated plan's concurrent generations.
    :param settings: more environment for every component (``AIRFLOW__...`` settings).
    :param worker_runs: count the worker runs of every task into this file (``scripts/worker_runs.py``).
    """

    home: Path
    dags_folder: Path
    output_dir: Path
    api_port: int = field(default_factory=free_port)
    emulator_port: int = field(default_factory=free_port)
    generation_seconds: float = 10.0
    concurrency: int = 5
    settings: dict[str, str] = field(default_factory=dict)
    worker_runs: Path | None = None
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def api(self) -> str:
        return f"http://{LOOPBACK}:{self.api_port}"

    @property
    def emulator(self) -> str:
        return f"http://{LOOPBACK}:{self.emulator_port}"

    @property
    def logs(self) -> Path:
        return self.home / "component-logs"

    def env(self) -> dict[str, str]:
        connection = {"conn_type": "pixverse", "host": self.emulator, "password": EMULATOR_KEY}
        bin_dir = str(Path(sys.executable).parent)  # the venv's bin, also when it is not activated
        return {
            **os.environ,
            "PATH": os.pathsep.join([bin_dir, os.environ.get("PATH", os.defpath)]),
            RUN_MARKER: self.run_id,
            "AIRFLOW_HOME": str(self.home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(self.dags_folder),
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": "8",
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
            # Local development only: every visitor of the UI is an admin, so nothing may listen beyond loopback.
            "AIRFLOW__CORE__AUTH_MANAGER": SIMPLE_AUTH_MANAGER,
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
            "AIRFLOW__API__HOST": LOOPBACK,
            "AIRFLOW__API__PORT": str(self.api_port),
            "AIRFLOW__API__BASE_URL": self.api,
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.api}/execution/",
            "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "False",
            "AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_HOST": LOOPBACK,
            "AIRFLOW_CONN_PIXVERSE_DEFAULT": json.dumps(connection),
            "PIXVERSE_OUTPUT_DIR": str(self.output_dir),
            **self._worker_run_counting(),
            **self.settings,
        }

    def _worker_run_counting(self) -> dict[str, str]:
        if self.worker_runs is None:
            return {}
        from scripts import worker_runs as worker_runs_plugin  # tests and bench only: `make airflow` runs this file

        plugins = self.home / "plugins"
        worker_runs_plugin.install(plugins)
        ledger = {worker_runs_plugin.LEDGER_VARIABLE: str(self.worker_runs)}
        return {"AIRFLOW__CORE__PLUGINS_FOLDER": str(plugins), **ledger}

    def start(self) -> LocalAirflow:
        """Migrate the database, start the emulator and the components, and wait until the UI answers."""
        for folder in (self.home, self.output_dir, self.logs):
            folder.mkdir(parents=True, exist_ok=True)
        env = self.env()
        airflow = [sys.executable, "-m", "airflow"]
        migrate = subprocess.run([*airflow, "db", "migrate"], env=env, capture_output=True, text=True)
        if migrate.returncode != 0:
            raise RuntimeError(f"airflow db migrate failed:\n{migrate.stdout[-3000:]}{migrate.stderr[-3000:]}")
        emulator = [sys.executable, "-m", "pixverse_provider.emulator", "--host", LOOPBACK]
        emulator += ["--port", str(self.emulator_port), "--api-key", EMULATOR_KEY, "--credits", "1000000"]
        emulator += ["--generation-seconds", str(self.generation_seconds), "--concurrency", str(self.concurrency)]
        self._spawn("emulator", emulator, env)
        for name, args in self.components().items():
            self._spawn(name, [*airflow, *args], env)
        self.wait_until(lambda: self.answers(f"{self.emulator}/_emulator/health"), 60, "the emulator to answer")
        self.wait_until(lambda: self.answers(f"{self.api}/api/v2/version"), 180, "the api-server to answer")
        return self

    def components(self) -> dict[str, list[str]]:
        """The Airflow components to start: name → the arguments of ``airflow``."""
        components = {name: list(args) for name, args in COMPONENTS.items()}
        components["api-server"] += ["--port", str(self.api_port)]
        return components

    def _spawn(self, name: str, args: list[str], env: dict[str, str], **popen: Any) -> None:
        """Start a process in its own session, its output appended to ``<logs>/<name>.log``; ``popen``: more
        arguments of ``subprocess.Popen`` (a working directory, a user to run as)."""
        with (self.logs / f"{name}.log").open("ab") as log:
            self.processes[name] = subprocess.Popen(
                args, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **popen
            )

    def dead(self) -> list[str]:
        """The components that have exited."""
        return [name for name, process in self.processes.items() if process.poll() is not None]

    def wait_until(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if self.dead():
                raise RuntimeError(f"{', '.join(self.dead())} exited while waiting for {what}; logs in {self.logs}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"gave up waiting {timeout:.0f}s for {what}; logs in {self.logs}")
            time.sleep(1)

    @staticmethod
    def answers(url: str) -> bool:
        try:
            return requests.get(url, timeout=5).status_code == 200
        except requests.RequestException:
            return False

    def stop(self, grace: float = 20.0) -> list[int]:
        """End every process of this run (SIGTERM, then SIGKILL after ``grace`` seconds); returns survivors."""
        groups = {process.pid for process in self.processes.values()}
        running = self.run_processes()
        for pgid in groups:
            _signal_group(pgid, signal.SIGTERM)
        for process in running:  # those that left their process group
            with contextlib.suppress(psutil.Error, OSError):
                if os.getpgid(process.pid) not in groups:
                    process.terminate()
        psutil.wait_procs(running, timeout=grace)
        leftover = self.run_processes()  # also any started while the others were stopping
        for process in leftover:
            with contextlib.suppress(psutil.Error):
                process.kill()
        psutil.wait_procs(leftover, timeout=5)
        for process in self.processes.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)
        return [process.pid for process in self.run_processes()]

    def run_processes(self) -> list[psutil.Process]:
        """Every live process of this run: those started here, and everything they started.

        Found three ways, since each alone misses some: the process groups started here (a process may leave
        its group), the descendants (an orphan is re-parented away) and the run's environment marker (a process
        that sets its title with setproctitle overwrites the environment that /proc shows)."""
        groups = {process.pid for process in self.processes.values()}
        found: dict[int, psutil.Process] = {}
        for process in psutil.process_iter():
            with contextlib.suppress(psutil.Error, OSError):
                if os.getpgid(process.pid) in groups or process.environ().get(RUN_MARKER) == self.run_id:
                    found[process.pid] = process
        for pid in groups:
            with contextlib.suppress(psutil.Error):
                found.update((child.pid, child) for child in psutil.Process(pid).children(recursive=True))
        return [process for process in found.values() if _alive(process)]


def record_example_videos(airflow: LocalAirflow, dag_ids: tuple[str, ...] = EXAMPLE_VIDEOS) -> list[str]:
    """Trigger one run of each of ``dag_ids`` once they are parsed; returns the DAGs triggered (every visitor of
    this local UI is an admin, so the token needs no password)."""
    http = requests.Session()
    http.headers["Authorization"] = (
        "Bearer " + requests.get(f"{airflow.api}/auth/token", timeout=30).json()["access_token"]
    )
    triggered = []
    for dag_id in dag_ids:
        url = f"{airflow.api}/api/v2/dags/{dag_id}"
        airflow.wait_until(lambda url=url: http.get(url, timeout=10).status_code == 200, 180, f"{dag_id} to be parsed")
        run = http.post(f"{url}/dagRuns", json={"logical_date": None}, timeout=30)
        if run.ok:
            triggered.append(dag_id)
    return triggered


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _signal_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def requested_ports() -> tuple[int, int] | None:
    """The api-server's and the emulator's ports (``AIRFLOW_PORT``, ``PIXVERSE_EMULATOR_PORT``), or None after
    saying which one is taken."""
    api_port = int(os.environ.get("AIRFLOW_PORT", "8080"))
    emulator_port = int(os.environ.get("PIXVERSE_EMULATOR_PORT", "8787"))
    for port, variable in ((api_port, "AIRFLOW_PORT"), (emulator_port, "PIXVERSE_EMULATOR_PORT")):
        if port_in_use(port):
            print(f"Port {port} on {LOOPBACK} is in use; choose another with {variable}=<port>.", file=sys.stderr)
            return None
    return api_port, emulator_port


def main() -> int:
    ports = requested_ports()
    if ports is None:
        return 1
    api_port, emulator_port = ports
    demo = ROOT / ".demo"
    airflow = LocalAirflow(
        home=demo / "standalone",
        dags_folder=ROOT / "example_dags",
        output_dir=demo / "videos",
        api_port=api_port,
        emulator_port=emulator_port,
    )

    def example_videos() -> None:
        """Trigger a few example DAGs, so the PixVerse view has videos in a newcomer's first minutes."""
        if os.environ.get("PIXVERSE_EXAMPLE_VIDEOS", "1") == "0":
            return
        try:
            made = record_example_videos(airflow)
            print(f"Generating example videos ({', '.join(made)}): see them under PixVerse in the UI.", flush=True)
        except (requests.RequestException, TimeoutError) as exc:  # the UI works without them
            print(f"Could not start the example runs ({exc}); trigger them in the UI.", file=sys.stderr)

    return serve(airflow, lambda: [
        f"PixVerse emulator: {airflow.emulator}  (API key {EMULATOR_KEY!r})",
        f"Airflow UI: {airflow.api}  (no login: every visitor is an admin)",
        f"Local only: every process listens on {LOOPBACK}; nothing is reachable from another machine.",
        f"Example DAGs: {airflow.dags_folder}; videos land in {airflow.output_dir}. Ctrl-C to stop.",
    ], example_videos)  # fmt: skip


def serve(airflow: LocalAirflow, banner: Callable[[], list[str]], after_start: Callable[[], None] | None = None) -> int:
    """Start ``airflow``, print ``banner()`` once it answers, call ``after_start``, and run until Ctrl-C, SIGTERM
    or a process exits; then stop every process of the run. The exit status: 0 after Ctrl-C or SIGTERM, else 1."""
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started with SIGINT ignored (a `&` job)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    print(f"Starting Airflow and the PixVerse emulator (logs: {airflow.logs}) ...", flush=True)
    try:
        airflow.start()
        print("\n".join(banner()), flush=True)
        if after_start is not None:
            after_start()
        while not airflow.dead():
            time.sleep(1)
        print(f"{', '.join(airflow.dead())} exited; see {airflow.logs}. Stopping.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Stopping ...", flush=True)
        return 0
    except (RuntimeError, TimeoutError) as exc:
        print(f"Airflow did not start: {exc}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not leave processes behind
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        survivors = airflow.stop()
        if survivors:
            print(f"Processes left running: {survivors}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
