"""Operator inputs that PixVerse takes as ids but a DAG author may give as files to upload on the fly.

Each ``FileInput`` pairs an API id field (``img_id``) with the operator's file field (``image``), plus any
other argument that gives the same input (a video is also a ``source_video_id``): exactly one may be set.
Before anything is sent the file is stood in for by a placeholder id, so the whole request is validated
first; uploads happen only once it is known to be valid. Every message names the argument the user wrote:
a problem the request model finds with the placeholder ``img_id`` is reported against ``image``, and a
failed upload names its input (``image_references[2] 'logo'``) and the file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pixverse_provider.api.validation import FieldProblem
from pixverse_provider.exceptions import PixVerseError, PixVerseInvalidRequestError
from pixverse_provider.hooks.files import is_url

if TYPE_CHECKING:
    from pixverse_provider.hooks import PixVerseHook

PLACEHOLDER_ID = 0
Kind = Literal["image", "video", "audio"]


@dataclass(frozen=True)
class FileInput:
    """``id_field`` (API) or ``file_field`` (operator): one input of the request, as an id or a file.

    ``many`` inputs are lists (``img_ids`` ↔ ``images``); ``within`` names a list of objects whose items
    carry the pair (fusion's ``image_references``, multi-transition keyframes), and ``named_by`` the key that
    names such an item in messages (fusion's ``ref_name``). ``alternatives`` are other arguments that give the
    same input (``source_video_id`` for a video): at most one of all of them may be set.
    """

    id_field: str
    file_field: str
    kind: Kind
    many: bool = False
    within: str | None = None
    required: bool = True
    alternatives: tuple[str, ...] = ()
    named_by: str | None = None

    @property
    def choices(self) -> tuple[str, ...]:
        return (*self.alternatives, self.id_field, self.file_field)


IMAGE = FileInput("img_id", "image", "image")
"""An input image: ``img_id`` (an upload) or ``image`` (a file)."""
VIDEO = FileInput("video_media_id", "video", "video", alternatives=("source_video_id",))
"""An input video: ``source_video_id`` (a PixVerse generation), ``video_media_id`` or ``video`` (a file)."""


# --- before anything is sent: one choice per input, files that exist, placeholders, the user's names ----------


def stand_in(
    specs: Sequence[FileInput], values: Mapping[str, Any]
) -> tuple[dict[str, Any], list[FieldProblem], dict[str, str]]:
    """``values`` with every file stood in for by placeholder ids, the problems of the inputs themselves, and
    the renames (``{"img_id": "image"}``) that turn a request model's field names back into the user's."""
    out, problems, renames = dict(values), [], {}
    for spec in specs:  # judged on the values as given, before any placeholder stands in
        for where, item in _occurrences(spec, values):
            problems += check_choice(item, spec, where)
            renames.update(_renames(item, spec, where))
    for spec in specs:
        if spec.within and isinstance(out.get(spec.within), list):
            out[spec.within] = [
                _with_placeholders(dict(item), spec) if isinstance(item, Mapping) else item for item in out[spec.within]
            ]
        elif not spec.within:
            out = _with_placeholders(out, spec)
    return out, problems, renames


def _occurrences(spec: FileInput, values: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Where the input occurs: ``("", values)``, or each object of its ``within`` list with its prefix."""
    if not spec.within:
        yield "", values
        return
    items = values.get(spec.within)
    if isinstance(items, list):
        yield from ((f"{spec.within}[{i}].", item) for i, item in enumerate(items) if isinstance(item, Mapping))


def check_choice(item: Mapping[str, Any], spec: FileInput, where: str) -> list[FieldProblem]:
    """At most one of the input's arguments (exactly one when required), and local files that exist."""
    names = [f"{where}{name}" for name in spec.choices]
    given = [f"{where}{name}" for name in spec.choices if item.get(name) is not None]
    field = _one_of(names)
    own = item.get(spec.id_field) is not None or item.get(spec.file_field) is not None
    if len(given) > 1 and own:  # a clash among the alternatives alone is their own input's to report
        detail = f"give {field}, not both" if len(names) == 2 else f"give only one of {field}; got {_and(given)}"
        return [FieldProblem(field, detail)]
    if not given and spec.required:
        described = [*names[:-2], f"{names[-2]} (an uploaded id)", f"{names[-1]} (a file)"]
        return [FieldProblem(field, f"give {_one_of(described)}")]
    if item.get(spec.file_field) is not None:
        file_name = f"{where}{spec.file_field}"
        sources = item[spec.file_field]
        if not spec.many:
            return [p for p in [_missing_local_file(file_name, sources)] if p]
        if not isinstance(sources, list | tuple):
            return [FieldProblem(file_name, "must be a list of files")]
        return [p for i, source in enumerate(sources) if (p := _missing_local_file(f"{file_name}[{i}]", source))]
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


def _with_placeholders(item: dict[str, Any], spec: FileInput) -> dict[str, Any]:
    """``item`` with its file stood in for by placeholder ids, for validation before any upload."""
    out = {k: v for k, v in item.items() if k != spec.file_field}
    if item.get(spec.file_field) is not None:
        out[spec.id_field] = [PLACEHOLDER_ID] * len(item[spec.file_field]) if spec.many else PLACEHOLDER_ID
    return out


def _renames(item: Mapping[str, Any], spec: FileInput, where: str) -> dict[str, str]:
    if item.get(spec.file_field) is None or item.get(spec.id_field) is not None:
        return {}
    return {f"{where}{spec.id_field}": f"{where}{spec.file_field}"}


def as_written(problems: Iterable[FieldProblem], renames: Mapping[str, str]) -> list[FieldProblem]:
    """``problems`` with the id fields that stood in for files named as the file arguments the user wrote."""
    if not renames:
        return list(problems)
    alternation = "|".join(map(re.escape, sorted(renames, key=len, reverse=True)))
    pattern = re.compile(rf"(?<![\w.\]])({alternation})(?!\w)")

    def rename(text: str) -> str:
        return pattern.sub(lambda m: renames[m.group(1)], text)

    return [replace(p, field=rename(p.field), message=rename(p.message)) for p in problems]


def _one_of(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _and(names: Sequence[str]) -> str:
    return f"{', '.join(names[:-1])} and {names[-1]}"


# --- the uploads, once the request is known to be valid ------------------------------------------------------


def upload_all(hook: PixVerseHook, specs: Sequence[FileInput], values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` with every file uploaded and replaced by the id PixVerse gave it."""
    out = dict(values)
    for spec in specs:
        if spec.within:
            items = out.get(spec.within) or []
            out[spec.within] = [_upload(hook, spec, dict(it), _item_label(spec, i, it)) for i, it in enumerate(items)]
        else:
            out = _upload(hook, spec, out, spec.file_field)
    return out


def _upload(hook: PixVerseHook, spec: FileInput, item: dict[str, Any], label: str) -> dict[str, Any]:
    """``item`` with its file uploaded and replaced by the id PixVerse gave it; ``label`` names the input."""
    source = item.get(spec.file_field)
    out = {k: v for k, v in item.items() if k != spec.file_field}
    if source is not None:
        if spec.many:
            out[spec.id_field] = [_upload_one(hook, spec.kind, s, f"{label}[{i}]") for i, s in enumerate(source)]
        else:
            out[spec.id_field] = _upload_one(hook, spec.kind, source, label)
    return out


def _upload_one(hook: PixVerseHook, kind: Kind, source: Any, label: str) -> int:
    """Upload one file; any failure names the input (``label``) and the file."""
    with naming_the_input(label, source):
        if kind == "image":
            image = hook.upload_image(source)
            hook.log.info("Uploaded %s (%s) as img_id %s", label, _describe(source), image.img_id)
            return image.img_id
        media = hook.upload_media(source)
    if media.media_type.value != kind:
        problem = FieldProblem(label, f"must be {kind}; PixVerse read {_describe(source)} as {media.media_type.value}")
        raise PixVerseInvalidRequestError("upload", [problem])
    hook.log.info("Uploaded %s (%s) as media_id %s", label, _describe(source), media.media_id)
    return media.media_id


@contextmanager
def naming_the_input(label: str, source: Any) -> Iterator[None]:
    """A ``PixVerseError`` raised inside gets the input and the file it was about in front of its message; its
    class and attributes stay, so whether a retry can help is unchanged."""
    try:
        yield
    except PixVerseError as exc:
        exc.args = (f"{label} ({_describe(source)}): {exc}", *exc.args[1:])
        raise


def _describe(source: Any) -> str:
    """A path, URL or ObjectStoragePath as text; a file object by its name."""
    if isinstance(source, str | os.PathLike):
        return str(source)
    return str(getattr(source, "name", None) or type(source).__name__)


def _item_label(spec: FileInput, index: int, item: Mapping[str, Any]) -> str:
    label = f"{spec.within}[{index}]"
    name = item.get(spec.named_by) if spec.named_by else None
    return f"{label} {name!r}" if name else label
