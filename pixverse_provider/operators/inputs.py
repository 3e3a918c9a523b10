"""Operator inputs that PixVerse takes as ids but a DAG author may give as files to upload on the fly.

Each ``FileInput`` pairs an API id field (``img_id``) with the operator's file field (``image``): exactly one
of the two may be set. Before anything is sent the file is stood in for by a placeholder id, so the whole
request is validated first; uploads happen only once it is known to be valid.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pixverse_provider.api.validation import FieldProblem
from pixverse_provider.exceptions import PixVerseInvalidRequestError
from pixverse_provider.hooks.files import is_url

if TYPE_CHECKING:
    from pixverse_provider.hooks import PixVerseHook

PLACEHOLDER_ID = 0
Kind = Literal["image", "video", "audio"]


@dataclass(frozen=True)
class FileInput:
    """``id_field`` (API) or ``file_field`` (operator): one input of the request, as an id or a file.

    ``many`` inputs are lists (``img_ids`` ↔ ``images``); ``within`` names a list of objects whose items
    carry the pair (fusion's ``image_references``, multi-transition keyframes).
    """

    id_field: str
    file_field: str
    kind: Kind
    many: bool = False
    within: str | None = None
    required: bool = True


def check_choice(item: Mapping[str, Any], spec: FileInput, where: str) -> list[FieldProblem]:
    """Exactly one of the id and the file, and a local file that exists."""
    has_id = item.get(spec.id_field) is not None
    has_file = item.get(spec.file_field) is not None
    id_name, file_name = f"{where}{spec.id_field}", f"{where}{spec.file_field}"
    if has_id and has_file:
        return [FieldProblem(f"{id_name} or {file_name}", f"give {id_name} or {file_name}, not both")]
    if not has_id and not has_file and spec.required:
        return [FieldProblem(f"{id_name} or {file_name}", f"give {id_name} (an uploaded id) or {file_name} (a file)")]
    if has_file:
        sources = item[spec.file_field] if spec.many else [item[spec.file_field]]
        if spec.many and not isinstance(sources, list | tuple):
            return [FieldProblem(file_name, "must be a list of files")]
        return [p for source in sources if (p := _missing_local_file(file_name, source))]
    return []


def _missing_local_file(field: str, source: Any) -> FieldProblem | None:
    if isinstance(source, str | os.PathLike) and not is_url(source) and "://" not in str(source):
        if not Path(source).is_file():
            return FieldProblem(field, f"no such file: {source}")
    elif not (isinstance(source, str) or hasattr(source, "read") or hasattr(source, "open")):
        return FieldProblem(
            field, f"must be a path, an http(s) URL, a file object or an ObjectStoragePath, got {source!r}"
        )
    return None


def with_placeholders(item: dict[str, Any], spec: FileInput) -> dict[str, Any]:
    """``item`` with its file stood in for by placeholder ids, for validation before any upload."""
    out = {k: v for k, v in item.items() if k != spec.file_field}
    if item.get(spec.file_field) is not None:
        out[spec.id_field] = [PLACEHOLDER_ID] * len(item[spec.file_field]) if spec.many else PLACEHOLDER_ID
    return out


def upload(hook: PixVerseHook, spec: FileInput, item: dict[str, Any]) -> dict[str, Any]:
    """``item`` with its file uploaded and replaced by the id PixVerse gave it."""
    source = item.get(spec.file_field)
    out = {k: v for k, v in item.items() if k != spec.file_field}
    if source is not None:
        ids = [_upload_one(hook, spec, s) for s in source] if spec.many else _upload_one(hook, spec, source)
        out[spec.id_field] = ids
    return out


def _upload_one(hook: PixVerseHook, spec: FileInput, source: Any) -> int:
    if spec.kind == "image":
        image = hook.upload_image(source)
        hook.log.info("Uploaded %s as img_id %s", spec.file_field, image.img_id)
        return image.img_id
    media = hook.upload_media(source)
    if media.media_type.value != spec.kind:
        problem = FieldProblem(spec.file_field, f"must be {spec.kind}; PixVerse read it as {media.media_type.value}")
        raise PixVerseInvalidRequestError("upload", [problem])
    hook.log.info("Uploaded %s as media_id %s", spec.file_field, media.media_id)
    return media.media_id
