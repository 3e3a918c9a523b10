"""Trace-id replay: a billable POST sent again with the same ``Ai-trace-id`` gets its first answer again.

A trace id that already created something on a billable POST (the 12 generation modes, image template,
mask selection) answers the first answer again: no new job, no charge
(``rules.UNCERTAIN_RULES["trace_id_replay"]``). Only successful answers are remembered, and the replay is
checked after the request itself has been validated. Answers are kept per account.
"""

from __future__ import annotations

from typing import Any

__all__ = ["TraceReplay"]


class TraceReplay:
    """The first successful answer per (account, trace id), and how many times one was replayed.

    Not thread-safe by itself: ``EmulatorState`` calls it under its lock.
    """

    def __init__(self) -> None:
        self._answers: dict[tuple[int, str], dict[str, Any]] = {}
        self.replays = 0

    def recall(self, account_id: int, trace_id: str) -> dict[str, Any] | None:
        """A copy of the answer this trace id got before (counted as a replay), or None."""
        answer = self._answers.get((account_id, trace_id))
        if answer is None:
            return None
        self.replays += 1
        return dict(answer)

    def remember(self, account_id: int, trace_id: str, answer: dict[str, Any]) -> dict[str, Any]:
        """Keep ``answer`` for this trace id; returns a copy to send."""
        self._answers[(account_id, trace_id)] = answer
        return dict(answer)
