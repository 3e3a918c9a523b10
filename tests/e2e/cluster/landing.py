"""What every scenario checks at its end: each video was paid for once and landed whole in S3."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from pixverse_provider.emulator.probe import MediaInfo, probe_media
from tests.e2e.cluster.cluster import ClusterDeployment

VIDEO = MediaInfo("video", "mp4", 5.0, 640, 360)
"""What the cluster DAGs ask for: v5, 360p, 16:9, 5 s."""


def landed_videos(cluster: ClusterDeployment, dag_id: str, run_id: str, task_id: str) -> dict[int, dict[str, Any]]:
    """``{video_id: XCom video summary}`` of every instance of ``task_id`` (the task that landed the video)."""
    summaries = [
        cluster.xcom(dag_id, run_id, task_id, key="video", map_index=ti["map_index"])
        for ti in cluster.all_task_instances(dag_id, run_id, task_id)
    ]
    return {summary["video_id"]: summary for summary in summaries}


def assert_landed_in_s3(cluster: ClusterDeployment, prefix: str, videos: dict[int, dict[str, Any]]) -> None:
    """Exactly these videos are under ``prefix``, each an MP4 of the frame asked for and of the size reported."""
    objects = cluster.s3_objects(f"{prefix}/")
    expected = {f"{prefix}/pixverse_{video_id}.mp4": video["size"] for video_id, video in videos.items()}
    assert objects == expected  # byte counts = the sizes PixVerse reported, no object missing or extra
    with tempfile.TemporaryDirectory() as folder:
        for key in objects:
            local = Path(folder) / Path(key).name
            local.write_bytes(cluster.s3_object(key))
            assert probe_media(local) == VIDEO, key
