"""`make demo`: run the example pipeline DAG in a real Airflow and print where its video landed.

Against the built-in PixVerse emulator by default; against the real PixVerse API when PIXVERSE_API_KEY is
set (after saying what it will cost). Everything it creates lives under .demo/ in the repository
(PIXVERSE_DEMO_DIR chooses another folder), and it can run again and again in the same folder.

The demo judges its own run, never the folder: a child process runs the DAG with ``dag.test()`` (what
``airflow dags test`` does) and reports that run's task states and the XComs its tasks pushed (the video
record and the path each video landed at). The demo succeeds when every task succeeded and every
reported file is there, is an MP4 of the size and frame PixVerse reported.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from pixverse_provider.api import Model, Quality
from pixverse_provider.api.pricing import sound_effect_price, video_price
from pixverse_provider.emulator.config import DEFAULT_API_KEY
from pixverse_provider.emulator.probe import probe_media

ROOT = Path(__file__).resolve().parent.parent
DAG_FILE = ROOT / "example_dags" / "pixverse_pipeline.py"
RUN_DAG = "--run-dag"
"""Internal: ``demo.py --run-dag REPORT`` is the child that runs the DAG and writes REPORT (JSON)."""
EMULATOR_START_SECONDS = 60.0


def main(argv: list[str]) -> int:
    if argv[:1] == [RUN_DAG]:
        return _run_dag_and_report(Path(argv[1]))
    demo = Path(os.environ.get("PIXVERSE_DEMO_DIR") or ROOT / ".demo").resolve()
    output_dir = demo / "videos"
    output_dir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(demo / "airflow"),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAG_FILE.parent),
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
        emulator, base_url = _start_emulator(demo / "emulator.log")
        print(f"Using the PixVerse emulator at {base_url} (set PIXVERSE_API_KEY to use the real API).")
        env["AIRFLOW_CONN_PIXVERSE_DEFAULT"] = json.dumps(
            {"conn_type": "pixverse", "host": base_url, "password": DEFAULT_API_KEY}
        )
    try:
        return _run_pipeline(env, demo)
    finally:
        if emulator is not None:
            emulator.terminate()
            emulator.wait(timeout=10)


def _start_emulator(log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start the emulator on a free port; returns the process and the base URL it printed."""
    command = [sys.executable, "-m", "pixverse_provider.emulator", "--port", "0", "--api-key", DEFAULT_API_KEY]
    with log.open("wb") as out:
        emulator = subprocess.Popen([*command, "--generation-seconds", "3"], stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + EMULATOR_START_SECONDS
    while emulator.poll() is None and time.monotonic() < deadline:
        for line in log.read_text(errors="replace").splitlines():
            if "listening on " in line:
                base_url = line.split("listening on ", 1)[1].split()[0]
                _wait_for(f"{base_url}/_emulator/health")
                return emulator, base_url
        time.sleep(0.1)
    emulator.kill()
    emulator.wait()
    raise SystemExit(f"The emulator did not start; see {log}")


def _run_pipeline(env: dict[str, str], demo: Path) -> int:
    airflow = [sys.executable, "-m", "airflow"]
    log = demo / "airflow-dags-test.log"
    report_file = demo / "run-report.json"
    report_file.unlink(missing_ok=True)
    print("Preparing the Airflow metadata database ...")
    subprocess.run([*airflow, "db", "migrate"], env=env, check=True, capture_output=True)
    print(f"Running DAG {DAG_FILE.stem} with dag.test(), as 'airflow dags test' does (log: {log}) ...")
    started = time.monotonic()
    with log.open("w") as out:
        child = [sys.executable, str(Path(__file__).resolve()), RUN_DAG, str(report_file)]
        result = subprocess.run(child, env=env, stdout=out, stderr=subprocess.STDOUT)
    if result.returncode != 0 or not report_file.exists():
        print(f"The DAG did not run (exit {result.returncode}); see {log}", file=sys.stderr)
        return 1
    report = json.loads(report_file.read_text())
    problems = _judge(report)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"Run {report['run_id']} failed; see {log}", file=sys.stderr)
        return 1
    print(f"Run {report['run_id']} succeeded in {time.monotonic() - started:.0f}s.")
    return 0


def _judge(report: dict[str, Any]) -> list[str]:
    """What is wrong with the run the child reported (nothing: it succeeded); prints each landed video."""
    problems = [f"Task {task} ended in state {state}" for task, state in report["tasks"].items() if state != "success"]
    if report["state"] != "success":
        problems.append(f"The DAG run ended in state {report['state']}")
    landed = {task: path for task, path in report["video_paths"].items() if path}
    if not problems and not landed:
        problems.append("The DAG run succeeded but none of its tasks reported a landed video")
    for task, uri in landed.items():
        video = report["videos"].get(task) or {}
        parsed = urlparse(uri)
        if parsed.scheme not in ("", "file"):
            print(f"Video {video.get('video_id')} of task {task} landed at {uri}")
            continue
        path = Path(unquote(parsed.path))
        if not path.is_file():
            problems.append(f"Task {task} reported {uri}, but there is no file there")
            continue
        size = path.stat().st_size
        info = probe_media(path)
        if info is None or info.kind != "video":
            problems.append(f"Task {task} landed {path}, which is not a video")
            continue
        if video.get("size") and video["size"] != size:
            problems.append(f"Task {task} landed {size} bytes at {path}; PixVerse reported {video['size']}")
        if (info.width, info.height) != (video.get("width"), video.get("height")):
            frame = f"{video.get('width')}x{video.get('height')}"
            problems.append(f"Task {task} landed a {info.width}x{info.height} video; PixVerse reported {frame}")
        seconds = f"{info.duration_seconds:g} s" if info.duration_seconds else "unknown length"
        print(f"Video {video.get('video_id')} ({info.width}x{info.height}, {seconds}, {size} bytes) landed: {path}")
    return problems


def _run_dag_and_report(report_file: Path) -> int:
    """The child: run the DAG once with dag.test() and write what that run did to ``report_file``."""
    from airflow.sdk import DAG

    from pixverse_provider.after_submit.delivery import XCOM_VIDEO_PATH
    from pixverse_provider.after_submit.waiting import XCOM_VIDEO

    spec = importlib.util.spec_from_file_location(DAG_FILE.stem, DAG_FILE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (dag,) = [value for value in vars(module).values() if isinstance(value, DAG)]
    run = dag.test()
    tis = run.get_task_instances()

    def pull(ti: Any, key: str) -> Any:
        return ti.xcom_pull(task_ids=ti.task_id, key=key, map_indexes=ti.map_index)

    report = {
        "run_id": run.run_id,
        "state": str(run.state),
        "tasks": {ti.task_id: str(ti.state) for ti in tis},
        "videos": {ti.task_id: pull(ti, XCOM_VIDEO) for ti in tis},
        "video_paths": {ti.task_id: pull(ti, XCOM_VIDEO_PATH) for ti in tis},
    }
    report_file.write_text(json.dumps(report, default=str))
    return 0


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
    sys.exit(main(sys.argv[1:]))
