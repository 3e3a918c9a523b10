"""The file route's rules without a deployment: which recorded paths it serves, and HTTP Range arithmetic."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import HTTPException

from pixverse_provider.ui.streaming import byte_range, landed_file


@pytest.mark.parametrize(
    "recorded",
    [
        "/etc/passwd",  # not a video
        "file:///etc/passwd",
        "videos/pixverse_1.mp4",  # relative
        "../videos/pixverse_1.mp4",
        "file:///tmp/videos/../../etc/shadow.mp4",
        "memory://bucket/videos/../secret.mp4",
        "s3://bucket/notes.txt",
    ],
)
def test_a_recorded_path_that_is_not_an_absolute_video_path_is_refused(recorded: str) -> None:
    with pytest.raises(HTTPException) as refused:
        landed_file(recorded)
    assert refused.value.status_code == 404


def test_a_landed_local_file_is_served_and_a_gone_one_says_so(tmp_path: Path) -> None:
    video = tmp_path / "pixverse_7.mp4"
    video.write_bytes(b"0123456789")
    found = landed_file(video.as_uri())
    assert (found.size, found.media_type) == (10, "video/mp4")
    with found.open() as handle:
        assert handle.read() == b"0123456789"
    video.unlink()
    with pytest.raises(HTTPException, match="no longer there"):
        landed_file(video.as_uri())


def test_a_landed_object_store_file_is_served() -> None:
    from airflow.sdk import ObjectStoragePath

    target = ObjectStoragePath("memory://ui-tests/videos/pixverse_8.mp4")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"abcdefgh")
    found = landed_file(str(target))
    assert found.size == 8
    with found.open() as handle:
        handle.seek(2)
        assert handle.read(3) == b"cde"
    with pytest.raises(HTTPException):
        landed_file("memory://ui-tests/videos/pixverse_9.mp4")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-99", (0, 99)),
        ("bytes=100-", (100, 999)),
        ("bytes=-10", (990, 999)),
        ("bytes=900-5000", (900, 999)),
        ("bytes=0-1,5-6", None),  # several ranges: the whole file
        ("items=0-1", None),
    ],
)
def test_byte_ranges(header: str | None, expected: tuple[int, int] | None) -> None:
    assert byte_range(header, 1000) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5-2"])
def test_a_range_beyond_the_file_is_not_satisfiable(header: str) -> None:
    with pytest.raises(HTTPException) as refused:
        byte_range(header, 1000)
    assert refused.value.status_code == 416
    assert refused.value.headers == {"Content-Range": "bytes */1000"}
