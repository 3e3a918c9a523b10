"""`make demo`: run the example pipeline DAG in a real Airflow and print where the videos landed.

Against the built-in PixVerse emulator by default; against the real PixVerse API when PIXVERSE_API_KEY is
set (after saying what it will cost). Everything it creates lives under .demo/ in the repository.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from pixverse_provider.api import Model, Quality
from pixverse_provider.api.pricing import sound_effect_price, video_price
from pixverse_provider.emulator.media import iter_boxes

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / ".demo"
DAG_ID = "pixverse_pipeline"


def main() -> int:
    DEMO.mkdir(exist_ok=True)
    output_dir = DEMO / "videos"
    output_dir.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(DEMO / "airflow"),
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "example_dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "PIXVERSE_OUTPUT_DIR": str(output_dir),
    }
    api_key = os.environ.get("PIXVERSE_API_KEY")
    emulator = None
    if api_key:
        credits = 2 * video_price(Model.V5, Quality.Q540P, 5) + sound_effect_price(10)  # type: ignore[operator]
        print(f"Using the real PixVerse API: this run spends about {credits} credits (fusion, extend, sound).")
        env["AIRFLOW_CONN_PIXVERSE_DEFAULT"] = json.dumps({"conn_type": "pixverse", "password": api_key})
    else:
        port = _free_port()
        emulator = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pixverse_provider.emulator",
                "--port",
                str(port),
                "--api-key",
                "demo-key",
                "--generation-seconds",
                "3",
            ],
            stdout=subprocess.DEVNULL,
        )
        base_url = f"http://127.0.0.1:{port}"
        _wait_for(f"{base_url}/_emulator/health")
        print(f"Using the PixVerse emulator at {base_url} (set PIXVERSE_API_KEY to use the real API).")
        env["AIRFLOW_CONN_PIXVERSE_DEFAULT"] = json.dumps(
            {"conn_type": "pixverse", "host": base_url, "password": "demo-key"}
        )
    try:
        return _run_pipeline(env, output_dir)
    finally:
        if emulator is not None:
            emulator.terminate()
            emulator.wait(timeout=10)


def _run_pipeline(env: dict[str, str], output_dir: Path) -> int:
    airflow = [sys.executable, "-m", "airflow"]
    log = DEMO / "airflow-dags-test.log"
    print("Preparing the Airflow metadata database ...")
    subprocess.run([*airflow, "db", "migrate"], env=env, check=True, capture_output=True)
    before = set(output_dir.glob("*.mp4"))
    print(f"Running DAG {DAG_ID} with 'airflow dags test' (log: {log.relative_to(ROOT)}) ...")
    started = time.monotonic()
    with log.open("w") as out:
        result = subprocess.run([*airflow, "dags", "test", DAG_ID], env=env, stdout=out, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        print(f"The DAG run failed (exit {result.returncode}); see {log}", file=sys.stderr)
        return 1
    videos = sorted(set(output_dir.glob("*.mp4")) - before)
    if not videos:
        print(f"The DAG run finished but no video landed in {output_dir}; see {log}", file=sys.stderr)
        return 1
    for video in videos:
        boxes = {name for name, _, _ in iter_boxes(video.read_bytes()[: 1 << 20])}
        kind = "valid MP4" if {"ftyp", "moov"} <= boxes or {"ftyp", "mdat"} <= boxes else "NOT an MP4"
        print(f"Generated video ({kind}, {video.stat().st_size} bytes): {video}")
    print(f"Done in {time.monotonic() - started:.0f}s.")
    return 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


if __name__ == "__main__":
    sys.exit(main())
