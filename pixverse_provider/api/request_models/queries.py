"""Query strings of the list endpoints (lax: query values arrive as text)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from pixverse_provider.api import rules
from pixverse_provider.api.endpoints import Endpoint
from pixverse_provider.api.enums import TemplateType
from pixverse_provider.api.request_models.base import PixVerseRequest, Problems
from pixverse_provider.api.validation import FieldProblem


class PageQuery(PixVerseRequest):
    """Paging of the TTS speaker and restyle lists."""

    page_num: Annotated[int, Field(ge=1)] = 1
    page_size: Annotated[int, Field(ge=1, le=100)] = 30


class TtsSpeakerQuery(PageQuery):
    endpoint = Endpoint.TTS_SPEAKERS


class RestyleListQuery(PageQuery):
    endpoint = Endpoint.RESTYLE_LIST


class TemplateListQuery(PixVerseRequest):
    """Template list paging; ``pageSize`` must be 10, 20, 50 or 100."""

    endpoint = Endpoint.TEMPLATES
    type: int | None = None
    page: Annotated[int, Field(ge=1)] = 1
    page_size: int = Field(default=50, alias="pageSize")

    def problems(self, strict: bool) -> Problems:
        if self.type is not None and self.type not in set(TemplateType):
            yield FieldProblem("type", f"must be 1 or 2 (1 video, 2 image templates), got {self.type}")
        if self.page_size not in rules.TEMPLATE_PAGE_SIZES:
            yield FieldProblem(
                "pageSize", f"must be one of {rules.names(rules.TEMPLATE_PAGE_SIZES)}, got {self.page_size}"
            )
        yield from super().problems(strict)
