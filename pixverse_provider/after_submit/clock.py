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


def moment(value: datetime | str) -> DateTime:
    """An aware UTC ``DateTime`` from a datetime or from ISO-8601 text (naive times are taken as UTC)."""
    if isinstance(value, str):
        return parse(value)
    return pendulum.instance(value, tz="UTC") if value.tzinfo is None else pendulum.instance(value)


def after(seconds: float) -> str:
    """The ISO-8601 time ``seconds`` from now: an absolute deadline that survives restarts."""
    return now().add(seconds=seconds).isoformat()
