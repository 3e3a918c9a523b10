"""Rendered templates are text; the API wants numbers and booleans. Convert only what is unambiguous.

``"5"`` becomes ``5`` for an int field and ``"true"`` becomes ``True`` for a bool field; anything else is
left alone, so the request model reports it as the wrong type, naming the field.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from typing import Any, Union

from pydantic import BaseModel

_TRUE = {"true": True, "false": False}


def coerce(model: type[BaseModel], values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` with digit strings turned into ints and "true"/"false" into bools where ``model`` wants them."""
    out = dict(values)
    for name, field in model.model_fields.items():
        key = field.alias or name
        if key in out:
            out[key] = _coerce(field.annotation, out[key])
    return out


def _coerce(annotation: Any, value: Any) -> Any:
    base = _unwrap(annotation)
    if isinstance(value, str):
        text = value.strip()
        if base is int and text.isdigit():
            return int(text)
        if base is bool and text.lower() in _TRUE:
            return _TRUE[text.lower()]
        return value
    origin = typing.get_origin(base)
    if origin is list and isinstance(value, list | tuple):
        (item,) = typing.get_args(base) or (Any,)
        return [_coerce(item, v) for v in value]
    if isinstance(base, type) and issubclass(base, BaseModel) and isinstance(value, Mapping):
        return coerce(base, value)
    return value


def _unwrap(annotation: Any) -> Any:
    """``Annotated[int, ...] | None`` → ``int``; ``Annotated[list[X], ...]`` → ``list[X]``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        else:
            return annotation
