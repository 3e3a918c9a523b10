"""The "PixVerse video" extra link: opens the finished video from the task's page in the Airflow UI.

Airflow 3 resolves extra links on the worker when the task ends and stores them in XCom; this link reads
the ``video`` summary the task pushed, so it appears once a video is ready and stays empty otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from airflow.sdk import BaseOperatorLink

from pixverse_provider.waiting import XCOM_VIDEO

if TYPE_CHECKING:
    from airflow.sdk import BaseOperator
    from airflow.sdk.types import TaskInstanceKey


class PixVerseVideoLink(BaseOperatorLink):
    name = "PixVerse video"

    def get_link(self, operator: BaseOperator, *, ti_key: TaskInstanceKey) -> str:
        from airflow.sdk.bases.xcom import BaseXCom

        video: Any = BaseXCom.get_value(ti_key=ti_key, key=XCOM_VIDEO)  # type: ignore[arg-type]
        return str(video.get("url") or "") if isinstance(video, dict) else ""
