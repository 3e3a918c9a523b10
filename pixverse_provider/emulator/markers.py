"""The ``[emulate:...]`` markers: text in a request that steers how its job ends, for tests and demos.

``[emulate:moderation]``, ``[emulate:failure]``, ``[emulate:deleted]`` and ``[emulate:seconds=N]`` anywhere in a
request's text (any string field, however nested) make its job end in status 7, 8 or 6, or take N seconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pixverse_provider.api.enums import VideoStatus

__all__ = ["Markers", "read_markers"]


@dataclass(frozen=True)
class Markers:
    """What the ``[emulate:...]`` markers in a request's text ask for."""

    outcome: int = VideoStatus.SUCCEEDED
    seconds: float | None = None


_MARKER_OUTCOMES = (
    ("[emulate:moderation]", VideoStatus.MODERATION_FAILED),
    ("[emulate:failure]", VideoStatus.FAILED),
    ("[emulate:deleted]", VideoStatus.DELETED),
)
_SECONDS_MARKER = re.compile(r"\[emulate:seconds=(\d+(?:\.\d+)?)\]")


def read_markers(values: Any) -> Markers:
    """Scan every string in ``values`` (nested dicts/lists) for markers; moderation wins over failure,
    failure over deleted; the first ``seconds`` marker sets the generation time."""
    texts = list(_strings(values))
    outcome = next(
        (status for marker, status in _MARKER_OUTCOMES if any(marker in t for t in texts)), VideoStatus.SUCCEEDED
    )
    seconds = next((float(m.group(1)) for t in texts if (m := _SECONDS_MARKER.search(t))), None)
    return Markers(int(outcome), seconds)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)
