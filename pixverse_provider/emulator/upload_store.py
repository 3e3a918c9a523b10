"""Accepted uploads: their files under ``<media_dir>/uploads``, and the lookups that answer PixVerse's codes.

A file being received goes to ``<media_dir>/incoming`` first (``intake`` writes it there) and is moved into
place once the upload rules accept it, named after its id: ids never repeat (see ``ids``), so files never
clash, also across runs sharing a media directory.
"""

from __future__ import annotations

import dataclasses
import shutil
import uuid
from pathlib import Path

from pixverse_provider.api import errors
from pixverse_provider.emulator.answers import ApiError
from pixverse_provider.emulator.ids import IdSource
from pixverse_provider.emulator.records import StoredUpload

__all__ = ["UploadStore"]

_WRONG_KIND = {"video": "audio", "audio": "a video"}


class UploadStore:
    """The uploads of one emulator run; made empty (its ``uploads`` directory too) when created.

    Not thread-safe by itself: ``EmulatorState`` calls it under its lock.

    :param media_dir: where the ``uploads`` and ``incoming`` directories are.
    :param ids: the emulator's id source (shared with jobs and masks, kept across resets).
    """

    def __init__(self, media_dir: Path, ids: IdSource) -> None:
        self._dir = media_dir / "uploads"
        self._incoming = media_dir / "incoming"
        self._ids = ids
        self._uploads: dict[int, StoredUpload] = {}
        shutil.rmtree(self._dir, ignore_errors=True)
        self._dir.mkdir(parents=True, exist_ok=True)
        self._incoming.mkdir(parents=True, exist_ok=True)

    def __len__(self) -> int:
        return len(self._uploads)

    def incoming_path(self) -> Path:
        """A fresh file name for an upload being received (moved into place by ``add``)."""
        return self._incoming / uuid.uuid4().hex

    def add(self, arrived: StoredUpload) -> StoredUpload:
        """Keep an accepted upload as it arrived (``path`` the received file, ``upload_id`` not given yet):
        give it an id (``img_id`` or ``media_id``) and move the file into place."""
        upload_id = self._ids.next("image" if arrived.kind == "image" else "media")
        path = self._dir / f"{upload_id}.{arrived.format}"
        arrived.path.replace(path)
        upload = dataclasses.replace(arrived, upload_id=upload_id, path=path)
        self._uploads[upload_id] = upload
        return upload

    def get(self, upload_id: int) -> StoredUpload | None:
        return self._uploads.get(upload_id)

    def image(self, account_id: int, img_id: int) -> StoredUpload:
        """The account's uploaded image ``img_id``, or 400032 (invalid image id)."""
        upload = self._uploads.get(img_id)
        if upload is None or upload.account_id != account_id or upload.kind != "image":
            raise ApiError(errors.INVALID_IMAGE_ID, f"invalid image id: {img_id}")
        return upload

    def media(self, account_id: int, media_id: int | None, kind: str) -> StoredUpload:
        """The account's uploaded ``kind`` ("video" or "audio") media, or 400017 naming what is wrong."""
        upload = self._uploads.get(media_id) if media_id is not None else None
        if upload is None or upload.account_id != account_id or upload.kind == "image":
            raise ApiError(errors.INVALID_PARAMETER, f"couldn't find a matching {kind} media: {media_id}")
        if upload.kind != kind:
            raise ApiError(
                errors.INVALID_PARAMETER, f"Invalid media_type: {kind}_media_id {media_id} is {_WRONG_KIND[kind]}"
            )
        return upload
