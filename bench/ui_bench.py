"""The PixVerse view with 10,000 videos on record: how long its page takes to load.

    .venv/bin/python bench/ui_bench.py [--videos 10000] [--repeat 5]

Starts ``make airflow``'s ``LocalAirflow`` (api-server, scheduler, dag-processor, triggerer, SQLite) with ten
DAGs of one mapped PixVerse text-to-video task, then writes the records a finished run of those tasks leaves
(DAG runs, task instances, the XComs ``trace_id``/``return_value``/``estimated_credits``/``charged_credits``/
``video``/``video_path`` and the rendered fields) straight into the metadata database through Airflow's
models, spread over 30 days, 5 % of them failed. Then it times, as the admin, what the page asks for: the
first page of videos, the last page, a DAG filter, a status filter, the credits panel, and (when Selenium
and Debian's chromium are there) the whole page in a browser, from navigation to 50 videos drawn.
Prints a Markdown table (the "UI view" section of bench/RESULTS.md).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import requests

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scripts import headless_chromium  # noqa: E402
from scripts.standalone import LocalAirflow  # noqa: E402

DAGS = 10
MAP_WIDTH = 10
DAG_FILE = """
from airflow.sdk import DAG
from pixverse_provider.operators import PixVerseTextToVideoOperator

for n in range({dags}):
    with DAG(f"ui_bench_{{n}}", schedule=None, catchup=False) as dag:
        PixVerseTextToVideoOperator.partial(task_id="clip", model="v5", duration=5, quality="540p").expand(
            prompt=[f"clip {{i}}" for i in range({width})]
        )
    globals()[dag.dag_id] = dag
"""


def write_records(videos: int) -> None:
    """The rows ``videos`` finished (or failed) mapped PixVerse tasks leave, written through Airflow's models."""
    from airflow.models.dagrun import DagRun
    from airflow.models.renderedtifields import RenderedTaskInstanceFields
    from airflow.models.taskinstance import TaskInstance
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session
    from sqlalchemy import insert, select

    runs_per_dag = videos // (DAGS * MAP_WIDTH)
    now = datetime.now(timezone.utc)
    with create_session() as session:
        runs = []
        for d in range(DAGS):
            for r in range(runs_per_dag):
                start = now - timedelta(days=30) + timedelta(seconds=(r * DAGS + d) * 30 * 86400 / videos * MAP_WIDTH)
                runs.append(
                    {
                        "dag_id": f"ui_bench_{d}",
                        "run_id": f"bench__{r:05d}",
                        "run_type": "manual",
                        "state": "success",
                        "start_date": start,
                        "end_date": start + timedelta(minutes=2),
                        "run_after": start,
                        "queued_at": start,
                    }
                )
        session.execute(insert(DagRun.__table__), runs)
        ids = {(dag, run): pk for pk, dag, run in session.execute(select(DagRun.id, DagRun.dag_id, DagRun.run_id))}
        tis, xcoms, fields = [], [], []
        for run in runs:
            key = (run["dag_id"], run["run_id"])
            for m in range(MAP_WIDTH):
                created = run["start_date"] + timedelta(seconds=m)
                failed = (hash((key, m)) % 20) == 0
                video_id = 400_000_000_000_000 + len(tis)
                tis.append(
                    {
                        "id": uuid.uuid4(),
                        "dag_id": key[0],
                        "run_id": key[1],
                        "task_id": "clip",
                        "map_index": m,
                        "pool": "default_pool",
                        "state": "failed" if failed else "success",
                        "operator": "PixVerseTextToVideoOperator",
                        "start_date": created,
                        "end_date": created + timedelta(seconds=40),
                        "try_number": 1,
                    }
                )
                row = {"dag_run_id": ids[key], "dag_id": key[0], "run_id": key[1], "task_id": "clip", "map_index": m}
                pushed: dict[str, Any] = {
                    "estimated_credits": 45,
                    "trace_id": str(uuid.uuid4()),
                    "charged_credits": None,
                }
                if not failed:
                    pushed["video"] = {
                        "video_id": video_id,
                        "status": 1,
                        "width": 960,
                        "height": 540,
                        "seed": m,
                        "size": 5_000_000,
                        "url": f"https://media.pixverse.ai/openapi/{video_id}.mp4",
                    }
                    pushed["video_path"] = f"file:///data/videos/pixverse_{video_id}.mp4"
                    pushed["return_value"] = video_id
                xcoms += [{**row, "key": k, "value": v, "timestamp": created} for k, v in pushed.items()]
                fields.append(
                    {
                        "dag_id": key[0],
                        "run_id": key[1],
                        "task_id": "clip",
                        "map_index": m,
                        "rendered_fields": {
                            "prompt": f"clip {m} of {key[1]}",
                            "model": "v5",
                            "duration": 5,
                            "quality": "540p",
                        },
                    }
                )
        session.execute(insert(TaskInstance.__table__), tis)
        session.execute(insert(XComModel.__table__), xcoms)
        session.execute(insert(RenderedTaskInstanceFields.__table__), fields)


def timed(call: Any, repeat: int) -> tuple[float, list[float]]:
    call()  # warm-up: the app is built on its first request
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def browser_load(airflow: LocalAirflow, token: str, repeat: int) -> tuple[float, list[float]] | None:
    try:
        from selenium import webdriver
        from selenium.webdriver.support.ui import WebDriverWait
    except ImportError:
        return None
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        return None
    options = webdriver.ChromeOptions()
    for flag in headless_chromium.FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp()}")
    options.binary_location = shutil.which("chromium")
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(shutil.which("chromedriver")))
    try:
        driver.get(f"{airflow.api}/api/v2/version")
        driver.add_cookie({"name": "_token", "value": token, "path": "/"})

        def load() -> None:
            driver.get(f"{airflow.api}/pixverse/")
            WebDriverWait(driver, 120, poll_frequency=0.05).until(
                lambda d: (
                    len(d.find_elements("css selector", "article.video")) == 50
                    and d.find_element("id", "credits-total").text.endswith("credits")
                )
            )

        return timed(load, repeat)
    finally:
        driver.quit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="pixverse-ui-bench-"))
    (root / "dags").mkdir()
    (root / "dags" / "ui_bench_dags.py").write_text(DAG_FILE.format(dags=DAGS, width=MAP_WIDTH))
    settings = {"AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True"}
    if not any(e.name == "pixverse" for e in entry_points(group="airflow.plugins")):
        settings["AIRFLOW__CORE__LAZY_DISCOVER_PROVIDERS"] = "False"  # an install older than the entry point
    airflow = LocalAirflow(home=root / "home", dags_folder=root / "dags", output_dir=root / "videos", settings=settings)
    os.environ["AIRFLOW_HOME"] = str(airflow.home)
    os.environ.update(settings)
    try:
        airflow.start()
        token = requests.get(f"{airflow.api}/auth/token", timeout=30).json()["access_token"]
        http = requests.Session()
        http.headers["Authorization"] = f"Bearer {token}"

        def parsed() -> bool:
            found = http.get(f"{airflow.api}/api/v2/dags", params={"dag_id_pattern": "ui_bench"}, timeout=30)
            return found.ok and found.json()["total_entries"] == DAGS

        airflow.wait_until(parsed, 300, "the bench DAGs to be parsed")
        started = time.perf_counter()
        write_records(args.videos)
        print(f"wrote {args.videos} videos in {time.perf_counter() - started:.1f}s", file=sys.stderr)

        def get(path: str, **params: Any) -> Any:
            def call() -> Any:
                response = http.get(f"{airflow.api}/pixverse/{path}", params=params, timeout=300)
                response.raise_for_status()
                return response.json()

            return call

        total = get("api/videos")()["total"]
        pages = -(-total // 50)
        rows = [
            ("first page of 50 (`api/videos`)", timed(get("api/videos"), args.repeat)),
            (f"last page ({pages})", timed(get("api/videos", page=pages), args.repeat)),
            ("one DAG (`dag_id=ui_bench_3`)", timed(get("api/videos", dag_id="ui_bench_3"), args.repeat)),
            ("failed only (`status=failed`)", timed(get("api/videos", status="failed"), args.repeat)),
            ("credits panel (`api/credits`)", timed(get("api/credits"), args.repeat)),
        ]
        page = browser_load(airflow, token, args.repeat)
        if page is not None:
            rows.append(("whole page in chromium (navigation → 50 videos and the chart drawn)", page))
        print(f"{total} videos on record, {pages} pages of 50; medians of {args.repeat} after one warm-up\n")
        print("| request | median | all runs (s) |\n|---|---|---|")
        for name, (median, runs) in rows:
            print(f"| {name} | {median * 1000:.0f} ms | {', '.join(f'{t:.2f}' for t in runs)} |")
        return 0
    finally:
        airflow.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
