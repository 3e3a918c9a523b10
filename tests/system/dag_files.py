"""Run every DAG file of a folder with dag.test() in a fresh Airflow process.

dag.test() only runs DAGs of the configured bundle, so DAG files outside tests/dags (docstring examples,
example_dags/) run in a subprocess whose ``[core] dags_folder`` is their folder.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Collection
from pathlib import Path
from typing import Any

RESULT_MARKER = "PIXVERSE-EXAMPLE-RESULTS:"
RUNNER = f"""
import importlib.util, json, sys
from pathlib import Path
from airflow.sdk import DAG

results = {{}}
for path in sorted(Path(sys.argv[1]).glob("*.py")):
    if path.stem in sys.argv[2:]:
        continue
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # a DAG file that refuses this Airflow (one needing 3.3 on 3.1) says why
        results[path.stem] = {{"dag_id": None, "error": repr(exc)}}
        continue
    (dag,) = [value for value in vars(module).values() if isinstance(value, DAG)]
    try:
        run = dag.test()
    except Exception as exc:
        results[path.stem] = {{"dag_id": dag.dag_id, "error": repr(exc)}}
        continue
    tis = run.get_task_instances()
    results[path.stem] = {{
        "dag_id": dag.dag_id,
        "state": str(run.state),
        "tasks": {{ti.task_id: str(ti.state) for ti in tis}},
        "return_values": {{ti.task_id: ti.xcom_pull(task_ids=ti.task_id, map_indexes=ti.map_index) for ti in tis}},
    }}
print({RESULT_MARKER!r} + json.dumps(results, default=str))
"""


def run_dag_files(
    dags_folder: Path, *, env: dict[str, str], cwd: Path, timeout: float = 900, skip: Collection[str] = ()
) -> tuple[dict[str, Any], str]:
    """Results by file stem (dag_id, state, task states, return values) and the process output; the files
    named in ``skip`` (stems) are not run."""
    env = {**env, "AIRFLOW__CORE__DAGS_FOLDER": str(dags_folder)}
    command = [sys.executable, "-c", RUNNER, str(dags_folder), *skip]
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    output = done.stdout + done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_MARKER)]
    assert done.returncode == 0 and lines, f"the DAG files did not run:\n{output[-8000:]}"
    return json.loads(lines[-1][len(RESULT_MARKER) :]), output
