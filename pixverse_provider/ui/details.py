"""What the page shows of each video: the facts of ``records.VideoEntry`` plus what its tasks recorded beside the
summary (rendered prompt and settings, estimated and charged credits, trace id, landed path), read for the
videos of one page only.

The prompt and settings come from Airflow's rendered-fields table, which keeps the last
``[core] max_num_rendered_ti_fields_per_task`` runs of each task (30 by default): older videos show their
facts without the prompt.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from airflow.models.renderedtifields import RenderedTaskInstanceFields
from airflow.models.xcom import XComModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from pixverse_provider.after_submit.delivery import XCOM_VIDEO_PATH
from pixverse_provider.operators.base import XCOM_CHARGED_CREDITS, XCOM_ESTIMATED_CREDITS, XCOM_TRACE_ID
from pixverse_provider.ui.records import TaskRef, VideoEntry, xcom_value

SHOWN_SETTINGS = ("prompt", "model", "duration", "quality")
_KEYS = (XCOM_ESTIMATED_CREDITS, XCOM_CHARGED_CREDITS, XCOM_VIDEO_PATH, XCOM_TRACE_ID)


def _by_task(session: Session, model: Any, refs: set[TaskRef], *extra: Any) -> Any:
    query = select(model.dag_id, model.run_id, model.task_id, model.map_index, *extra).where(
        model.dag_id.in_({r.dag_id for r in refs}),
        model.run_id.in_({r.run_id for r in refs}),
        model.task_id.in_({r.task_id for r in refs}),
    )
    return query


def recorded_xcoms(session: Session, refs: set[TaskRef]) -> dict[TaskRef, dict[str, Any]]:
    """``{task: {key: value}}`` of the XComs the page shows, for ``refs``."""
    found: dict[TaskRef, dict[str, Any]] = defaultdict(dict)
    if not refs:
        return found
    query = _by_task(session, XComModel, refs, XComModel.key, XComModel.value).where(XComModel.key.in_(_KEYS))
    for dag_id, run_id, task_id, map_index, key, value in session.execute(query):
        ref = TaskRef(dag_id, run_id, task_id, map_index)
        if ref in refs:
            found[ref][key] = xcom_value(value)
    return found


def rendered_fields(session: Session, refs: set[TaskRef]) -> dict[TaskRef, dict[str, Any]]:
    found: dict[TaskRef, dict[str, Any]] = {}
    if not refs:
        return found
    query = _by_task(session, RenderedTaskInstanceFields, refs, RenderedTaskInstanceFields.rendered_fields)
    for dag_id, run_id, task_id, map_index, fields in session.execute(query):
        ref = TaskRef(dag_id, run_id, task_id, map_index)
        value = xcom_value(fields)
        if ref in refs and isinstance(value, dict):
            found[ref] = value
    return found


def task_query(ref: TaskRef) -> str:
    """The query string that names one task instance (the file route's and the tab's)."""
    return urlencode({"dag_id": ref.dag_id, "run_id": ref.run_id, "task_id": ref.task_id, "map_index": ref.map_index})


def _number(value: Any) -> float | int | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def describe(session: Session, entries: list[VideoEntry]) -> list[dict[str, Any]]:
    """The JSON the page draws, one object per entry (every text is escaped by the page, never trusted)."""
    refs = {ref for entry in entries for ref in entry.tasks()}
    xcoms = recorded_xcoms(session, refs)
    fields = rendered_fields(session, refs)
    return [_describe(entry, xcoms, fields) for entry in entries]


def _describe(
    entry: VideoEntry, xcoms: dict[TaskRef, dict[str, Any]], fields: dict[TaskRef, dict[str, Any]]
) -> dict[str, Any]:
    made = xcoms.get(entry.ref, {})
    waited = xcoms.get(entry.waiter, {}) if entry.waiter else {}
    rendered = fields.get(entry.ref, {})
    summary = entry.summary or {}
    waiter = entry.waiter
    landed_by = waiter if waiter is not None and XCOM_VIDEO_PATH in waited else entry.ref
    landed = waited.get(XCOM_VIDEO_PATH) or made.get(XCOM_VIDEO_PATH)
    trace_id = made.get(XCOM_TRACE_ID) or (fields.get(entry.waiter, {}).get("trace_id") if entry.waiter else None)
    return {
        "video_id": None if entry.video_id is None else str(entry.video_id),
        "dag_id": entry.ref.dag_id,
        "run_id": entry.ref.run_id,
        "task_id": entry.ref.task_id,
        "map_index": entry.ref.map_index,
        "waiter": None
        if entry.waiter is None
        else {"task_id": entry.waiter.task_id, "map_index": entry.waiter.map_index},
        "mode": entry.mode,
        **{name: _text_or_number(rendered.get(name)) for name in SHOWN_SETTINGS},
        "estimated_credits": _number(made.get(XCOM_ESTIMATED_CREDITS)),
        "charged_credits": _number(made.get(XCOM_CHARGED_CREDITS)),
        "status": entry.status,
        "pixverse_status": _number(summary.get("status")),
        "task_state": entry.waiter_state if entry.waiter else entry.state,
        "created": entry.created.isoformat() if entry.created else None,
        "finished": entry.finished.isoformat() if entry.finished else None,
        "url": summary.get("url") if isinstance(summary.get("url"), str) else None,
        "landed": landed if isinstance(landed, str) else None,
        "stream": f"api/file?{task_query(landed_by)}" if isinstance(landed, str) else None,
        "failed_task": task_query(entry.waiter or entry.ref) if entry.status == "failed" else None,
        "trace_id": trace_id if isinstance(trace_id, str) else None,
        "width": _number(summary.get("width")),
        "height": _number(summary.get("height")),
        "size": _number(summary.get("size")),
    }


def _text_or_number(value: Any) -> str | int | float | None:
    if value is None or isinstance(value, (int, float, str)):
        return value
    return str(value)
