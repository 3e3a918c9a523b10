"""The ``Example::`` of every operator's (and the sensor's) docstring is a runnable snippet.

Each example is taken from the docstring as written, checked to be complete on its own (its imports
included) and to define a DAG using the documented class, then run with dag.test() against the emulator.
dag.test() only runs DAGs of a configured bundle, so the examples are written to a temporary DAGs folder
and run in one subprocess whose ``[core] dags_folder`` points there; its working directory holds the files
the examples name (``cat.png``, ``dog.png``, ``clip.mp4``, ``voice.wav``). Nothing is written into the repo.
"""

from __future__ import annotations

import ast
import inspect
import os
import textwrap
from collections.abc import Iterator
from typing import Any

import pytest
from airflow.sdk import DAG, BaseOperator

from pixverse_provider import operators
from pixverse_provider.api import Endpoint
from pixverse_provider.emulator import EmulatorServer
from pixverse_provider.emulator.synthetic import make_mp4_with_duration, make_png, make_wav
from pixverse_provider.operators import (
    PixVerseGenerationOperator,
    PixVerseUploadImageOperator,
    PixVerseUploadMediaOperator,
)
from pixverse_provider.sensors import PixVerseVideoSensor
from tests.integration.conftest import connection_json
from tests.system.dag_files import run_dag_files

pytestmark = pytest.mark.system

DOCUMENTED: list[type[BaseOperator]] = [
    *(getattr(operators, name) for name in sorted(operators.__all__) if name != "PixVerseGenerationOperator"),
    PixVerseVideoSensor,
]


def example_of(cls: type) -> str:
    """The code block after ``Example::`` in ``cls``'s docstring, dedented ("" when there is none)."""
    lines = (inspect.getdoc(cls) or "").splitlines()
    starts = [i for i, line in enumerate(lines) if line.strip() == "Example::"]
    if not starts:
        return ""
    block: list[str] = []
    for line in lines[starts[0] + 1 :]:
        if line.strip() and not line.startswith((" ", "\t")):
            break
        block.append(line)
    return textwrap.dedent("\n".join(block)).strip() + "\n"


def file_name(cls: type) -> str:
    return f"example_{cls.__name__.lower()}"


def endpoint_of(cls: type) -> Endpoint:
    """The PixVerse endpoint the documented class itself calls."""
    if issubclass(cls, PixVerseGenerationOperator):
        return PixVerseGenerationOperator._request_model_for(cls.mode).endpoint
    return {
        "PixVerseUploadImageOperator": Endpoint.UPLOAD_IMAGE,
        "PixVerseUploadMediaOperator": Endpoint.UPLOAD_MEDIA,
        "PixVerseVideoSensor": Endpoint.VIDEO_RESULT,
    }[cls.__name__]


def dag_defined_by(snippet: str) -> DAG:
    """Run the snippet in an empty namespace (so it must import all it uses) and return the one DAG it defines."""
    namespace: dict[str, Any] = {}
    exec(compile(snippet, "<example>", "exec"), namespace)
    dags = [value for value in namespace.values() if isinstance(value, DAG)]
    assert len(dags) == 1, f"the example defines {len(dags)} DAGs"
    return dags[0]


@pytest.mark.parametrize("cls", DOCUMENTED, ids=lambda cls: cls.__name__)
def test_example_is_a_complete_snippet_defining_a_dag(cls: type) -> None:
    snippet = example_of(cls)
    assert snippet.strip(), f"{cls.__name__} has no Example:: block"
    tree = ast.parse(snippet)
    imported = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                for alias in node.names}  # fmt: skip
    assert {"DAG", cls.__name__} <= imported, "the example imports what it uses"

    dag = dag_defined_by(snippet)

    assert any(type(task) is cls for task in dag.tasks), f"the example's DAG does not use {cls.__name__}"
    assert dag.dag_id.startswith("pixverse_") and dag.dag_id.endswith("_example")


def test_every_example_has_its_own_dag_id() -> None:
    ids = [dag_defined_by(example_of(cls)).dag_id for cls in DOCUMENTED]
    assert len(set(ids)) == len(ids)


@pytest.fixture(scope="session")
def example_runs(
    airflow_db: None, emulator: EmulatorServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """Every example run once with dag.test() in a subprocess: its results, and the requests the emulator saw."""
    dags_folder = tmp_path_factory.mktemp("example_dags")
    for cls in DOCUMENTED:
        (dags_folder / f"{file_name(cls)}.py").write_text(example_of(cls))
    workdir = tmp_path_factory.mktemp("example_workdir")
    (workdir / "cat.png").write_bytes(make_png(64, 48))
    (workdir / "dog.png").write_bytes(make_png(48, 64, rgb=(200, 120, 30)))
    (workdir / "clip.mp4").write_bytes(make_mp4_with_duration(3))
    (workdir / "voice.wav").write_bytes(make_wav(2))
    env = {
        **os.environ,
        "AIRFLOW__CORE__DAGS_FOLDER": str(dags_folder),
        "AIRFLOW_CONN_PIXVERSE_DEFAULT": connection_json(emulator.base_url),
    }
    emulator.reset()

    results, output = run_dag_files(dags_folder, env=env, cwd=workdir)
    yield {"results": results, "requests": emulator.state.request_log(), "output": output}


@pytest.mark.parametrize("cls", DOCUMENTED, ids=lambda cls: cls.__name__)
def test_example_runs_against_the_emulator(cls: type, example_runs: dict[str, Any]) -> None:
    result = example_runs["results"][file_name(cls)]
    assert "error" not in result, result

    assert result["tasks"], "the example has no tasks"
    assert set(result["tasks"].values()) == {"success"}, result["tasks"]
    assert result["state"] == "success"
    dag = dag_defined_by(example_of(cls))
    for task in dag.tasks:
        if isinstance(task, (PixVerseGenerationOperator, PixVerseUploadImageOperator, PixVerseUploadMediaOperator)):
            assert type(result["return_values"][task.task_id]) is int, (task.task_id, result["return_values"])
    bodies = [e["body"] for e in example_runs["requests"] if isinstance(e["body"], dict)]
    for task in dag.tasks:
        returned = result["return_values"][task.task_id]
        if isinstance(task, (PixVerseUploadImageOperator, PixVerseUploadMediaOperator)):
            assert any(returned in body.values() for body in bodies), f"{task.task_id}'s id was never used"
        if isinstance(task, PixVerseVideoSensor):
            (upstream,) = task.upstream_task_ids
            assert returned["video_id"] == result["return_values"][upstream]
            assert returned["url"]
    endpoint = endpoint_of(cls).value
    prefix = endpoint.split("{")[0]
    seen = {e["path"] for e in example_runs["requests"]}
    assert endpoint in seen or (prefix != endpoint and any(p.startswith(prefix) for p in seen)), (
        f"nothing reached {endpoint}"
    )
