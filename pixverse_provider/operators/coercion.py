"""Rendered templates are text; the API wants numbers, booleans and lists. Judge the text as the value it names.

A field that wants an int, a bool or a list and receives a string (``seed="{{ params.seed }}"`` renders
``"-3"``) is read as the Python literal the string spells: ``"-3"`` → ``-3``, ``"True"`` → ``True``,
``"[1, 2]"`` → ``[1, 2]``, ``"None"`` → unset. The request model then judges that value exactly as if the
DAG author had written it, so a rendered ``-3`` and a literal ``-3`` get the same message ("greater than or
equal to 0"). Text that is no literal (``"5s"``, ``"lucky"``) is left alone and reported as the wrong type.
String fields (prompts, enums such as ``quality``) are never touched.
"""

from __future__ import annotations

import ast
import re
import types
import typing
from collections.abc import Mapping
from enum import Enum
from typing import Any, Union

from pydantic import BaseModel

_INTEGER = re.compile(r"[+-]?\d+")
_BOOLEANS = {"true": True, "false": False}


def coerce(model: type[BaseModel], values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` with the strings of non-string fields of ``model`` read as the literals they spell."""
    out = dict(values)
    for name, field in model.model_fields.items():
        key = field.alias or name
        if key in out:
            out[key] = _coerce(field.annotation, out[key])
    return out


def _coerce(annotation: Any, value: Any) -> Any:
    base = _unwrap(annotation)
    if isinstance(value, str):
        if _wants_text(base):
            return value
        value = _literal(value)
        if isinstance(value, str):
            return value
    origin = typing.get_origin(base)
    if origin is list and isinstance(value, list | tuple):
        (item,) = typing.get_args(base) or (Any,)
        return [_coerce(item, v) for v in value]
    if isinstance(base, type) and issubclass(base, BaseModel) and isinstance(value, Mapping):
        return coerce(base, value)
    return value


def _literal(text: str) -> Any:
    """The value ``text`` spells: an int (leading zeros allowed), a bool (any case), None, a float, a list or
    a dict of those; ``text`` itself when it spells none of them."""
    stripped = text.strip()
    if _INTEGER.fullmatch(stripped):
        return int(stripped)
    if stripped.lower() in _BOOLEANS:
        return _BOOLEANS[stripped.lower()]
    try:
        value = ast.literal_eval(stripped)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return text
    return value if value is None or isinstance(value, int | float | list | tuple | dict) else text


def _wants_text(annotation: Any) -> bool:
    """Fields whose wire type is a string: a rendered string is already the value."""
    if annotation is str or annotation is Any:
        return True
    if isinstance(annotation, type) and issubclass(annotation, str | Enum):
        return True
    return typing.get_origin(annotation) in (Union, types.UnionType)  # mixed unions: no reading is safe


def _unwrap(annotation: Any) -> Any:
    """``Annotated[int, ...] | None`` → ``int``; ``Annotated[list[X], ...]`` → ``list[X]``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation
