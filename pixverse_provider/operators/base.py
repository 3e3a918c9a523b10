"""The shared base of every generation operator: validate, upload, submit, wait, push to XCom.

A mode's operator names each of its parameters four times, on purpose: in its signature (``.partial().expand()``
checks it; IDEs show it), in its docstring (``:param:``), in ``__init__`` (``self.<name> = <name>``) and in
``template_fields``, a literal tuple of its parameters after the base's own template fields. It also says its
``mode`` and which inputs may be files (``file_inputs``). Every template field of a mode is sent to PixVerse:
as it is, or, for a file input, as the id of its upload; ``not_sent`` names the exceptions (swap's
``mask_name``). The base does the rest, in an order that spends nothing on a bad request: render → coerce →
validate (files stood in for by placeholders) → estimate → upload → submit.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from airflow.sdk import BaseOperator

from pixverse_provider.after_submit import clock
from pixverse_provider.after_submit.delivery import DeliversVideo
from pixverse_provider.after_submit.in_triggerer import nothing_left_for_a_worker
from pixverse_provider.after_submit.verdict import DEFAULT_MAX_POLL_FAILURES, Verdict, failure, judge, should_resubmit
from pixverse_provider.after_submit.waiting import (
    DEFAULT_POLL_INTERVAL,
    DEFAULT_TIMEOUT,
    abandoned_wait,
    default_deferrable,
    defer_until_done,
    record_from_event,
)
from pixverse_provider.api import CreationMode, RequestValidationError
from pixverse_provider.api.validation import parse_request
from pixverse_provider.exceptions import PixVerseConcurrencyLimitError, PixVerseInvalidRequestError
from pixverse_provider.hooks.settings import DEFAULT_CONN_ID
from pixverse_provider.links import PixVerseVideoLink
from pixverse_provider.operators.coercion import coerce
from pixverse_provider.operators.credit_guard import guarded_estimate
from pixverse_provider.operators.inputs import FileInput, as_written, stand_in, upload_all
from pixverse_provider.operators.resume import checked_durable, earlier_submission, remember, request_fingerprint
from pixverse_provider.operators.slots import MIN_DEFERRED_WAIT, next_delay, no_free_slot
from pixverse_provider.operators.task_settings import checked_settings

if TYPE_CHECKING:
    from airflow.sdk import Context

    from pixverse_provider.api.request_models import PixVerseRequest
    from pixverse_provider.api.responses import VideoRecord
    from pixverse_provider.hooks import PixVerseHook, Submission

XCOM_TRACE_ID = "trace_id"
XCOM_ESTIMATED_CREDITS = "estimated_credits"
XCOM_CHARGED_CREDITS = "charged_credits"  # PixVerse says it only in the submit's answer: the UI view shows it
DEFAULT_CONCURRENCY_TIMEOUT = 60 * 60.0
_SETTINGS = (
    "poll_interval",
    "timeout",
    "max_poll_failures",
    "max_credits",
    "concurrency_timeout",
    "concurrency_retry_interval",
)
"""Task settings that are not API fields: checked at parse when literal, once rendered when templated."""


class PixVerseGenerationOperator(DeliversVideo, BaseOperator):
    """Submit one PixVerse generation; the return value (XCom ``return_value``) is the ``video_id``.

    :param pixverse_conn_id: The ``pixverse`` connection (API key and base URL); see :doc:`/connection`.
    :param wait_for_completion: Wait for the video after submitting. Default ``False``: wait with
        :class:`~pixverse_provider.sensors.PixVerseVideoSensor`, so the submit task frees its worker at once.
        The return value stays the ``video_id``; the finished video's summary is pushed as XCom ``video``.
    :param deferrable: Wait in the triggerer instead of the worker (while waiting for the video, and between
        attempts after a 500044). ``None`` reads ``[operators] default_deferrable``.
    :param poll_interval: Seconds between status reads while waiting. A sensor calls this ``poke_interval``;
        the operator is no sensor, and it says ``poll_interval`` like other providers' operators that wait
        (``wait_for_completion``). ``PixVerseVideoSensor`` takes the same ``poll_interval`` (its
        ``poke_interval``), so moving a wait from the operator to the sensor keeps the argument.
    :param timeout: Seconds to wait for the video once submitted, before failing with
        ``PixVerseVideoTimeoutError`` (default one hour), as a sensor's ``timeout`` bounds its wait. Not
        ``execution_timeout``, which Airflow applies to the whole try (uploads and submit included) and which
        also caps this wait when it is shorter. See :doc:`/waiting`.
    :param max_poll_failures: Consecutive failed status reads the trigger tolerates before it gives up.
    :param output_path: Where the finished video lands (needs ``wait_for_completion=True``): a local path,
        ``file://`` or any ``ObjectStoragePath`` URI (``s3://bucket/videos/``); a folder gets
        ``pixverse_<video_id>.mp4``. See :doc:`/results`.
    :param output_conn_id: Connection of the object store of ``output_path``.
    :param max_credits: Fail before submitting when the estimated cost is higher (:doc:`/costs`).
    :param check_balance: Read the account balance first and fail when it is below the estimate.
    :param on_concurrency_limit: ``"wait"`` (default): when PixVerse answers 500044, wait for a free slot and
        submit again, within the same try (deferred between attempts when deferrable); ``"fail"``: fail at once.
        Any other value is refused when the DAG is parsed. An Airflow pool sized to the plan's concurrency
        avoids the wait altogether.
    :param concurrency_timeout: Seconds to keep waiting for a slot (default one hour).
    :param concurrency_retry_interval: First pause between attempts (seconds); doubles, up to a minute.
    :param durable: ``True`` (default), as on Airflow 3.3's ``ResumableJobMixin``: a retried task resumes the
        video an earlier try submitted for the same request (kept in ``task_state_store``, Airflow 3.3+) instead
        of paying again; only a failed video (status 8) is submitted again. ``False``: every try submits and
        pays, and the log says so. A literal bool (:doc:`/retries`).

    Extension points: a mode's operator overrides these steps of ``execute`` when its signature is not the
    whole story (each is overridden by an operator of this package):

    - ``request_values()``: the API fields and file inputs to send, rendered and coerced (the effect operator
      fills in the defaults of the mode it picks);
    - ``request_mode(values)``: the mode to submit as (the effect operator picks image- or text-to-video);
    - ``validate(values)``: the request as it will be sent, checked before anything is spent (swap stands in
      for the ``mask_id`` its mask selection will pick);
    - ``resolve(values)``: the final request, once the files are uploaded, plus any preparatory call a mode
      needs (swap's mask selection).

    Airflow calls ``execute``, ``execute_complete`` (back from the video trigger) and ``resume_submit`` (back
    from the slot trigger after a 500044). The other steps are private.
    """

    mode: ClassVar[CreationMode]
    """The creation type the operator submits as (the effect operator decides per request: ``request_mode``)."""
    file_inputs: ClassVar[tuple[FileInput, ...]] = ()
    """Inputs that may be given as files (uploaded first, then sent as the id PixVerse gives them)."""
    not_sent: ClassVar[tuple[str, ...]] = ()
    """Template fields of the mode that the operator reads itself instead of sending them (swap's ``mask_name``)."""
    template_fields: Sequence[str] = ("pixverse_conn_id", "output_path", "output_conn_id", *_SETTINGS)
    operator_extra_links = (PixVerseVideoLink(),)
    template_fields_renderers: ClassVar[dict[str, str]] = {
        "image_references": "json",
        "multi_transition": "json",
        "img_ids": "json",
        "images": "json",
        "mask_ids": "json",
    }
    ui_color = "#e8dcff"
    _waiting_for: tuple[int, str | None, float | None] | None = None
    """The video a worker-side wait is on (id, trace id, estimated credits), for ``on_kill``."""

    def __init__(
        self,
        *,
        pixverse_conn_id: str = DEFAULT_CONN_ID,
        wait_for_completion: bool = False,
        deferrable: bool | None = None,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        timeout: float = DEFAULT_TIMEOUT,
        max_poll_failures: int = DEFAULT_MAX_POLL_FAILURES,
        output_path: str | None = None,
        output_conn_id: str | None = None,
        max_credits: int | None = None,
        check_balance: bool = False,
        on_concurrency_limit: str = "wait",
        concurrency_timeout: float = DEFAULT_CONCURRENCY_TIMEOUT,
        concurrency_retry_interval: float = 10.0,
        durable: bool = True,
        **kwargs: Any,
    ) -> None:
        if output_path and not wait_for_completion:
            raise ValueError(
                "output_path needs wait_for_completion=True (or land the file with the sensor's output_path)"
            )
        if on_concurrency_limit not in ("wait", "fail"):
            raise ValueError(f"on_concurrency_limit must be 'wait' or 'fail', got {on_concurrency_limit!r}")
        super().__init__(**kwargs)
        self.pixverse_conn_id = pixverse_conn_id
        self.wait_for_completion = wait_for_completion
        self.deferrable = default_deferrable() if deferrable is None else deferrable
        self.poll_interval = poll_interval
        self.timeout = timeout
        self.max_poll_failures = max_poll_failures
        self.output_path = output_path
        self.output_conn_id = output_conn_id
        self.max_credits = max_credits
        self.check_balance = check_balance
        self.on_concurrency_limit = on_concurrency_limit
        self.concurrency_timeout = concurrency_timeout
        self.concurrency_retry_interval = concurrency_retry_interval
        self.durable = checked_durable(self.task_id, durable)
        checked_settings(self.task_id, {name: getattr(self, name) for name in _SETTINGS}, at_parse=True)

    @classmethod
    def _api_fields(cls) -> tuple[str, ...]:
        """The mode's template fields that are sent as they are: not the base's, not a file input (sent as the
        id of its upload), not ``not_sent``."""
        skip = {*PixVerseGenerationOperator.template_fields, *cls.not_sent, *(f.file_field for f in cls.file_inputs)}
        return tuple(name for name in cls.template_fields if name not in skip)

    @staticmethod
    def _request_model_for(mode: CreationMode) -> type[PixVerseRequest]:
        from pixverse_provider.api.request_models import GENERATION_REQUESTS  # first use: not when a DAG is parsed

        return GENERATION_REQUESTS[mode]

    @cached_property
    def hook(self) -> PixVerseHook:
        from pixverse_provider.hooks import PixVerseHook  # heavy (requests): loaded when a task runs

        return PixVerseHook(pixverse_conn_id=self.pixverse_conn_id)

    # --- execute, and the steps that decide what is sent (the extension points) --------------------------------

    def execute(self, context: Context) -> int:
        """Check the settings and the request, guard the credits, then resume an earlier try's video or upload
        and submit; returns the ``video_id``."""
        for name, value in checked_settings(self.task_id, {n: getattr(self, n) for n in _SETTINGS}).items():
            setattr(self, name, value)  # templated settings arrive as text: from here on they are numbers
        values = self.request_values()
        checked = self.validate(values)
        self._guard_credits(context, checked)
        fingerprint = request_fingerprint(checked.mode.value, values)
        resumed = self._resume_earlier_video(context, fingerprint)
        if resumed is not None:
            return self._after_submit(context, *resumed)
        return self._submit_when_a_slot_is_free(
            context, self.resolve(values), fingerprint=fingerprint, attempt=1, deadline=None
        )

    def request_values(self) -> dict[str, Any]:
        """API fields and file inputs that are set, with rendered strings coerced to the API's types."""
        names = (*self._api_fields(), *(f.file_field for f in self.file_inputs if not f.within))
        values = {name: getattr(self, name) for name in names if getattr(self, name) is not None}
        return coerce(self._request_model_for(self.request_mode(values)), values)

    def request_mode(self, values: Mapping[str, Any]) -> CreationMode:
        """The mode to submit as (the effect operator picks image- or text-to-video)."""
        return self.mode

    def validate(self, values: dict[str, Any]) -> PixVerseRequest:
        """The request as it will be sent (files as placeholder ids); raises before anything is sent, naming
        the arguments as the user wrote them (``image``, not the ``img_id`` that stood in for it)."""
        mode = self.request_mode(values)
        stood_in, problems, renames = stand_in(self.file_inputs, values)
        if problems:
            raise PixVerseInvalidRequestError(mode.value, problems)
        try:
            return parse_request(self._request_model_for(mode), stood_in)
        except RequestValidationError as exc:
            raise PixVerseInvalidRequestError(mode.value, as_written(exc.problems, renames)) from None

    def resolve(self, values: dict[str, Any]) -> PixVerseRequest:
        """The final request: files uploaded, plus any preparatory call a mode needs (swap's mask selection)."""
        values = self._upload_files(values)
        return self._parse(self.request_mode(values), values)

    def _upload_files(self, values: dict[str, Any]) -> dict[str, Any]:
        """``values`` with every file input uploaded and replaced by its id."""
        return upload_all(self.hook, self.file_inputs, values)

    def _parse(self, mode: CreationMode, values: Mapping[str, Any]) -> PixVerseRequest:
        try:
            return parse_request(self._request_model_for(mode), values)
        except RequestValidationError as exc:
            raise PixVerseInvalidRequestError(mode.value, exc.problems) from None

    # --- spending: credit guard, the concurrency limit, no double charge ------------------------------------

    def _guard_credits(self, context: Context, request: PixVerseRequest) -> None:
        """Push the estimate (XCom ``estimated_credits``) once it passes ``max_credits`` and the balance."""
        estimate = guarded_estimate(
            request, max_credits=self.max_credits, check_balance=self.check_balance, hook=self.hook, log=self.log
        )
        context["ti"].xcom_push(key=XCOM_ESTIMATED_CREDITS, value=estimate)

    def _submit_when_a_slot_is_free(
        self,
        context: Context,
        request: PixVerseRequest,
        *,
        fingerprint: str,
        attempt: int,
        deadline: str | None,
        first_attempt: str | None = None,
    ) -> int:
        """Submit; on 500044 wait for a free slot and submit again (fresh trace id), within one task try."""
        deadline = deadline or clock.after(self.concurrency_timeout)
        first_attempt = first_attempt or clock.now().isoformat()
        while True:
            try:
                submission = self._submit(request)
                break
            except PixVerseConcurrencyLimitError as exc:
                delay = next_delay(attempt, self.concurrency_retry_interval, deadline)
                if delay is None or self.on_concurrency_limit == "fail":
                    policy, limit = self.on_concurrency_limit, self.concurrency_timeout
                    raise no_free_slot(exc, attempt, first_attempt, policy, limit) from None
            self.log.info("PixVerse concurrency limit reached (attempt %d); submitting again in %.1fs", attempt, delay)
            attempt += 1
            if self.deferrable and delay >= MIN_DEFERRED_WAIT:
                from pixverse_provider.triggers.slot import PixVerseSlotTrigger

                resume = {"payload": request.to_payload(), "mode": request.mode.value, "attempt": attempt,
                          "deadline": deadline, "first_attempt": first_attempt, "fingerprint": fingerprint}  # fmt: skip
                moment = clock.now().add(seconds=delay).isoformat()
                self.defer(trigger=PixVerseSlotTrigger(moment, resume), method_name="resume_submit")
            time.sleep(delay)
        remember(
            context.get("task_state_store"),
            video_id=submission.video_id,
            trace_id=submission.trace_id,
            fingerprint=fingerprint,
            durable=self.durable,
        )
        context["ti"].xcom_push(key=XCOM_CHARGED_CREDITS, value=submission.charged)
        return self._after_submit(context, submission.video_id, submission.trace_id)

    def resume_submit(self, context: Context, event: dict[str, Any]) -> int:
        """Back from the slot trigger after a 500044: try the same (already uploaded) request again."""
        request = self._parse(CreationMode(event["mode"]), event["payload"])
        return self._submit_when_a_slot_is_free(
            context,
            request,
            fingerprint=event["fingerprint"],
            attempt=event["attempt"],
            deadline=event["deadline"],
            first_attempt=event.get("first_attempt"),
        )

    def _resume_earlier_video(self, context: Context, fingerprint: str) -> tuple[int, str | None] | None:
        """On a retry, the video an earlier try of this task paid for with this same request, if worth resuming."""
        earlier = earlier_submission(context.get("task_state_store"), fingerprint, self.log, durable=self.durable)
        if earlier is None:
            return None
        video_id, trace_id = earlier
        record = self.hook.get_video(video_id)
        if should_resubmit(record.status):
            self.log.info("Earlier video %s failed (status %s): submitting a new one", video_id, record.status)
            return None
        outcome = judge(record.status)
        if outcome.verdict == Verdict.FAILED:
            raise failure(outcome, video_id=video_id, trace_id=trace_id)
        self.log.info("Resuming video %s from an earlier try (status %s): not paying again", video_id, record.status)
        return video_id, trace_id

    # --- after the submit: wait, land, record ---------------------------------------------------------------

    def _after_submit(self, context: Context, video_id: int, trace_id: str | None) -> int:
        context["ti"].xcom_push(key=XCOM_TRACE_ID, value=trace_id)
        if not self.wait_for_completion:
            return video_id
        estimate = context["ti"].xcom_pull(task_ids=self.task_id, key=XCOM_ESTIMATED_CREDITS)
        self._waiting_for = (video_id, trace_id, estimate)  # what on_kill reports
        if self.deferrable:
            defer_until_done(
                self,
                video_id=video_id,
                pixverse_conn_id=self.pixverse_conn_id,
                poll_interval=self.poll_interval,
                timeout=self.timeout,
                max_poll_failures=self.max_poll_failures,
                trace_id=trace_id,
                end_from_trigger=nothing_left_for_a_worker(self),
                estimated_credits=estimate,
            )
        record = self.hook.wait_for_video(
            video_id,
            poll_interval=self.poll_interval,
            timeout=self.timeout,
            trace_id=trace_id,
            max_poll_failures=self.max_poll_failures,
        )
        return self._finish(context, record)

    def execute_complete(self, context: Context, event: dict[str, Any]) -> int:
        """Resume after the trigger: fail on a failed video, else land and record it."""
        return self._finish(context, record_from_event(event))

    def on_kill(self) -> None:
        """A task killed while it waits on the worker: PixVerse goes on generating (and charging for) the video."""
        if self._waiting_for is not None:
            self.log.warning(abandoned_wait(*self._waiting_for, submitted=True))

    def _finish(self, context: Context, record: VideoRecord) -> int:
        """Land the video and push its summary (XCom ``video``); the return value stays the ``video_id``."""
        self.log.info("PixVerse video %s is ready: %s", record.id, record.url)
        self.deliver(context, record, self._asset_metadata(context))
        return record.id

    def _asset_metadata(self, context: Context) -> dict[str, Any]:
        """What downstream DAGs learn about the video besides its summary: mode, model, shape, credits."""
        values = self.request_values()
        return {
            "mode": self.request_mode(values).value,
            "model": values.get("model"),
            "duration": values.get("duration"),
            "quality": values.get("quality"),
            "credits": context["ti"].xcom_pull(task_ids=self.task_id, key=XCOM_ESTIMATED_CREDITS),
        }

    def _submit(self, request: PixVerseRequest) -> Submission:
        submission = self.hook.submit_request(request)
        charged = submission.charged
        self.log.info(
            "Submitted PixVerse video %s (Ai-trace-id %s); %s",
            submission.video_id,
            submission.trace_id,
            "PixVerse did not say what it charged" if charged is None else f"PixVerse charged {charged} credits",
        )
        return submission
