"""Wall-clock times as the trigger keeps them: aware UTC datetimes, stored as ISO-8601 text in kwargs."""

from __future__ import annotations

from datetime import datetime

import pendulum
from pendulum import DateTime


def now() -> DateTime:
    return pendulum.now("UTC")


def parse(text: str) -> DateTime:
    """An ISO-8601 time written by ``isoformat`` (naive times are taken as UTC)."""
    moment = datetime.fromisoformat(text)
    return pendulum.instance(moment, tz="UTC") if moment.tzinfo is None else pendulum.instance(moment)


def after(seconds: float) -> str:
    """The ISO-8601 time ``seconds`` from now: an absolute deadline that survives restarts."""
    return now().add(seconds=seconds).isoformat()
