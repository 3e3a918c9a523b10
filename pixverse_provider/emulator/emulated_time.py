"""The emulator's clock: wall-clock time plus an offset that tests move forward instead of sleeping."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

__all__ = ["EmulatedClock"]


class EmulatedClock:
    """``time.time()`` plus ``offset``; the offset only grows, so jobs finish as if the time had passed.

    Not thread-safe by itself: ``EmulatorState`` calls it under its lock.

    :param wall: seconds since the Unix epoch (``time.time`` by default).
    """

    def __init__(self, wall: Callable[[], float] = time.time) -> None:
        self._wall = wall
        self.offset = 0.0

    def now(self) -> float:
        return self._wall() + self.offset

    def advance(self, seconds: float) -> float:
        """Move the clock forward by ``seconds`` (a finite number >= 0); returns the total offset."""
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or not 0 <= seconds < math.inf:
            raise ValueError("seconds must be a finite number >= 0")
        self.offset += seconds
        return self.offset
