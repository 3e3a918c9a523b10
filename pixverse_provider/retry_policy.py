"""A ready-made Airflow 3.3 ``retry_policy`` for PixVerse tasks: retry what a retry can fix, fail the rest at once.

Airflow 3.3 lets a task decide per exception whether a failure is retried (``retry_policy=``, an
``ExceptionRetryPolicy`` of ``RetryRule``). :func:`pixverse_retry_policy` returns one that knows this provider's
exceptions:

- a video that failed on PixVerse's side (status 8) and the failures of a moment (overload, a connection or an
  HTTP 5xx/429 without PixVerse's answer, an answer that is not PixVerse's, a short download, a wait that
  could not read the status) are retried after ``retry_delay``;
- moderation, a deleted video, a bad request, authentication, the account's permissions, missing credits, a
  wrong base URL and an ambiguous submit fail at once (an ambiguous submit's reason names its trace id);
- a wait that outlasted ``timeout`` and a concurrency limit that never freed keep the task's own retries.

Every "fail at once" class also derives from ``AirflowFailException``, which Airflow fails before it consults
any policy; the policy lists them all the same, so that it reads as the whole rule set and gives the right
answer when it is asked directly (a test, a policy of one's own that delegates to it, a later Airflow).
``RULES`` is the table, in order; the first rule that matches decides.

``retry_policy`` arrived in Airflow 3.3. This module imports on 3.1 and 3.2 (its ``RULES`` too), but
:func:`pixverse_retry_policy` raises there, naming the version it needs.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from pixverse_provider.exceptions import (
    PixVerseAmbiguousSubmitError,
    PixVerseAuthenticationError,
    PixVerseConcurrencyLimitError,
    PixVerseConfigurationError,
    PixVerseConnectionError,
    PixVerseContentModerationError,
    PixVerseCreditGuardError,
    PixVerseEndpointError,
    PixVerseHTTPError,
    PixVerseInsufficientCreditsError,
    PixVerseInvalidRequestError,
    PixVerseNotFoundError,
    PixVersePermissionError,
    PixVerseProtocolError,
    PixVerseRequestRejectedError,
    PixVerseTemplateError,
    PixVerseTransientError,
    PixVerseTransportError,
    PixVerseTriggerError,
    PixVerseTriggerEventError,
    PixVerseVideoDeletedError,
    PixVerseVideoFailedError,
    PixVerseVideoModerationError,
    PixVerseVideoTimeoutError,
)

__all__ = [
    "AIRFLOW_HAS_RETRY_POLICY",
    "DEFAULT_RETRY_DELAY",
    "RULES",
    "PixVerseRetryPolicy",
    "Rule",
    "pixverse_retry_policy",
]

AIRFLOW_HAS_RETRY_POLICY = importlib.util.find_spec("airflow.sdk.definitions.retry_policy") is not None
"""Whether this Airflow has ``retry_policy`` (3.3 and later)."""

DEFAULT_RETRY_DELAY = timedelta(minutes=1)
"""The pause before a retry the policy asks for, unless ``retry_delay`` says otherwise."""


@dataclass(frozen=True)
class Rule:
    """One line of the policy: the exceptions it matches (subclasses too), what happens, and why.

    :param exceptions: the exception classes the rule matches.
    :param action: ``"retry"`` (after the pause), ``"fail"`` (at once) or ``"default"`` (the task's own
        ``retries`` and ``retry_delay``), the values of Airflow's ``RetryAction``.
    :param reason: what Airflow logs with the decision (and keeps as the try's retry reason on a retry).
    """

    exceptions: tuple[type[BaseException], ...]
    action: str
    reason: str


RULES: tuple[Rule, ...] = (
    # Fail at once: a retry would pay twice, or be refused the same way.
    Rule(
        (PixVerseAmbiguousSubmitError,),
        "fail",
        "the submit may have been accepted and charged, so a retry could pay twice; look its trace id up in the "
        "account's videos or with PixVerse support before running the task again",
    ),
    Rule(
        (PixVerseVideoModerationError, PixVerseContentModerationError),
        "fail",
        "PixVerse's moderation refused the input or the video (status 7); the same request would be refused again",
    ),
    Rule((PixVerseVideoDeletedError,), "fail", "the PixVerse video was deleted (status 6)"),
    Rule(
        (PixVerseInvalidRequestError, PixVerseRequestRejectedError, PixVerseTemplateError, PixVerseNotFoundError),
        "fail",
        "a request PixVerse refuses (a field, a template, an id); the same request would be refused again",
    ),
    Rule(
        (PixVerseAuthenticationError, PixVersePermissionError, PixVerseConfigurationError, PixVerseEndpointError),
        "fail",
        "the PixVerse connection or account cannot do this (API key, base URL, plan, a task setting); fix it first",
    ),
    Rule(
        (PixVerseInsufficientCreditsError, PixVerseCreditGuardError),
        "fail",
        "not enough PixVerse credits, or over the task's budget (max_credits, check_balance); nothing was submitted",
    ),
    # Retry after the pause.
    Rule(
        (PixVerseVideoFailedError,),
        "retry",
        "the video failed on PixVerse's side (status 8); the retry submits a new one, which is charged",
    ),
    Rule(
        (
            PixVerseTransientError,
            PixVerseHTTPError,
            PixVerseConnectionError,
            PixVerseProtocolError,
            PixVerseTransportError,
        ),
        "retry",
        "PixVerse was overloaded or unreachable, or its answer (or a download) came back broken; asking again "
        "later can work (a generation request whose outcome is unknown is never among these)",
    ),
    Rule(
        (PixVerseTriggerError, PixVerseTriggerEventError),
        "retry",
        "the wait could not read the PixVerse video's status; the retry waits for the same video again (durable=True, "
        "Airflow 3.3) instead of paying for a new one",
    ),
    # The task's own retries.
    Rule(
        (PixVerseVideoTimeoutError,),
        "default",
        "the PixVerse video did not finish within the task's timeout; the task's retries apply (a retry resumes "
        "the same video with durable=True)",
    ),
    Rule(
        (PixVerseConcurrencyLimitError,),
        "default",
        "no free PixVerse generation slot within concurrency_timeout (or on_concurrency_limit='fail'); the "
        "task's retries apply",
    ),
)
"""The policy's rules, in order. A class is listed before its base classes (``PixVerseEndpointError`` fails,
its base ``PixVerseHTTPError`` is retried). Any other exception keeps the task's own retries."""


def _seconds(name: str, value: Any) -> timedelta:
    if isinstance(value, timedelta) and value >= timedelta(0):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < float("inf"):
        return timedelta(seconds=value)
    raise ValueError(f"{name} must be a timedelta or a number of seconds >= 0, got {value!r}")


def _identities(exception: BaseException) -> str:
    """`` [video N, Ai-trace-id T]`` for what the exception carries ("" when it carries neither)."""
    parts = []
    if (video_id := getattr(exception, "video_id", None)) is not None:
        parts.append(f"video {video_id}")
    if (trace_id := getattr(exception, "trace_id", None)) and trace_id != "-":  # "-": no PixVerse request (a download)
        parts.append(f"Ai-trace-id {trace_id}")
    return f" [{', '.join(parts)}]" if parts else ""


if TYPE_CHECKING or AIRFLOW_HAS_RETRY_POLICY:
    from airflow.sdk.definitions.retry_policy import (
        ExceptionRetryPolicy,
        RetryAction,
        RetryDecision,
        RetryRule,
    )

    if TYPE_CHECKING:
        from airflow.sdk.definitions.context import Context

    class PixVerseRetryPolicy(ExceptionRetryPolicy):
        """Airflow's ``ExceptionRetryPolicy`` over ``RULES``; built by :func:`pixverse_retry_policy`.

        Two things the plain policy cannot say: the reason names the video and the trace id of the failure
        (so a charge can be looked up), and a retry after an HTTP 429 waits at least its ``Retry-After``.
        It serializes like Airflow's (``serialize``/``deserialize``), under its own type name.

        :param rules: Airflow ``RetryRule`` objects, first match wins.
        :param default: what happens to an exception no rule matches.
        """

        def evaluate(
            self, exception: BaseException, try_number: int, max_tries: int, context: Context | None = None
        ) -> RetryDecision:
            decision = super().evaluate(exception, try_number, max_tries, context)
            if decision.reason is None:
                return decision
            delay = decision.retry_delay
            retry_after = getattr(exception, "retry_after", None)
            if decision.action is RetryAction.RETRY and delay is not None and retry_after:
                delay = max(delay, timedelta(seconds=retry_after))
            return RetryDecision(decision.action, delay, decision.reason + _identities(exception))

        def serialize(self) -> dict[str, Any]:
            return {**super().serialize(), "__type": f"{type(self).__module__}.{type(self).__qualname__}"}

    def _build(retry_delay: timedelta) -> PixVerseRetryPolicy:
        return PixVerseRetryPolicy(
            rules=[
                RetryRule(
                    exception=list(rule.exceptions),
                    action=RetryAction(rule.action),
                    retry_delay=retry_delay if rule.action == "retry" else None,
                    reason=rule.reason,
                )
                for rule in RULES
            ],
            default=RetryAction.DEFAULT,
        )


def pixverse_retry_policy(retry_delay: timedelta | float = DEFAULT_RETRY_DELAY) -> PixVerseRetryPolicy:
    """The PixVerse retry policy, for a task's ``retry_policy`` (Airflow 3.3+; see :doc:`/retries`).

    The task's ``retries`` still bounds how many tries there are: the policy decides which failures use them.

    :param retry_delay: The pause before a retry the policy asks for (status 8 and the failures of a moment):
        a ``timedelta`` or seconds. A retry after an HTTP 429 waits at least its ``Retry-After``.
    :raises RuntimeError: on Airflow before 3.3, which has no ``retry_policy``.
    """
    if not AIRFLOW_HAS_RETRY_POLICY:
        from airflow import __version__

        raise RuntimeError(
            f"pixverse_retry_policy needs Airflow 3.3 or later (operators take retry_policy= since 3.3); this is "
            f"Airflow {__version__}. Use retries= and retry_delay= here: failures that a retry cannot fix "
            "(moderation, a bad request, an ambiguous submit, ...) already fail without retrying."
        )
    return _build(_seconds("retry_delay", retry_delay))


def __getattr__(name: str) -> Any:
    if name == "PixVerseRetryPolicy":  # only defined when Airflow has retry_policy
        raise ImportError("PixVerseRetryPolicy needs Airflow 3.3 or later, which has retry_policy")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
