"""The task settings that are not API fields (how to wait, what to spend), checked before anything is sent.

A literal is checked when the DAG is parsed, so a bad one never reaches a worker; a templated value or an
XComArg is checked once rendered, before the first request. Either way a bad setting costs no credit and the
message names the setting and what is allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pixverse_provider.exceptions import PixVerseConfigurationError

MIN_POLL_INTERVAL = 1.0
"""The shortest pause between two status reads. PixVerse suggests 3-5 s; one read a second is the most a
task may send, so that a typo (0, -1) cannot flood the account with reads."""


@dataclass(frozen=True)
class _Rule:
    kind: type[int] | type[float]
    minimum: float
    allowed: str
    inclusive: bool = True

    def accepts(self, value: float) -> bool:
        return value >= self.minimum if self.inclusive else value > self.minimum


_SECONDS_BETWEEN_READS = _Rule(float, MIN_POLL_INTERVAL, f"a number of seconds >= {MIN_POLL_INTERVAL:g}")
RULES: dict[str, _Rule] = {
    "poll_interval": _SECONDS_BETWEEN_READS,
    "poke_interval": _SECONDS_BETWEEN_READS,
    "timeout": _Rule(float, 0, "a number of seconds > 0", inclusive=False),
    "max_wait": _Rule(float, MIN_POLL_INTERVAL, f"a number of seconds >= {MIN_POLL_INTERVAL:g}"),
    "max_poll_failures": _Rule(int, 0, "a whole number >= 0"),
    "max_credits": _Rule(int, 1, "a whole number of credits >= 1"),
    "concurrency_timeout": _Rule(float, 0, "a number of seconds > 0", inclusive=False),
    "concurrency_retry_interval": _Rule(float, MIN_POLL_INTERVAL, f"a number of seconds >= {MIN_POLL_INTERVAL:g}"),
}


def is_unrendered(value: Any) -> bool:
    """A value only known when the task runs: an XComArg, a mapped argument, or a Jinja template."""
    if isinstance(value, str):
        return "{{" in value or "{%" in value
    return hasattr(value, "resolve") or type(value).__name__ in ("MappedArgument", "PlainXComArg")


def checked_settings(owner: str, values: Mapping[str, Any], *, at_parse: bool = False) -> dict[str, Any]:
    """``values`` as numbers (``None`` kept for optional settings); raises naming every bad one.

    :param owner: the task, for the message (``task_id``).
    :param values: setting name → value as the user wrote it, or as rendered.
    :param at_parse: leave values that are only known at run time as they are.
    """
    result: dict[str, Any] = {}
    problems: list[str] = []
    for name, value in values.items():
        if value is None or (at_parse and is_unrendered(value)):
            result[name] = value
            continue
        number = _number(value, RULES[name].kind)
        if number is None or not RULES[name].accepts(number):
            problems.append(f"{name} must be {RULES[name].allowed}, got {value!r}")
        else:
            result[name] = number
    if problems:
        raise PixVerseConfigurationError(f"Task {owner!r}: " + "; ".join(problems) + ". Nothing was sent to PixVerse.")
    return result


def _number(value: Any, kind: type[int] | type[float]) -> float | None:
    if isinstance(value, timedelta):
        value = value.total_seconds()
    elif isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:  # NaN is no number
        return None
    if kind is int:
        return int(value) if float(value).is_integer() else None
    return float(value)
