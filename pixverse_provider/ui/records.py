"""The videos on record: what this provider's tasks pushed to XCom, read through Airflow's own models.

No store of our own: a generation operator pushes ``trace_id`` when PixVerse accepts a request (so every paid
video has one row, finished or not), its ``return_value`` is the video id, and whichever task waits for the
video (the operator itself, or a ``PixVerseVideoSensor``) pushes the ``video`` summary and ``video_path``.
A sensor is matched to the operator that submitted the same video in the same DAG run, so a video is listed
once. One query per kind of task, only small columns; the details of the 50 videos on a page are read
afterwards (``details.py``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from airflow.models.renderedtifields import RenderedTaskInstanceFields
from airflow.models.taskinstance import TaskInstance
from airflow.models.xcom import XComModel
from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session, aliased

from pixverse_provider.after_submit.waiting import XCOM_VIDEO
from pixverse_provider.operators.base import XCOM_TRACE_ID
from pixverse_provider.sensors import PixVerseVideoSensor

SENSOR_CLASS = PixVerseVideoSensor.__name__
WAITING_STATES = {"running", "deferred", "up_for_reschedule", "queued", "scheduled", "up_for_retry", "restarting"}
FAILED_STATES = {"failed", "upstream_failed"}
STATUSES = ("succeeded", "generating", "failed", "submitted", "unknown")
"""``succeeded``: a summary was recorded; ``generating``: a task still waits; ``failed``: the waiting task
failed (PixVerse status 7, 8 or 6, a timeout: the task log says which); ``submitted``: accepted, and no task
of the run waits for it."""


@dataclass(frozen=True)
class TaskRef:
    """One task instance."""

    dag_id: str
    run_id: str
    task_id: str
    map_index: int = -1


@dataclass
class VideoEntry:
    """One video: the task that submitted it, and the one that waited for it when that is another task."""

    ref: TaskRef
    video_id: int | None
    created: datetime
    operator: str | None
    state: str | None
    summary: dict[str, Any] | None = None
    finished: datetime | None = None
    waiter: TaskRef | None = None
    waiter_state: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def mode(self) -> str:
        return operator_modes().get(self.operator or "", "")

    @property
    def status(self) -> str:
        if self.summary is not None:
            return "succeeded" if self.summary.get("status") == 1 else "unknown"
        state = self.waiter_state if self.waiter is not None else self.state
        if state in FAILED_STATES:
            return "failed"
        if state in WAITING_STATES or state is None:
            return "generating"
        if state == "success":
            return "submitted"
        return "unknown"

    def tasks(self) -> list[TaskRef]:
        return [self.ref] if self.waiter is None else [self.ref, self.waiter]


@cache
def operator_modes() -> dict[str, str]:
    """``{operator class name: mode}`` for the generation operators (the effect operator picks its mode per
    request, so it is listed as ``effect``); the sensor's videos take the mode of the operator that made them."""
    from pixverse_provider import operators

    modes = {}
    for name in operators.__all__:
        cls = getattr(operators, name)
        mode = getattr(cls, "mode", None)
        if mode is not None:
            modes[name] = mode.value
    modes["PixVerseEffectOperator"] = "effect"
    return modes


def xcom_value(value: Any) -> Any:
    """An XCom row's value: Airflow 3.1 stores it JSON-encoded as text, 3.3 as JSON."""
    if isinstance(value, (str, bytes)):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _same_task(left: Any, right: Any) -> Any:
    return and_(
        left.dag_id == right.dag_id,
        left.run_id == right.run_id,
        left.task_id == right.task_id,
        left.map_index == right.map_index,
    )


def load_entries(
    session: Session,
    dag_ids: set[str] | None,
    *,
    run_id: str | None = None,
    since: datetime | None = None,
) -> list[VideoEntry]:
    """Every video of the DAGs ``dag_ids`` (``None``: all), newest first; ``run_id`` or ``since`` narrow it."""
    submitted = aliased(XComModel)
    returned = aliased(XComModel)
    summary = aliased(XComModel)

    def narrowed(query: Any, dag: Any, run: Any, moment: Any) -> Any:
        if dag_ids is not None:
            query = query.where(dag.in_(dag_ids))
        if run_id is not None:
            query = query.where(run == run_id)
        if since is not None:
            query = query.where(moment >= since)
        return query

    generations = select(
        submitted.dag_id, submitted.run_id, submitted.task_id, submitted.map_index, submitted.timestamp,
        returned.value, summary.value, summary.timestamp, TaskInstance.state, TaskInstance.operator,
    ).where(submitted.key == XCOM_TRACE_ID)  # fmt: skip
    generations = generations.outerjoin(returned, and_(_same_task(returned, submitted), returned.key == "return_value"))
    generations = generations.outerjoin(summary, and_(_same_task(summary, submitted), summary.key == XCOM_VIDEO))
    generations = generations.outerjoin(TaskInstance, _same_task(TaskInstance, submitted))
    entries: dict[tuple[str, str, int], VideoEntry] = {}
    unnumbered: list[VideoEntry] = []
    for dag_id, run, task_id, map_index, created, video_id, video, finished, state, operator in session.execute(
        narrowed(generations, submitted.dag_id, submitted.run_id, submitted.timestamp)
    ):
        number = xcom_value(video_id)
        details = xcom_value(video)
        entry = VideoEntry(
            TaskRef(dag_id, run, task_id, map_index),
            number if isinstance(number, int) else None,
            created,
            operator,
            state,
            details if isinstance(details, dict) else None,
            finished if details is not None else None,
        )
        if entry.video_id is None and entry.summary:
            entry.video_id = entry.summary.get("video_id")
        if entry.video_id is None:
            unnumbered.append(entry)
        else:
            entries[(dag_id, run, entry.video_id)] = entry
    for sensor in _sensors(session, narrowed):
        key = (sensor.ref.dag_id, sensor.ref.run_id, sensor.video_id or 0)
        made = entries.get(key)
        if made is None:
            if sensor.summary is not None:  # a video submitted outside these runs: listed as the sensor's
                entries[key] = sensor
            continue
        made.waiter, made.waiter_state = sensor.ref, sensor.state
        if sensor.summary is not None and made.summary is None:
            made.summary, made.finished = sensor.summary, sensor.finished
    found = [*entries.values(), *unnumbered]
    found.sort(key=lambda e: e.created, reverse=True)
    return found


def _sensors(session: Session, narrowed: Any) -> list[VideoEntry]:
    """The ``PixVerseVideoSensor`` task instances, with the video each waits for (its summary once it has one,
    else its rendered ``video_id``)."""
    summary = aliased(XComModel)
    submitted = aliased(XComModel)
    query = select(
        TaskInstance.dag_id, TaskInstance.run_id, TaskInstance.task_id, TaskInstance.map_index,
        TaskInstance.start_date, TaskInstance.state, summary.value, summary.timestamp,
    ).where(TaskInstance.operator == SENSOR_CLASS)  # fmt: skip
    query = query.outerjoin(summary, and_(_same_task(summary, TaskInstance), summary.key == XCOM_VIDEO))
    query = query.where(~exists().where(_same_task(submitted, TaskInstance), submitted.key == XCOM_TRACE_ID))
    query = narrowed(query, TaskInstance.dag_id, TaskInstance.run_id, TaskInstance.start_date)
    sensors: list[VideoEntry] = []
    waiting: list[VideoEntry] = []
    for dag_id, run, task_id, map_index, started, state, video, finished in session.execute(query):
        details = xcom_value(video)
        ref = TaskRef(dag_id, run, task_id, map_index)
        entry = VideoEntry(ref, None, finished or started, SENSOR_CLASS, state)
        if isinstance(details, dict):
            entry.summary, entry.finished, entry.video_id = details, finished, details.get("video_id")
        else:
            waiting.append(entry)
        sensors.append(entry)
    _read_rendered_video_ids(session, waiting)
    return [s for s in sensors if s.video_id is not None]


def _read_rendered_video_ids(session: Session, sensors: list[VideoEntry]) -> None:
    """The video id a sensor without a summary waits for, from its rendered fields."""
    if not sensors:
        return
    by_ref = {s.ref: s for s in sensors}
    fields = RenderedTaskInstanceFields
    query = select(fields.dag_id, fields.run_id, fields.task_id, fields.map_index, fields.rendered_fields).where(
        fields.dag_id.in_({r.dag_id for r in by_ref}),
        fields.run_id.in_({r.run_id for r in by_ref}),
        fields.task_id.in_({r.task_id for r in by_ref}),
    )
    for dag_id, run, task_id, map_index, rendered in session.execute(query):
        sensor = by_ref.get(TaskRef(dag_id, run, task_id, map_index))
        value = (xcom_value(rendered) or {}).get("video_id") if sensor else None
        if sensor is not None and value is not None:
            try:
                sensor.video_id = int(value)
            except (TypeError, ValueError):
                continue
