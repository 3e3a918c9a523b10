"""Counting worker runs: how many times a task instance ran on a worker, in a real deployment.

A worker run starts a process, parses the DAG file and holds a worker slot; the submit, a sensor's first run
before it defers and every resume after a trigger fires are each one. Airflow calls its listeners'
``on_task_instance_running`` at the start of every worker run (first run and resume alike) and never in the
triggerer, so a listener plugin counts them exactly, whatever the executor, without touching the DAGs.

``install(plugins_folder)`` writes the plugin into a deployment's plugins folder; each worker run then
appends one JSON line to the file named by ``$PIXVERSE_WORKER_RUNS`` (one ``write`` of one short line in
append mode, so lines from parallel workers do not interleave). ``read(ledger)`` gives the runs back.
Used by the deployment tests and by the benchmarks (bench/).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

LEDGER_VARIABLE = "PIXVERSE_WORKER_RUNS"
PLUGIN_FILE = "pixverse_worker_run_counter.py"
PLUGIN_SOURCE = f'''"""Appends one line per worker run to ${LEDGER_VARIABLE} (written by scripts/worker_runs.py)."""

import json
import os

from airflow.listeners import hookimpl
from airflow.plugins_manager import AirflowPlugin


class WorkerRunListener:
    @hookimpl
    def on_task_instance_running(self, previous_state, task_instance):
        ledger = os.environ.get("{LEDGER_VARIABLE}")
        if not ledger:
            return
        line = json.dumps(
            {{
                "dag_id": task_instance.dag_id,
                "run_id": task_instance.run_id,
                "task_id": task_instance.task_id,
                "map_index": task_instance.map_index,
                "try_number": task_instance.try_number,
                "pid": os.getpid(),
            }}
        )
        fd = os.open(ledger, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, (line + "\\n").encode())
        finally:
            os.close(fd)


class WorkerRunCounter(AirflowPlugin):
    name = "pixverse_worker_run_counter"
    listeners = [WorkerRunListener()]
'''


def install(plugins_folder: Path) -> None:
    """Put the counting plugin into ``plugins_folder`` (the deployment's ``[core] plugins_folder``)."""
    plugins_folder.mkdir(parents=True, exist_ok=True)
    (plugins_folder / PLUGIN_FILE).write_text(PLUGIN_SOURCE)


def read(ledger: Path) -> list[dict[str, Any]]:
    """Every worker run recorded so far, oldest first."""
    if not ledger.exists():
        return []
    return [json.loads(line) for line in ledger.read_text().splitlines() if line.strip()]


def runs_per_task(ledger: Path, dag_id: str, run_id: str) -> Counter[tuple[str, int]]:
    """``{(task_id, map_index): worker runs}`` for one DAG run; a task that never ran on a worker is absent."""
    return Counter(
        (run["task_id"], run["map_index"])
        for run in read(ledger)
        if run["dag_id"] == dag_id and run["run_id"] == run_id
    )
