"""The PixVerse retry policy decides each of the provider's exceptions as documented, serializes with a DAG, and
on Airflow before 3.3 (no ``retry_policy``) imports but refuses to be used, naming the version it needs."""

from __future__ import annotations

import inspect
from datetime import timedelta

import pytest

from pixverse_provider import exceptions
from pixverse_provider._compat import AirflowFailException
from pixverse_provider.api import errors
from pixverse_provider.api.validation import FieldProblem
from pixverse_provider.exceptions import PixVerseError, api_error
from pixverse_provider.retry_policy import AIRFLOW_HAS_RETRY_POLICY, RULES, pixverse_retry_policy

needs_3_3 = pytest.mark.skipif(not AIRFLOW_HAS_RETRY_POLICY, reason="retry_policy arrived in Airflow 3.3")
PATH = "/openapi/v2/video/text/generate"
TRACE = "6f1c2d3e-trace"


def _api(code: int) -> exceptions.PixVerseAPIError:
    """The exception the hooks raise for an ErrCode (by the error table, as in production)."""
    return api_error(code, "refused", trace_id=TRACE, path=PATH)


# Each of the provider's exceptions as the provider raises it, with the decision the policy must take.
CASES: list[tuple[str, BaseException, str]] = [
    ("status 8", exceptions.PixVerseVideoFailedError("generation failed", video_id=7, trace_id=TRACE), "retry"),
    ("overload 500069", _api(errors.HIGH_LOAD), "retry"),
    ("database 500100", _api(errors.DATABASE_ERROR), "retry"),
    ("HTTP 503", exceptions.PixVerseHTTPError(503, "unavailable", trace_id=TRACE, path=PATH), "retry"),
    ("HTTP 429", exceptions.PixVerseHTTPError(429, "slow down", trace_id=TRACE, path=PATH, retry_after=5), "retry"),
    ("no connection", exceptions.PixVerseConnectionError("refused", trace_id=TRACE, path=PATH), "retry"),
    ("not an envelope", exceptions.PixVerseProtocolError("malformed JSON", trace_id=TRACE, path=PATH), "retry"),
    (
        "short download",
        exceptions.PixVerseTransportError("downloaded 10 bytes of 99", trace_id="-", path="url"),
        "retry",
    ),
    ("status unreadable", exceptions.PixVerseTriggerError("5 failed reads", video_id=7, trace_id=TRACE), "retry"),
    ("unknown event", exceptions.PixVerseTriggerEventError("event of an unknown shape"), "retry"),
    ("moderated video", exceptions.PixVerseVideoModerationError("moderated", video_id=7, trace_id=TRACE), "fail"),
    ("moderated input", _api(errors.INPUT_MODERATION), "fail"),
    ("deleted video", exceptions.PixVerseVideoDeletedError("deleted", video_id=7, trace_id=TRACE), "fail"),
    ("bad request", exceptions.PixVerseInvalidRequestError("text_to_video", [FieldProblem("duration", "no")]), "fail"),
    ("refused parameter", _api(errors.INVALID_PARAMETER), "fail"),
    ("template", _api(errors.TEMPLATE_NOT_ACTIVATED), "fail"),
    ("no such id", _api(errors.NOT_FOUND), "fail"),
    ("authentication", _api(errors.INVALID_ACCOUNT), "fail"),
    ("permission", _api(errors.NO_PERMISSION), "fail"),
    ("credits", _api(errors.INSUFFICIENT_BALANCE), "fail"),
    ("budget", exceptions.PixVerseCreditGuardError("estimated cost 120 exceeds max_credits=100"), "fail"),
    ("connection unusable", exceptions.PixVerseConfigurationError("no API key"), "fail"),
    (
        "wrong base URL",
        exceptions.PixVerseEndpointError(
            404, "Not Found", trace_id=TRACE, path=PATH, url="http://x/openapi", base_url="http://x"
        ),
        "fail",
    ),
    ("ambiguous submit", exceptions.PixVerseAmbiguousSubmitError("read timeout", trace_id=TRACE, path=PATH), "fail"),
    ("timeout", exceptions.PixVerseVideoTimeoutError("not ready after 60s", video_id=7, trace_id=TRACE), "default"),
    ("not ready to download", exceptions.PixVerseVideoError("is not ready to download", video_id=7), "default"),
    ("no free slot", _api(errors.CONCURRENCY_LIMIT), "default"),
    ("unknown ErrCode", _api(errors.UNKNOWN_ERROR), "default"),
    ("not ours", ValueError("a bug in a callable"), "default"),
]


def test_every_exception_class_of_the_provider_has_a_case() -> None:
    """A new exception class gets a decision here (the base class is only raised as its subclasses)."""
    classes = {c for _, c in inspect.getmembers(exceptions, inspect.isclass) if issubclass(c, PixVerseError)}
    assert {type(exc) for _, exc, _ in CASES if isinstance(exc, PixVerseError)} == classes - {PixVerseError}


def test_every_class_that_fails_without_retries_is_a_fail_rule_and_no_other_is() -> None:
    """The table agrees with Airflow: what Airflow fails before asking a policy, the policy fails too."""
    for rule in RULES:
        failing = {issubclass(cls, AirflowFailException) for cls in rule.exceptions}
        assert failing == {rule.action == "fail"}, rule


@needs_3_3
@pytest.mark.parametrize(("case", "exception", "action"), CASES, ids=[c[0] for c in CASES])
def test_each_exception_gets_its_decision(case: str, exception: BaseException, action: str) -> None:
    decision = pixverse_retry_policy(retry_delay=timedelta(seconds=42)).evaluate(exception, 1, 4)
    assert decision.action.value == action
    if action == "retry":
        assert decision.retry_delay is not None and decision.retry_delay >= timedelta(seconds=42)
    else:
        assert decision.retry_delay is None


@needs_3_3
def test_an_ambiguous_submit_fails_naming_its_trace_id() -> None:
    exc = exceptions.PixVerseAmbiguousSubmitError("read timeout", trace_id=TRACE, path=PATH)
    decision = pixverse_retry_policy().evaluate(exc, 1, 4)
    assert decision.action.value == "fail"
    assert f"Ai-trace-id {TRACE}" in (decision.reason or "")
    assert "pay twice" in (decision.reason or "")


@needs_3_3
def test_a_failed_video_is_retried_after_the_pause_naming_the_video() -> None:
    exc = exceptions.PixVerseVideoFailedError("generation failed", video_id=7, trace_id=TRACE)
    decision = pixverse_retry_policy(retry_delay=90).evaluate(exc, 1, 4)
    assert decision.retry_delay == timedelta(seconds=90)
    assert "status 8" in (decision.reason or "") and f"[video 7, Ai-trace-id {TRACE}]" in (decision.reason or "")


@needs_3_3
def test_a_429_waits_at_least_its_retry_after() -> None:
    exc = exceptions.PixVerseHTTPError(429, "slow down", trace_id=TRACE, path=PATH, retry_after=300)
    assert pixverse_retry_policy(retry_delay=10).evaluate(exc, 1, 4).retry_delay == timedelta(seconds=300)


@needs_3_3
@pytest.mark.parametrize("bad", [-1, "60", None, True, float("nan"), timedelta(seconds=-5)])
def test_a_bad_retry_delay_is_refused_naming_it(bad: object) -> None:
    with pytest.raises(ValueError, match="retry_delay must be a timedelta or a number of seconds >= 0"):
        pixverse_retry_policy(retry_delay=bad)  # type: ignore[arg-type]


@needs_3_3
def test_the_policy_round_trips_through_its_serialized_form() -> None:
    from pixverse_provider.retry_policy import PixVerseRetryPolicy

    policy = pixverse_retry_policy(retry_delay=30)
    data = policy.serialize()
    assert data["__type"] == "pixverse_provider.retry_policy.PixVerseRetryPolicy"
    again = PixVerseRetryPolicy.deserialize(data)
    assert again.serialize() == data
    for _, exception, _ in CASES:
        assert again.evaluate(exception, 1, 4) == policy.evaluate(exception, 1, 4)


@needs_3_3
def test_a_dag_using_the_policy_survives_dag_serialization() -> None:
    from airflow.sdk import DAG
    from airflow.serialization.serialized_objects import DagSerialization

    from pixverse_provider.operators import PixVerseTextToVideoOperator

    with DAG("policy_serialized", schedule=None) as dag:
        PixVerseTextToVideoOperator(task_id="clip", prompt="a fox", retries=3, retry_policy=pixverse_retry_policy())
        PixVerseTextToVideoOperator.partial(task_id="clips", retries=2, retry_policy=pixverse_retry_policy()).expand(
            prompt=["a", "b"]
        )
    restored = DagSerialization.deserialize_dag(DagSerialization.serialize_dag(dag))
    assert restored.get_task("clip").has_retry_policy
    assert restored.get_task("clips").has_retry_policy
    assert restored.get_task("clip").retries == 3


@pytest.mark.skipif(AIRFLOW_HAS_RETRY_POLICY, reason="this Airflow has retry_policy")
def test_before_airflow_3_3_the_policy_says_what_it_needs() -> None:
    import airflow

    with pytest.raises(RuntimeError, match=rf"needs Airflow 3\.3 or later .*this is Airflow {airflow.__version__}"):
        pixverse_retry_policy()
    with pytest.raises(ImportError, match=r"PixVerseRetryPolicy needs Airflow 3\.3 or later"):
        from pixverse_provider.retry_policy import PixVerseRetryPolicy  # noqa: F401
