"""Airflow's own arguments on every public operator, in a real Airflow (dag.test) against the emulator.

The DAGs are in tests/dags/convention_dags.py (one per operator, all the same shape). For each, the test
checks that every argument took effect, from what Airflow recorded and what the emulator saw:

- ``retries``/``retry_delay``: the emulator refuses ``op``'s first POST; the task ran a second try;
- ``execution_timeout``: ``slow`` is stopped by it (a generation while its wait is deferred to the trigger,
  which Airflow 3 alone would not bound; an upload while the request hangs);
- ``trigger_rule``: ``op`` runs although its upstream ``slow`` failed;
- ``pool``, ``pool_slots``, ``queue``, ``priority_weight``: recorded on the task instances;
- callbacks: each ran (they write marks), with the try they ran in;
- ``outlets``: an asset event from ``op``; ``doc_md``: on the serialized task; ``do_xcom_push=False``: no
  return value;
- ``.partial().expand()`` over an API field with ``map_index_template``, and a templated field fed by an
  XComArg: every mapped task rendered them.

Also, without running a DAG: every API field of every operator can be mapped, and nothing Airflow takes is
swallowed by an operator or collides with a PixVerse field.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest
from airflow.sdk import DAG, BaseOperator

from pixverse_provider import operators
from pixverse_provider.emulator import EmulatorServer
from pixverse_provider.operators import PixVerseGenerationOperator
from tests.dags import convention_dags as dags
from tests.system.conftest import run_dag

pytestmark = pytest.mark.system

DAG_FILE = "convention_dags"
REFUSED_ONCE = 99999
"""An ErrCode with no meaning for the hook: not retried by it, not a fail-fast error, so Airflow retries."""
CASES = [pytest.param(case, id=case.operator.__name__) for case in dags.CONVENTIONS]


def public_operators() -> list[type[BaseOperator]]:
    classes = [getattr(operators, name) for name in operators.__all__]
    return [cls for cls in classes if cls is not PixVerseGenerationOperator]


def test_every_public_operator_has_a_convention_dag() -> None:
    assert {case.operator for case in dags.CONVENTIONS} == set(public_operators())


# --- without running: nothing collides, nothing is swallowed, every API field can be mapped -------------------

AIRFLOW_PARAMETERS = set(inspect.signature(BaseOperator.__init__).parameters) - {"self", "kwargs"}


@pytest.mark.parametrize("operator", public_operators(), ids=lambda cls: cls.__name__)
def test_no_operator_parameter_shadows_one_of_airflow(operator: type[BaseOperator]) -> None:
    own = set(inspect.signature(operator.__init__).parameters) - {"self", "kwargs"}
    assert own & AIRFLOW_PARAMETERS == set()


@pytest.mark.parametrize("operator", public_operators(), ids=lambda cls: cls.__name__)
def test_airflow_arguments_reach_airflow(operator: type[BaseOperator]) -> None:
    """Built with every argument of the convention DAGs, the operator holds each as Airflow does."""
    case = next(c for c in dags.CONVENTIONS if c.operator is operator)
    extra = {"trigger_rule": "all_done", "outlets": [dags.outlet("x")], "doc_md": "doc", "do_xcom_push": False,
             "map_index_template": "{{ task.task_id }}"}  # fmt: skip
    with DAG("airflow_arguments", schedule=None, start_date=dags.START):
        built = operator(task_id="built", **case.kwargs, **dict([case.from_xcom]), **dags.AIRFLOW_ARGUMENTS, **extra)

    for name, value in {**dags.AIRFLOW_ARGUMENTS, **extra}.items():
        held = getattr(built, name)
        if name.endswith("_callback"):
            assert held == [value] or held == value, name
        elif name == "weight_rule" and not isinstance(held, str):  # Airflow 3.1 keeps the strategy object
            assert type(held).__name__ == "_AbsolutePriorityWeightStrategy"
        else:
            assert held == value, name


# Model fields an operator leaves out on purpose, and why.
NOT_OPERATOR_PARAMETERS = {
    ("PixVerseTextToVideoOperator", "lip_sync_switch"): "the schema's alias of lip_sync_tts_switch",
    ("PixVerseImageToVideoOperator", "lip_sync_switch"): "the schema's alias of lip_sync_tts_switch",
    ("PixVerseTransitionOperator", "lip_sync_switch"): "the schema's alias of lip_sync_tts_switch",
    ("PixVerseImageToVideoOperator", "img_ids"): "multi-image templates are PixVerseEffectOperator's",
    ("PixVerseFusionOperator", "motion_mode"): "not a fusion field (inherited by the model's base)",
    ("PixVerseSoundEffectOperator", "model"): "reserved by PixVerse for future use",
}


@pytest.mark.parametrize(
    "operator", [c for c in public_operators() if issubclass(c, PixVerseGenerationOperator)], ids=lambda c: c.__name__
)
def test_every_api_field_is_a_parameter_and_can_be_mapped(operator: type[PixVerseGenerationOperator]) -> None:
    model = operator._request_model_for(operator.mode)
    fields = {f.alias or name for name, f in model.model_fields.items()}
    left_out = {name for (cls, name) in NOT_OPERATOR_PARAMETERS if cls == operator.__name__}
    if operator is not operators.PixVerseEffectOperator:  # the effect operator names its few fields itself
        assert fields - set(operator._api_fields()) == left_out
    files = [f.file_field for f in operator.file_inputs if not f.within]
    with DAG("mappable", schedule=None, start_date=dags.START):
        for name in (*operator._api_fields(), *files):
            operator.partial(task_id=f"map_{name}").expand(**{name: [None]})  # raises for an unknown argument


# Operator parameters whose names differ from Airflow's usual one for the same idea.
DIFFERENT_NAMES = {"poll_interval": "poke_interval", "timeout": "execution_timeout"}


@pytest.mark.parametrize(("name", "usual"), DIFFERENT_NAMES.items())
def test_the_docstring_says_why_a_name_differs_from_airflows(name: str, usual: str) -> None:
    doc = inspect.getdoc(PixVerseGenerationOperator) or ""
    match = re.search(rf":param {name}:(.*?)(?=\n:param |\n\n|\Z)", doc, re.S)
    assert match, f"{name} is not documented"
    assert f"``{usual}``" in match.group(1), f"the docstring of {name} does not say how it relates to {usual}"


# --- in dag.test: every argument takes effect -------------------------------------------------------------------


def marks(dag_id: str, task_id: str, map_index: int = -1) -> list[str]:
    path = dags.MARKS / f"{dag_id}.{task_id}.{map_index}.txt"
    return path.read_text().splitlines() if path.is_file() else []


def clear_marks(dag_id: str) -> None:
    for path in dags.MARKS.glob(f"{dag_id}.*.txt"):
        path.unlink()


def asset_event_sources(run: Any) -> list[tuple[str, str]]:
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session

    with create_session() as session:
        rows = (
            session.query(AssetModel.uri, AssetEvent.source_task_id)
            .join(AssetEvent, AssetEvent.asset_id == AssetModel.id)
            .filter(AssetEvent.source_run_id == run.run_id)
        )
        return [(uri, task_id) for uri, task_id in rows]


def serialized_task(dag_id: str, task_id: str) -> Any:
    from airflow.models.serialized_dag import SerializedDagModel

    dag = SerializedDagModel.get_dag(dag_id)
    assert dag is not None
    return dag.get_task(task_id)


def rendered_fields(ti: Any) -> dict[str, Any]:
    from airflow.models.renderedtifields import RenderedTaskInstanceFields

    return RenderedTaskInstanceFields.get_templated_fields(ti) or {}


def stopped_by_execution_timeout(line: str, capfd: pytest.CaptureFixture[str], generation: bool) -> bool:
    """A generation's wait, deferred to the trigger, ends at the deadline execution_timeout sets
    (PixVerseVideoTimeoutError; AirflowTaskTimeout if a busy machine took that long before the deferral); an
    upload is interrupted by Airflow (AirflowTaskTimeout). Airflow 3.1's dag.test gives the callback no
    exception: there the class comes from the task's log."""
    expected = ("PixVerseVideoTimeoutError", "AirflowTaskTimeout") if generation else ("AirflowTaskTimeout",)
    if "exception=-" not in line:
        return any(f"exception={name}" in line for name in expected)
    out, err = capfd.readouterr()
    return re.search(rf"\b({'|'.join(expected)})\b", out + err) is not None


@pytest.mark.parametrize("case", CASES)
def test_airflow_arguments_take_effect(
    case: dags.Convention, emulator: EmulatorServer, capfd: pytest.CaptureFixture[str]
) -> None:
    path = case.endpoint.value
    if case.generation:
        emulator.state.update_config(generation_seconds=30)  # ``slow`` cannot finish within its timeout
        emulator.inject(path, "slow", delay=0.0, method="POST")  # ``slow``'s submit passes
    else:
        emulator.inject(path, "slow", delay=30.0, method="POST")  # ``slow``'s upload hangs
    emulator.inject(path, "err_code", err_code=REFUSED_ONCE, method="POST")  # ``op``'s first try
    clear_marks(case.dag_id)

    run = run_dag(DAG_FILE, case.dag_id)

    tis = {(ti.task_id, ti.map_index): ti for ti in run.get_task_instances()}
    values = case.expand[1]
    assert {key: str(ti.state) for key, ti in tis.items()} == {
        ("value", -1): "success", ("slow", -1): "failed", ("op", -1): "success",
        **{("mapped", i): "success" for i in range(len(values))},
    }  # fmt: skip

    # execution_timeout stopped ``slow``; on_failure_callback ran
    (failure,) = marks(case.dag_id, "slow")
    assert failure.startswith("failure try=1")
    assert stopped_by_execution_timeout(failure, capfd, case.generation), failure

    # trigger_rule, retries, retry_delay and the callbacks of ``op``
    op = tis["op", -1]
    assert op.try_number == 2 and op.max_tries == 1
    assert marks(case.dag_id, "op") == [
        "execute try=1 exception=-",
        marks(case.dag_id, "op")[1],  # the retry callback: the refused request's error, where Airflow gives it
        "execute try=2 exception=-",
        "success try=2 exception=-",
    ]
    assert marks(case.dag_id, "op")[1].startswith("retry try=1")
    refused = [e for e in emulator.state.request_log(path=path) if e.get("fault") == "err_code"]
    assert len(refused) == 1, "op's first try met the refusal"

    # pool, pool_slots, queue, priority_weight, doc_md, do_xcom_push, outlets
    for ti in [op, *(tis["mapped", i] for i in range(len(values)))]:
        assert (ti.pool, ti.pool_slots, ti.queue, ti.priority_weight) == (
            dags.POOL, dags.POOL_SLOTS, dags.QUEUE, dags.PRIORITY,
        ), ti.task_id  # fmt: skip
    assert serialized_task(case.dag_id, "op").doc_md == dags.doc(case.dag_id)  # what the UI shows
    assert op.xcom_pull(task_ids="op", key="return_value") is None
    assert (dags.outlet(case.dag_id).uri, "op") in asset_event_sources(run)

    # .partial().expand(), map_index_template, and a templated field from an XComArg
    xcom_field, xcom_value = case.from_xcom
    for i, value in enumerate(values):
        ti = tis["mapped", i]
        assert ti.rendered_map_index == str(value)
        assert rendered_fields(ti)[xcom_field] == xcom_value
        assert type(ti.xcom_pull(task_ids="mapped", map_indexes=i)) is int
        assert marks(case.dag_id, "mapped", i) == ["execute try=1 exception=-", "success try=1 exception=-"]


# --- the sensor (PixVerseVideoSensor): the lead's section --------------------------------------------------------
# Its DAGs go in tests/dags/convention_dags.py's sensor section; the checks above (marks, asset_event_sources,
# serialized_task, rendered_fields, stopped_by_execution_timeout) serve it as they are.
