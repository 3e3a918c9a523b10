"""Where a finished video lands and how downstream DAGs hear of it: download, XCom, assets, lineage.

Shared by the generation operators and the sensor (``DeliversVideo``). The download runs on the worker,
streamed; the trigger never touches the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from airflow.sdk import Asset, AssetAlias

from pixverse_provider.after_submit.waiting import XCOM_VIDEO, video_summary
from pixverse_provider.hooks.files import video_target
from pixverse_provider.links import VIDEO_URL_ATTRIBUTE

if TYPE_CHECKING:
    from airflow.sdk import Context

    from pixverse_provider.api.responses import VideoRecord
    from pixverse_provider.hooks import PixVerseHook

XCOM_VIDEO_PATH = "video_path"


def land(hook: PixVerseHook, record: VideoRecord, output_path: str, output_conn_id: str | None = None) -> str:
    """Download the video to ``output_path``; returns the URI it landed at (``file:///...`` when local)."""
    target = video_target(output_path, record.id, output_conn_id)
    landed = hook.download_video(record.id, target, record=record)
    if isinstance(landed, Path):
        from airflow.providers.common.compat.lineage.hook import get_hook_lineage_collector

        uri = landed.resolve().as_uri()
        get_hook_lineage_collector().add_output_asset(context=hook, uri=uri)  # object stores record their own
        return uri
    return _without_conn_id(str(landed))


def _without_conn_id(uri: str) -> str:
    """``s3://aws_conn@videos/a.mp4`` → ``s3://videos/a.mp4``: the connection id names how to reach the store,
    not the file, so it stays out of XCom and of asset URIs (a downstream ``Asset("s3://videos/...")`` matches)."""
    parts = urlsplit(uri)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


class DeliversVideo:
    """Finish a wait: download (``output_path``), push XComs, and annotate or emit assets (``outlets``)."""

    output_path: str | None
    output_conn_id: str | None
    outlets: list[Any]
    log: Any

    @property
    def hook(self) -> PixVerseHook:
        raise NotImplementedError("the operator using DeliversVideo provides its hook")

    def deliver(self, context: Context, record: VideoRecord, metadata: dict[str, Any]) -> dict[str, Any]:
        """Returns the video summary pushed as XCom ``video``."""
        summary = video_summary(record)
        context["ti"].xcom_push(key=XCOM_VIDEO, value=summary)
        setattr(self, VIDEO_URL_ATTRIBUTE, record.url)  # read by the "PixVerse video" extra link
        uri = None
        if self.output_path:
            uri = land(self.hook, record, self.output_path, self.output_conn_id)
            self.log.info("PixVerse video %s landed at %s", record.id, uri)
            context["ti"].xcom_push(key=XCOM_VIDEO_PATH, value=uri)
        self._emit_assets(context, uri, {**summary, **metadata, "path": uri})
        return summary

    def _emit_assets(self, context: Context, uri: str | None, metadata: dict[str, Any]) -> None:
        """Attach the video's metadata to each outlet asset; an alias gets an asset for the landed file."""
        extra = {k: v for k, v in metadata.items() if v is not None}
        for outlet in self.outlets or []:
            if isinstance(outlet, AssetAlias):
                if uri is None:
                    self.log.warning("Outlet %s is an AssetAlias but no output_path was set: nothing to emit", outlet)
                    continue
                context["outlet_events"][outlet].add(Asset(uri), extra=extra)
            elif isinstance(outlet, Asset):
                context["outlet_events"][outlet].extra.update(extra)
