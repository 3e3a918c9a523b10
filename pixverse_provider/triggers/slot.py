"""``PixVerseSlotTrigger``: sleeps until a time, then hands back the request it was given.

Used between two submit attempts after PixVerse answered 500044 (no free generation slot), so a
deferrable task does not hold a worker while it waits. The request travels in the event, not in the
task's next_kwargs, because ``dag.test()`` replaces next_kwargs with the event.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from airflow.triggers.base import BaseTrigger, TriggerEvent

from pixverse_provider.after_submit import clock


class PixVerseSlotTrigger(BaseTrigger):
    """Wait until ``moment`` (ISO-8601 UTC); the event is ``resume`` unchanged. No request is made."""

    def __init__(self, moment: str, resume: dict[str, Any]) -> None:
        super().__init__()
        self.moment = moment
        self.resume = resume

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return f"{type(self).__module__}.{type(self).__qualname__}", {"moment": self.moment, "resume": self.resume}

    async def run(self) -> AsyncIterator[TriggerEvent]:
        await asyncio.sleep(max(0.0, (clock.parse(self.moment) - clock.now()).total_seconds()))
        yield TriggerEvent(self.resume)
