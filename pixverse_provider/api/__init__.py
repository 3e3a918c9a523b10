"""What PixVerse is: endpoints, vocabularies, request rules, error codes and prices. No Airflow here.

This package is the single source of truth for the hooks (validate before spending credits) and for the
emulator (answer the way PixVerse does).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pixverse_provider import names_moved_modules
from pixverse_provider.api.endpoints import DEFAULT_BASE_URL, Endpoint
from pixverse_provider.api.enums import (
    AspectRatio,
    CameraMovement,
    CreationMode,
    MediaType,
    Model,
    MotionMode,
    Quality,
    ReferenceType,
    Style,
    TemplateType,
    ThinkingType,
    VideoStatus,
)
from pixverse_provider.api.errors import ERROR_CODES, ErrorCode, ErrorKind, describe
from pixverse_provider.api.validation import FieldProblem, RequestValidationError, parse_request

__all__ = [
    "DEFAULT_BASE_URL",
    "ERROR_CODES",
    "GENERATION_REQUESTS",
    "AspectRatio",
    "CameraMovement",
    "CreationMode",
    "Endpoint",
    "ErrorCode",
    "ErrorKind",
    "FieldProblem",
    "MediaType",
    "Model",
    "MotionMode",
    "Quality",
    "ReferenceType",
    "RequestValidationError",
    "Style",
    "TemplateType",
    "ThinkingType",
    "VideoStatus",
    "describe",
    "estimate_credits",
    "parse_request",
]

_LAZY = {
    "GENERATION_REQUESTS": "pixverse_provider.api.request_models",
    "estimate_credits": "pixverse_provider.api.pricing",
}
"""Names loaded on first use: the request models (and the prices, which read them) are needed to run a task,
not to parse a DAG file, and they are most of this package's import time (bench/RESULTS.md, section 2)."""

if TYPE_CHECKING:
    from pixverse_provider.api.pricing import estimate_credits
    from pixverse_provider.api.request_models import GENERATION_REQUESTS
else:  # hidden from mypy, which would otherwise accept any name imported from here
    _moved_module = names_moved_modules(__name__)

    def __getattr__(name: str) -> Any:
        """The lazily loaded names; a moved module imported from here names its new place."""
        if name in _LAZY:
            value = globals()[name] = getattr(importlib.import_module(_LAZY[name]), name)
            return value
        return _moved_module(name)
