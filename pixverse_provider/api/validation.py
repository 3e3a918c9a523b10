"""How a broken request is described: which field, what is wrong, and the ErrCode PixVerse answers with.

The request models raise pydantic errors; ``parse_request`` turns them into ``FieldProblem`` objects, so that the
hooks can fail before sending anything and the emulator can answer with the code the real server uses.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from pixverse_provider.api import errors

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

RULES_ERROR_TYPE = "pixverse_rules"
"""Type of the pydantic error that carries a model's cross-field ``FieldProblem`` objects in its context."""


@dataclass(frozen=True)
class FieldProblem:
    """One thing wrong with one field of a request."""

    field: str
    message: str
    code: int = errors.INVALID_PARAMETER

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class RequestValidationError(ValueError):
    """A request PixVerse would refuse; ``problems`` names every field at fault."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(map(str, problems)))

    @property
    def code(self) -> int:
        """The ErrCode the server would answer with (that of the first problem)."""
        return self.problems[0].code


RequestT = TypeVar("RequestT", bound=BaseModel)


def parse_request(model: type[RequestT], payload: Mapping[str, Any], *, strict: bool = False) -> RequestT:
    """Validate ``payload`` (JSON-shaped: ints, strings, lists) as ``model``.

    ``strict`` also applies the rules the public docs disagree on (``rules.UNCERTAIN_RULES``), the way the
    emulator does; clients leave those to the server.
    """
    try:
        return model.model_validate(payload, context={"strict": strict})
    except ValidationError as exc:
        raise RequestValidationError([p for e in exc.errors() for p in _problems(e)]) from None


_BINDING_SUFFIXES = ("_type", "_parsing")
_BINDING_TYPES = frozenset({"int_from_float", "model_attributes_type", "json_invalid"})


def _problems(error: ErrorDetails) -> Iterator[FieldProblem]:
    if error["type"] == RULES_ERROR_TYPE:
        yield from error.get("ctx", {})["problems"]
        return
    field = dotted(error["loc"])
    kind, value = error["type"], error.get("input")
    if kind == "missing":
        yield FieldProblem(field, "is required", errors.REQUIRED_PARAMETER_EMPTY)
    elif kind.endswith(_BINDING_SUFFIXES) or kind in _BINDING_TYPES or (kind == "enum" and not isinstance(value, str)):
        yield FieldProblem(field, _lower_first(error["msg"]), errors.BINDING_ERROR)
    else:
        yield FieldProblem(field, _lower_first(error["msg"]))


def dotted(loc: tuple[int | str, ...]) -> str:
    """``("image_references", 1, "ref_name")`` → ``image_references[1].ref_name``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "request"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
