"""Every public operator with Airflow's own arguments, one DAG each, run by tests/system/test_conventions.py.

Each DAG ``conventions_<Operator>`` has the same shape::

    slow ──(trigger_rule all_done)──> op ──> mapped[0], mapped[1]
                                             ^
    value ───────────────────────────────────┘  (an XComArg for a templated field)

- ``slow`` must be stopped by ``execution_timeout``: a generation waits for a video that takes minutes
  (deferred to the trigger), an upload sends a file to an endpoint that answers slowly;
- ``op`` carries every argument the test checks (retries, pool, queue, callbacks, outlets, doc_md,
  do_xcom_push=False...) and runs although ``slow`` failed; its first try is refused by the emulator, so it
  is retried;
- ``mapped`` is ``.partial(...).expand()`` over an API field, with ``map_index_template`` and a templated
  field fed by ``value``'s XCom.

The sensor's conventions are another section of this file (see the end); they reuse ``AIRFLOW_ARGUMENTS``,
``mark`` and ``CONVENTIONS``' shape.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from airflow.sdk import DAG, Asset, BaseOperator, task

from pixverse_provider.api import Endpoint
from pixverse_provider.operators import (
    PixVerseEffectOperator,
    PixVerseExtendOperator,
    PixVerseFusionOperator,
    PixVerseImageToVideoOperator,
    PixVerseLipSyncOperator,
    PixVerseMimicOperator,
    PixVerseModifyOperator,
    PixVerseMultiTransitionOperator,
    PixVerseRestyleOperator,
    PixVerseSoundEffectOperator,
    PixVerseSwapOperator,
    PixVerseTextToVideoOperator,
    PixVerseTransitionOperator,
    PixVerseUploadImageOperator,
    PixVerseUploadMediaOperator,
)
from tests.dags.operator_dags import CAT, CLIP, DOG, ROBOT_TEMPLATE, VOICE

MARKS = Path(os.environ.get("AIRFLOW_HOME", "/tmp")) / "pixverse-convention-marks"
"""``<dag_id>.<task_id>.<map_index>.txt``: one line per callback that ran (written by ``mark``)."""
MARKS.mkdir(parents=True, exist_ok=True)

POOL, QUEUE, PRIORITY, POOL_SLOTS = "pixverse", "pixverse-queue", 7, 2
EXECUTION_TIMEOUT = timedelta(seconds=3)
START = datetime(2026, 1, 1)


def _mark(kind: str, context: Any) -> None:
    ti = context["ti"]
    exception = context.get("exception")
    line = f"{kind} try={ti.try_number} exception={type(exception).__name__ if exception else '-'}\n"
    with (MARKS / f"{ti.dag_id}.{ti.task_id}.{ti.map_index}.txt").open("a") as marks:
        marks.write(line)


def on_execute(context: Any) -> None:
    _mark("execute", context)


def on_success(context: Any) -> None:
    _mark("success", context)


def on_failure(context: Any) -> None:
    _mark("failure", context)


def on_retry(context: Any) -> None:
    _mark("retry", context)


AIRFLOW_ARGUMENTS: dict[str, Any] = {
    "retries": 1,
    "retry_delay": timedelta(seconds=0),
    "retry_exponential_backoff": True,  # a multiplier on Airflow 3.3 (True is 1), a switch on 3.1
    "execution_timeout": timedelta(minutes=5),
    "pool": POOL,
    "pool_slots": POOL_SLOTS,
    "queue": QUEUE,
    "priority_weight": PRIORITY,
    "weight_rule": "absolute",  # ``op`` has downstream tasks: keep its weight exactly PRIORITY
    "on_execute_callback": on_execute,
    "on_success_callback": on_success,
    "on_failure_callback": on_failure,
    "on_retry_callback": on_retry,
}
"""Airflow's own arguments given to ``op`` and ``mapped`` (``op`` adds the per-task ones below)."""


def outlet(dag_id: str) -> Asset:
    return Asset(f"pixverse://conventions/{dag_id}")


def doc(dag_id: str) -> str:
    return f"**{dag_id}**: the operator with Airflow's own arguments."


class Convention(NamedTuple):
    """How one operator is built for its convention DAG (a NamedTuple: tests/system/conftest.py loads this file
    under a module name of its own, which dataclasses cannot resolve)."""

    operator: type[BaseOperator]
    kwargs: dict[str, Any]
    """A valid call, files as local paths; it includes the first value of ``expand``."""
    endpoint: Endpoint
    """The POST the emulator refuses once (``op``'s first try) and answers slowly for ``slow`` (uploads)."""
    expand: tuple[str, list[Any]]
    """The API field ``mapped`` is expanded over, and its values."""
    from_xcom: tuple[str, Any]
    """A templated field ``mapped`` reads from ``value``'s XCom (``op`` and ``slow`` get it literally)."""
    generation: bool = True

    @property
    def dag_id(self) -> str:
        return f"conventions_{self.operator.__name__}"


WAIT_IN_THE_TRIGGERER = {"wait_for_completion": True, "deferrable": True, "poll_interval": 1}

# fmt: off
CONVENTIONS: list[Convention] = [
    Convention(PixVerseTextToVideoOperator, {"prompt": "A red fox"}, Endpoint.TEXT_TO_VIDEO,
               ("prompt", ["A red fox", "A grey cat"]), ("seed", 7)),
    Convention(PixVerseImageToVideoOperator, {"prompt": "The cat waves"}, Endpoint.IMAGE_TO_VIDEO,
               ("prompt", ["The cat waves", "The cat blinks"]), ("image", CAT)),
    Convention(PixVerseTransitionOperator, {"prompt": "The cat turns into a dog", "first_frame_image": CAT},
               Endpoint.TRANSITION, ("prompt", ["The cat turns into a dog", "Day turns to night"]),
               ("last_frame_image", DOG)),
    Convention(PixVerseEffectOperator, {"template_id": ROBOT_TEMPLATE, "quality": "540p"}, Endpoint.IMAGE_TO_VIDEO,
               ("quality", ["540p", "360p"]), ("image", CAT)),
    Convention(PixVerseMultiTransitionOperator, {"quality": "540p"}, Endpoint.MULTI_TRANSITION,
               ("quality", ["540p", "360p"]),
               ("multi_transition", [{"image": CAT, "duration": 3, "prompt": "the cat jumps"}, {"image": DOG}])),
    Convention(PixVerseFusionOperator, {"image_references": [{"ref_name": "cat", "type": "subject", "image": CAT}],
                                        "seed": 1}, Endpoint.FUSION,
               ("seed", [1, 2]), ("prompt", "@cat naps in the sun")),
    Convention(PixVerseExtendOperator, {"video": CLIP, "prompt": "The sun sets"}, Endpoint.EXTEND,
               ("prompt", ["The sun sets", "The moon rises"]), ("seed", 42)),
    Convention(PixVerseLipSyncOperator, {"video": CLIP, "lip_sync_tts_content": "Hello"}, Endpoint.LIP_SYNC,
               ("lip_sync_tts_content", ["Hello", "Goodbye"]), ("lip_sync_tts_speaker_id", "Auto")),
    Convention(PixVerseSoundEffectOperator, {"video": CLIP, "sound_effect_content": "rain"}, Endpoint.SOUND_EFFECT,
               ("sound_effect_content", ["rain", "wind"]), ("original_sound_switch", True)),
    Convention(PixVerseRestyleOperator, {"video": CLIP, "restyle_prompt": "watercolour"}, Endpoint.RESTYLE,
               ("restyle_prompt", ["watercolour", "charcoal"]), ("seed", 3)),
    Convention(PixVerseSwapOperator, {"video": CLIP, "mask_name": "person", "quality": "540p"}, Endpoint.SWAP,
               ("quality", ["540p", "360p"]), ("image", CAT)),
    Convention(PixVerseMimicOperator, {"video": CLIP, "quality": "540p"}, Endpoint.MIMIC,
               ("quality", ["540p", "360p"]), ("image", CAT)),
    Convention(PixVerseModifyOperator, {"video": CLIP, "prompt": "Make it night"}, Endpoint.MODIFY,
               ("prompt", ["Make it night", "Make it rain"]), ("images", [DOG])),
    Convention(PixVerseUploadImageOperator, {"image": CAT}, Endpoint.UPLOAD_IMAGE,
               ("image", [CAT, DOG]), ("pixverse_conn_id", "pixverse_default"), generation=False),
    Convention(PixVerseUploadMediaOperator, {"file": CLIP}, Endpoint.UPLOAD_MEDIA,
               ("file", [CLIP, VOICE]), ("pixverse_conn_id", "pixverse_default"), generation=False),
]
# fmt: on

DAGS: dict[str, DAG] = {}


def convention_dag(case: Convention) -> DAG:
    expand_field, values = case.expand
    xcom_field, xcom_value = case.from_xcom
    literal = {**case.kwargs, xcom_field: xcom_value}
    with DAG(case.dag_id, schedule=None, start_date=START, catchup=False) as dag:

        @task(task_id="value")
        def value() -> Any:
            return xcom_value

        slow = case.operator(
            task_id="slow",
            **literal,
            **(WAIT_IN_THE_TRIGGERER if case.generation else {}),
            execution_timeout=EXECUTION_TIMEOUT,
            on_failure_callback=on_failure,
        )
        op = case.operator(
            task_id="op",
            **literal,
            **AIRFLOW_ARGUMENTS,
            trigger_rule="all_done",
            outlets=[outlet(case.dag_id)],
            doc_md=doc(case.dag_id),
            do_xcom_push=False,
        )
        partial = {k: v for k, v in case.kwargs.items() if k != expand_field}
        mapped = case.operator.partial(
            task_id="mapped",
            **partial,
            **{xcom_field: value()},
            **AIRFLOW_ARGUMENTS,
            map_index_template=f"{{{{ task.{expand_field} }}}}",
        ).expand(**{expand_field: values})
        slow >> op >> mapped
    return dag


for _case in CONVENTIONS:
    DAGS[_case.dag_id] = convention_dag(_case)

# --- the sensor (PixVerseVideoSensor): the lead's section --------------------------------------------------------
# Add its DAG(s) to DAGS here, built with AIRFLOW_ARGUMENTS and the callbacks above, and extend
# tests/system/test_conventions.py's "sensor" section.
