"""``make airflow`` from a fresh clone, in a shell where no virtualenv is activated: every component starts,
every process listens on loopback only, and Ctrl-C leaves nothing running.

What ``make airflow`` runs is ``.venv/bin/python scripts/standalone.py``; the test runs exactly that in a
fresh ``git clone`` of this repository's HEAD, with one difference: the python is the venv running this test,
not a new ``.venv`` inside the clone, because building one takes minutes and needs the network. Two things
keep that honest: PATH is stripped of every virtualenv's ``bin`` (as in a shell without an activated venv,
the set-up that used to kill every component with FileNotFoundError), and PYTHONPATH is the clone, so the
clone's code runs (this venv's editable install points at another checkout).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
import requests

from scripts.standalone import free_port
from tests.e2e.deployment import listening_addresses, off_loopback

ROOT = Path(__file__).resolve().parents[2]
COMPONENTS = ("scheduler", "triggerer", "dag_processor")
pytestmark = pytest.mark.e2e


def path_without_virtualenvs(path: str) -> str:
    """PATH without any virtualenv's bin directory (one beside a ``pyvenv.cfg``)."""
    return os.pathsep.join(d for d in path.split(os.pathsep) if d and not (Path(d).parent / "pyvenv.cfg").exists())


@pytest.fixture
def fresh_clone(tmp_path: Path) -> Path:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout of the repository")
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=True)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "--quiet", head.stdout.strip()], check=True)
    return clone


@pytest.fixture
def make_airflow(fresh_clone: Path, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], Path, int, int]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "PIXVERSE", "PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = path_without_virtualenvs(os.environ.get("PATH", os.defpath))
    assert shutil.which("airflow", path=env["PATH"]) is None, "an airflow on PATH would hide the bug this test is for"
    env["PYTHONPATH"] = str(fresh_clone)
    api_port, emulator_port = free_port(), free_port()
    env |= {"AIRFLOW_PORT": str(api_port), "PIXVERSE_EMULATOR_PORT": str(emulator_port)}
    output = tmp_path / "make-airflow.out"
    with output.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "scripts/standalone.py"],
            cwd=fresh_clone,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process, output, api_port, emulator_port
    finally:
        if process.poll() is None:  # the test failed half-way: stop it as a user would
            process.send_signal(signal.SIGINT)
            process.wait(timeout=120)


def wait_for_health(api: str, process: subprocess.Popen[bytes], output: Path, timeout: float = 300) -> None:
    """Until the script says it is ready and the api-server reports the other components healthy."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            health = requests.get(f"{api}/api/v2/monitor/health", timeout=5).json()
            healthy = all(health.get(name, {}).get("status") == "healthy" for name in COMPONENTS)
            if healthy and "Airflow UI:" in output.read_text():
                return
        except (requests.RequestException, ValueError):
            pass
        assert process.poll() is None, f"make airflow exited ({process.returncode}):\n{output.read_text()}"
        assert time.monotonic() < deadline, f"Airflow was not healthy after {timeout:.0f}s:\n{output.read_text()}"
        time.sleep(2)


def test_make_airflow_from_a_fresh_clone_listens_on_loopback_and_stops_clean(
    make_airflow: tuple[subprocess.Popen[bytes], Path, int, int],
) -> None:
    process, output, api_port, emulator_port = make_airflow
    api = f"http://127.0.0.1:{api_port}"

    wait_for_health(api, process, output)

    assert requests.get(f"{api}/api/v2/version", timeout=10).status_code == 200
    assert "Local only: every process listens on 127.0.0.1" in output.read_text()
    started = psutil.Process(process.pid).children(recursive=True)
    addresses = listening_addresses(started)
    assert off_loopback(addresses) == {}
    listening = set().union(*addresses.values())
    assert {f"127.0.0.1:{api_port}", f"127.0.0.1:{emulator_port}"} <= listening

    groups = {child.pid for child in psutil.Process(process.pid).children()}
    process.send_signal(signal.SIGINT)  # Ctrl-C
    assert process.wait(timeout=120) == 0, output.read_text()

    survivors = [p.pid for p in started if _group_of(p) is not None]
    assert survivors == [], f"processes left running: {survivors}\n{output.read_text()}"
    in_groups = [p.pid for p in psutil.process_iter() if _group_of(p) in groups]
    assert in_groups == [], f"processes left in the components' process groups: {in_groups}"


def _group_of(process: psutil.Process) -> int | None:
    """The process group of a live process; None once it has ended (or is a zombie)."""
    try:
        return os.getpgid(process.pid) if process.status() != psutil.STATUS_ZOMBIE else None
    except (psutil.Error, OSError):
        return None
