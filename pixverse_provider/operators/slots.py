"""Waiting for a free generation slot after PixVerse answers 500044 (the plan's concurrency limit).

Pure arithmetic, shared by the polling and the deferrable paths: exponential backoff with jitter, bounded
by an absolute deadline so a resumed task keeps the original one.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from pixverse_provider.after_submit import clock

if TYPE_CHECKING:
    from pixverse_provider.exceptions import PixVerseConcurrencyLimitError

MIN_DEFERRED_WAIT = 15.0
"""Shorter waits sleep on the worker: a deferral costs a task restart, and a trigger that fires within a
second or two can race the executor's report of the deferring process (Airflow then marks the task failed,
"state changed externally"), which a real deployment test showed."""

MAX_SLOT_WAIT = 60.0
"""Longest pause between two attempts: slots free when a video ends, typically within a minute or two."""


def next_delay(attempt: int, first: float, deadline: str) -> float | None:
    """Seconds to wait before attempt ``attempt + 1``, or None when the deadline leaves no time for it."""
    left = (clock.parse(deadline) - clock.now()).total_seconds()
    if left <= 0:
        return None
    delay = min(MAX_SLOT_WAIT, first * 2 ** (attempt - 1)) * random.uniform(0.8, 1.2)
    return min(delay, left)


def no_free_slot(
    last: PixVerseConcurrencyLimitError, attempts: int, first_attempt: str, policy: str, timeout: float
) -> PixVerseConcurrencyLimitError:
    """The 500044 a task gives up with, saying how many attempts it made over how long."""
    waited = (clock.now() - clock.parse(first_attempt)).total_seconds()
    return type(last)(
        last.code,
        f"{last.api_message}; no free slot after {attempts} attempt{'s' if attempts > 1 else ''} over "
        f"{waited:.0f}s (on_concurrency_limit={policy!r}, concurrency_timeout={timeout:g}s)",
        trace_id=last.trace_id,
        path=last.path,
    )
