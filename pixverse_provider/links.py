"""The "PixVerse video" extra link: opens the finished video from the task's page in the Airflow UI.

Airflow 3 resolves extra links on the worker when a task stops running (also when it defers) and stores
them in XCom. The task that delivered a video remembers its URL on the operator, so the link is read from
there: no XCom lookup, and an empty link while the video is not ready.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from airflow.sdk import BaseOperatorLink

if TYPE_CHECKING:
    from airflow.sdk import BaseOperator
    from airflow.sdk.types import TaskInstanceKey

VIDEO_URL_ATTRIBUTE = "pixverse_video_url"


class PixVerseVideoLink(BaseOperatorLink):
    name = "PixVerse video"

    def get_link(self, operator: BaseOperator, *, ti_key: TaskInstanceKey) -> str:
        return str(getattr(operator, VIDEO_URL_ATTRIBUTE, None) or "")
