"""What every request model shares: the base class, the wire types of ids, and the rule helpers.

Field names are the API's own; types are the wire types (ids are ints, switches are bools), checked
strictly so that a string where the API wants a number is caught as PixVerse's binding error (400013).
Cross-field rules live in each model's ``problems`` method and are reported all at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError
from typing_extensions import Self

from pixverse_provider.api import errors, rules
from pixverse_provider.api.endpoints import Endpoint
from pixverse_provider.api.enums import AspectRatio, CreationMode, Model, Quality
from pixverse_provider.api.validation import RULES_ERROR_TYPE, FieldProblem

Id = Annotated[StrictInt, Field(ge=0, le=2**63 - 1)]
"""Ids are JSON numbers (PixVerse refuses quoted ids on some endpoints)."""
Seed = Annotated[StrictInt, Field(ge=0, le=rules.SEED_MAX)]
Duration = Annotated[StrictInt, Field(ge=0)]

Problems = Iterator[FieldProblem]


class PixVerseRequest(BaseModel):
    """Base of every request: unknown fields are ignored (as the real server does), rules run after parsing."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    endpoint: ClassVar[Endpoint]
    mode: ClassVar[CreationMode]
    """The creation type; set on generation requests only."""

    def problems(self, strict: bool) -> Problems:
        """Cross-field rule violations; ``strict`` adds the uncertain rules (emulator only)."""
        return iter(())

    @model_validator(mode="after")
    def _check_rules(self, info: ValidationInfo) -> Self:
        strict = bool(info.context and info.context.get("strict"))
        found = tuple(self.problems(strict))
        if found:
            detail = "; ".join(map(str, found))
            raise PydanticCustomError(RULES_ERROR_TYPE, "{detail}", {"detail": detail, "problems": found})
        return self

    def to_payload(self) -> dict[str, Any]:
        """The JSON body to send: API field names, enums as their values, unset options left out."""
        return self.model_dump(mode="json", exclude_none=True, by_alias=True)


# ---------------------------------------------------------------------------------------------------------
# Rule helpers shared by several endpoints


def not_blank(field: str, value: str | None) -> Problems:
    if value is not None and not value.strip():
        yield FieldProblem(field, "must not be empty", errors.REQUIRED_PARAMETER_EMPTY)


def prompt_length(
    field: str, value: str | None, model: Model | None, strict: bool, limit: int | None = None
) -> Problems:
    limit = limit or rules.prompt_limit(model, strict=strict)
    if value is not None and len(value) > limit:
        code = errors.NEGATIVE_PROMPT_TOO_LONG if field == "negative_prompt" else errors.PROMPT_TOO_LONG
        yield FieldProblem(field, f"is {len(value)} characters long; the limit is {limit}", code)


def exactly_one(**sources: object) -> Problems:
    given = [name for name, value in sources.items() if value is not None]
    if len(given) != 1:
        names = " or ".join(sources)
        detail = "none was given" if not given else f"got {' and '.join(given)}"
        code = errors.REQUIRED_PARAMETER_EMPTY if not given else errors.INVALID_PARAMETER
        yield FieldProblem(names, f"give exactly one of {names}; {detail}", code)


def model_allowed(mode: CreationMode, model: Model) -> Problems:
    allowed = rules.MODE_MODELS[mode]
    if model not in allowed:
        yield FieldProblem("model", f"{model.value} is not available for {mode.value}; allowed: {rules.names(allowed)}")


def duration_allowed(model: Model, duration: int, quality: Quality, strict: bool) -> Problems:
    allowed = rules.allowed_durations(model)
    if duration not in allowed:
        yield FieldProblem("duration", f"{duration} is not allowed on {model.value}; allowed: {rules.names(allowed)}")
        return
    longest = rules.max_duration_at_1080p(model, strict=strict)
    if quality == Quality.Q1080P and longest is not None and duration > longest:
        yield FieldProblem("duration", f"1080p on {model.value} allows at most {longest} seconds, got {duration}")


def available_on(field: str, given: bool | None, model: Model, models: frozenset[Model]) -> Problems:
    """A switch that is on, or an option that is given, on a model that does not take it."""
    if given and model not in models:
        yield FieldProblem(field, f"is only available on {rules.names(models)}, not {model.value}")


def aspect_ratio_allowed(model: Model, aspect_ratio: AspectRatio) -> Problems:
    allowed = rules.allowed_aspect_ratios(model)
    if aspect_ratio not in allowed:
        yield FieldProblem(
            "aspect_ratio", f"{aspect_ratio.value} is not available on {model.value}; allowed: {rules.names(allowed)}"
        )


def edit_quality(quality: Quality, strict: bool, *, certain: bool = True) -> Problems:
    if quality not in rules.EDIT_QUALITIES and (certain or rules.enforced("edit_quality_1080p", strict=strict)):
        yield FieldProblem("quality", f"{quality.value} is not supported; allowed: {rules.names(rules.EDIT_QUALITIES)}")


# ---------------------------------------------------------------------------------------------------------
# The input video of the edit modes and of extend


class VideoSource(PixVerseRequest):
    """An input video: a PixVerse generation (``source_video_id``) or an upload (``video_media_id``)."""

    source_video_id: Id | None = None
    video_media_id: Id | None = None

    def problems(self, strict: bool) -> Problems:
        yield from exactly_one(source_video_id=self.source_video_id, video_media_id=self.video_media_id)
        yield from super().problems(strict)
