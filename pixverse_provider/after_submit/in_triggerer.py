"""Waiting with no worker at all (Airflow 3.3+): the sensor starts in the triggerer, and a wait with nothing
left to do on a worker ends its task there.

A worker run costs a process, a DAG-file parse and a worker slot. On Airflow 3.3 a video costs one run
(the submit) when nothing is landed, two when a file is:

- ``PixVerseVideoSensor`` uses ``start_from_trigger``: the scheduler hands the wait straight to the triggerer,
  which renders ``video_id`` (and ``trace_id``, ``pixverse_conn_id``) itself. It does so by default when
  those are literals or tasks' outputs (``generate.output``, passed on as an ``xcom_pull`` template that
  the triggerer can answer); a template the DAG author wrote starts on a worker unless they ask with
  ``start_from_trigger=True`` (see ``as_trigger_kwarg``).
- When the video is ready and the task has no ``output_path`` to download to and no ``outlets`` to fill,
  the trigger pushes the XComs a worker would have pushed (``return_value``, ``video``, the "PixVerse video"
  link) and ends the task with a ``TaskSuccessEvent``.
- Every other ending (a failed, refused or deleted video, a timeout, unreadable statuses, an invalid
  ``video_id``) goes back to a worker, which raises the same exception as before: Airflow's
  ``TaskFailedEvent`` would retry every failure alike and show no message, and failures are rare.

Airflow 3.1 and 3.2 render templates on a worker only, so there the sensor starts on a worker and every wait
resumes on one, as before. ``asset outlets`` still need a worker: Airflow records asset events only from a
worker. A mapped sensor (``.expand``) starts on a worker (Airflow takes ``start_from_trigger`` from the class
for mapped tasks), then still ends in the triggerer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from airflow import __version__ as AIRFLOW_VERSION
from packaging.version import Version

from pixverse_provider.after_submit.waiting import XCOM_VIDEO, video_summary
from pixverse_provider.links import PixVerseVideoLink

if TYPE_CHECKING:
    from airflow.triggers.base import TriggerEvent

    from pixverse_provider.api.responses import VideoRecord

AIRFLOW_3_3_PLUS = Version(Version(AIRFLOW_VERSION).base_version) >= Version("3.3")


def nothing_left_for_a_worker(task: Any) -> bool:
    """Whether a successful wait of ``task`` can end in the triggerer: Airflow 3.3+, no file to land, no outlets."""
    return AIRFLOW_3_3_PLUS and not getattr(task, "output_path", None) and not getattr(task, "outlets", None)


def success_xcoms(record: VideoRecord, returns: str) -> dict[str, Any]:
    """The XComs a worker would have pushed for this finished video."""
    summary = video_summary(record)
    return {
        "return_value": record.id if returns == "video_id" else summary,
        XCOM_VIDEO: summary,
        PixVerseVideoLink().xcom_key: record.url or "",
    }


async def end_task(task_instance: Any, xcoms: dict[str, Any]) -> TriggerEvent:
    """Push ``xcoms`` as the task's, then the event that ends it as a success.

    The XComs go through the triggerer's own XCom channel (``XCom.aset``, as a worker pushes them), not in
    ``TaskSuccessEvent(xcoms=...)``: Airflow 3.3.2 stores those JSON-encoded twice, so a downstream task
    would pull the text of a dict, or of an int, instead of the value.
    """
    from airflow.sdk.execution_time.xcom import XCom
    from airflow.triggers.base import TaskSuccessEvent

    ti = task_instance
    for key, value in xcoms.items():
        await XCom.aset(key, value, dag_id=ti.dag_id, task_id=ti.task_id, run_id=ti.run_id, map_index=ti.map_index)
    return TaskSuccessEvent()


NOT_FOR_THE_TRIGGERER = object()
"""``as_trigger_kwarg``'s answer for a value the triggerer cannot be trusted to render."""


def as_trigger_kwarg(value: Any, *, trust_templates: bool = False) -> Any:
    """``value`` as the triggerer will render it, or ``NOT_FOR_THE_TRIGGERER``.

    Literals pass as they are. A task's output (``generate.output``, ``generate.output["trace_id"]``) becomes
    an ``xcom_pull`` template with ``map_indexes=-1``: on Airflow 3.3.2 an ``xcom_pull`` without it asks for
    every map index, a request the triggerer cannot answer, and the trigger hangs until its timeout. For
    that reason a template the DAG author wrote goes to the triggerer only when they asked for it
    (``trust_templates``, from ``start_from_trigger=True``). A mapped upstream, or a task inside a mapped
    task group, is left to a worker.
    """
    if value is None or isinstance(value, int | float | bool):
        return value
    if isinstance(value, str):
        return value if trust_templates or ("{{" not in value and "{%" not in value) else NOT_FOR_THE_TRIGGERER
    operator, key = getattr(value, "operator", None), getattr(value, "key", None)
    if type(value).__name__ != "PlainXComArg" or operator is None or not isinstance(key, str) or mapped(operator):
        return NOT_FOR_THE_TRIGGERER
    return f"{{{{ task_instance.xcom_pull(task_ids={operator.task_id!r}, key={key!r}, map_indexes=-1) }}}}"


def mapped(task: Any) -> bool:
    """A mapped task, or one inside an expanded task group: it renders per map index, which a start fixed in the
    DAG (``start_trigger_args``) cannot do."""
    return bool(getattr(task, "is_mapped", False)) or task.get_closest_mapped_task_group() is not None
