"""Ids shaped like PixVerse's (15-digit integers) that never repeat, also across emulator restarts.

PixVerse never hands out an id twice, and clients rely on it: a file named after its ``video_id`` must not be
overwritten by the next run's video. So an id is not a counter from a fixed start: it is a two-digit prefix
naming its kind (30 video, 31 uploaded image, 32 uploaded media, 33 image job, 34 mask), then 13 digits of
wall-clock time since 2024-01-01 UTC in 100 µs ticks, moved past the last id of its kind when several come
in the same tick. A restarted emulator therefore starts above every id of the previous run, unless that run
handed out ids faster than 10,000 a second (it runs ahead of the clock then) or the system clock went back.
The 13 digits last until 2055; ids stay below 2**53, so they are exact as JSON numbers everywhere.
"""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["KIND_PREFIXES", "IdSource"]

EPOCH = 1_704_067_200
"""2024-01-01T00:00:00Z."""
TICKS_PER_SECOND = 10_000
TICK_DIGITS = 13
KIND_PREFIXES = {"video": 30, "image": 31, "media": 32, "image_job": 33, "mask": 34}


class IdSource:
    """Hands out ids per kind; not thread-safe by itself (the emulator state calls it under its lock).

    :param clock: seconds since the Unix epoch (``time.time`` by default; tests pass their own).
    """

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._last: dict[str, int] = {}

    def next(self, kind: str) -> int:
        """A new id of ``kind`` (one of ``KIND_PREFIXES``), larger than every id of that kind before it."""
        ticks = int((self._clock() - EPOCH) * TICKS_PER_SECOND)
        if not 0 <= ticks < 10**TICK_DIGITS:
            raise RuntimeError("the system clock is outside 2024-2055, where emulator ids are defined")
        candidate = KIND_PREFIXES[kind] * 10**TICK_DIGITS + ticks
        issued = max(candidate, self._last.get(kind, 0) + 1)
        self._last[kind] = issued
        return issued
