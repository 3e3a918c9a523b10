"""`make demo`, twice in the same folder: each run succeeds and judges its own video, not the folder's.

The Makefile's ``demo`` target only wraps ``$(BIN)/python scripts/demo.py``, so the test runs that script
with this interpreter (running ``make`` would rebuild the virtual environment). The demo folder is a
temporary one (PIXVERSE_DEMO_DIR) instead of the checkout's .demo/. Two runs only: each takes ~30 s.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pixverse_provider.emulator.probe import probe_media

DEMO = Path(__file__).resolve().parent.parent.parent / "scripts" / "demo.py"
LANDED = re.compile(r"^Video (\d{15}) \((\d+)x(\d+), .*\) landed: (.+\.mp4)$", re.MULTILINE)
pytestmark = pytest.mark.e2e


def run_demo(demo_dir: Path) -> tuple[int, Path]:
    """Run the demo to the end; returns the video id it reported and the file it landed."""
    env = {k: v for k, v in os.environ.items() if k not in ("PIXVERSE_API_KEY", "AIRFLOW_HOME")}
    env["PIXVERSE_DEMO_DIR"] = str(demo_dir)
    done = subprocess.run([sys.executable, str(DEMO)], env=env, capture_output=True, text=True, timeout=900)
    log = demo_dir / "airflow-dags-test.log"
    details = done.stdout + done.stderr + (log.read_text()[-4000:] if log.exists() else "")
    assert done.returncode == 0, details
    (found,) = LANDED.findall(done.stdout)
    video_id, width, height, path = found
    landed = Path(path)
    info = probe_media(landed)
    assert info is not None and (info.width, info.height) == (int(width), int(height)), details
    assert landed.name == f"pixverse_{video_id}.mp4"
    return int(video_id), landed


def test_make_demo_runs_twice_in_the_same_folder(tmp_path: Path) -> None:
    demo_dir = tmp_path / ".demo"
    first_id, first = run_demo(demo_dir)
    second_id, second = run_demo(demo_dir)
    assert second_id != first_id  # a restarted emulator never hands out an id twice
    assert first.exists() and second.exists()  # so the second video did not overwrite the first
    assert sorted(p.name for p in (demo_dir / "videos").iterdir()) == sorted([first.name, second.name])
