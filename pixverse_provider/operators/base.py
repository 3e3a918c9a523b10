"""The shared base of every generation operator: validate, upload, submit, push to XCom.

A mode's operator only declares its API fields (in its signature, for mapping and IDE help), its request
model and which inputs may be files. The base does the rest, in an order that spends nothing on a bad
request: render → coerce → validate (files stood in for by placeholders) → estimate → upload → submit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from airflow.sdk import BaseOperator

from pixverse_provider.api import GENERATION_REQUESTS, CreationMode, RequestValidationError, estimate_credits
from pixverse_provider.api.requests import PixVerseRequest
from pixverse_provider.api.validation import FieldProblem, parse_request
from pixverse_provider.exceptions import PixVerseInvalidRequestError
from pixverse_provider.hooks import PixVerseHook
from pixverse_provider.hooks.settings import DEFAULT_CONN_ID
from pixverse_provider.operators.coercion import coerce
from pixverse_provider.operators.inputs import FileInput, check_choice, upload, with_placeholders
from pixverse_provider.triggers.pixverse import DEFAULT_MAX_POLL_FAILURES
from pixverse_provider.waiting import (
    DEFAULT_POLL_INTERVAL,
    DEFAULT_TIMEOUT,
    XCOM_VIDEO,
    default_deferrable,
    defer_until_done,
    poll_until_done,
    record_from_event,
    video_summary,
)

if TYPE_CHECKING:
    from airflow.sdk import Context

    from pixverse_provider.api.responses import VideoRecord
    from pixverse_provider.hooks import Submission

XCOM_TRACE_ID = "trace_id"
XCOM_ESTIMATED_CREDITS = "estimated_credits"
_NOT_API = frozenset({"self", "kwargs", "__class__"})


def api_arguments(local_vars: Mapping[str, Any]) -> dict[str, Any]:
    """A subclass ``__init__``'s named arguments plus its ``**kwargs``, to hand to the base in one go."""
    return {**{k: v for k, v in local_vars.items() if k not in _NOT_API}, **local_vars.get("kwargs", {})}


class PixVerseGenerationOperator(BaseOperator):
    """Submit one PixVerse generation; the return value (XCom ``return_value``) is the ``video_id``.

    :param pixverse_conn_id: the ``pixverse`` connection (API key and base URL).
    :param wait_for_completion: wait for the video after submitting (default False: wait with
        ``PixVerseVideoSensor`` so the submit task frees its worker at once). The finished video's summary
        is pushed as XCom ``video``; the return value stays the ``video_id``.
    :param deferrable: wait in the triggerer instead of the worker (default ``[operators] default_deferrable``).
    :param poll_interval: seconds between status reads while waiting.
    :param timeout: seconds to wait for the video before failing (default one hour).
    :param max_poll_failures: consecutive failed status reads the trigger tolerates.
    """

    mode: ClassVar[CreationMode]
    file_inputs: ClassVar[tuple[FileInput, ...]] = ()
    operator_fields: ClassVar[tuple[str, ...]] = ()
    """Fields of the operator that are neither API fields nor file inputs (e.g. swap's ``mask_name``)."""
    api_fields: ClassVar[tuple[str, ...]] = ()
    template_fields: Sequence[str] = ("pixverse_conn_id",)
    template_fields_renderers: ClassVar[dict[str, str]] = {
        "image_references": "json",
        "multi_transition": "json",
        "img_ids": "json",
        "images": "json",
        "mask_ids": "json",
    }
    ui_color = "#e8dcff"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "mode" in cls.__dict__ and "api_fields" not in cls.__dict__:
            model = cls.request_model_for(cls.mode)
            cls.api_fields = tuple(f.alias or name for name, f in model.model_fields.items())
        own = (*cls.api_fields, *(f.file_field for f in cls.file_inputs if not f.within), *cls.operator_fields)
        cls.template_fields = tuple(dict.fromkeys((*PixVerseGenerationOperator.template_fields, *own)))

    def __init__(
        self,
        *,
        pixverse_conn_id: str = DEFAULT_CONN_ID,
        wait_for_completion: bool = False,
        deferrable: bool | None = None,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        timeout: float = DEFAULT_TIMEOUT,
        max_poll_failures: int = DEFAULT_MAX_POLL_FAILURES,
        **kwargs: Any,
    ) -> None:
        for name in self.template_fields:
            if name != "pixverse_conn_id":
                setattr(self, name, kwargs.pop(name, None))
        super().__init__(**kwargs)
        self.pixverse_conn_id = pixverse_conn_id
        self.wait_for_completion = wait_for_completion
        self.deferrable = default_deferrable() if deferrable is None else deferrable
        self.poll_interval = poll_interval
        self.timeout = timeout
        self.max_poll_failures = max_poll_failures

    @staticmethod
    def request_model_for(mode: CreationMode) -> type[PixVerseRequest]:
        return GENERATION_REQUESTS[mode]

    @cached_property
    def hook(self) -> PixVerseHook:
        return PixVerseHook(pixverse_conn_id=self.pixverse_conn_id)

    # --- the steps of execute, each overridable ---------------------------------------------------------

    def request_mode(self, values: Mapping[str, Any]) -> CreationMode:
        """The mode to submit as (the effect operator picks image- or text-to-video)."""
        return self.mode

    def request_values(self) -> dict[str, Any]:
        """API fields and file inputs that are set, with rendered strings coerced to the API's types."""
        names = (*self.api_fields, *(f.file_field for f in self.file_inputs if not f.within))
        values = {name: getattr(self, name) for name in names if getattr(self, name) is not None}
        return coerce(self.request_model_for(self.request_mode(values)), values)

    def validate(self, values: dict[str, Any]) -> PixVerseRequest:
        """The request as it will be sent (files as placeholder ids); raises before anything is sent."""
        mode = self.request_mode(values)
        problems: list[FieldProblem] = []
        for spec in self.file_inputs:
            if spec.within:
                items = values.get(spec.within)
                if isinstance(items, list):
                    problems += [p for i, it in enumerate(items) if isinstance(it, Mapping)
                                 for p in check_choice(it, spec, f"{spec.within}[{i}].")]  # fmt: skip
                    values = {**values, spec.within: [_placeholders(it, spec) for it in items]}
            else:
                problems += check_choice(values, spec, "")
                values = with_placeholders(values, spec)
        if problems:
            raise PixVerseInvalidRequestError(mode.value, problems)
        return self.parse(mode, values)

    def parse(self, mode: CreationMode, values: Mapping[str, Any]) -> PixVerseRequest:
        try:
            return parse_request(self.request_model_for(mode), values)
        except RequestValidationError as exc:
            raise PixVerseInvalidRequestError(mode.value, exc.problems) from None

    def upload_files(self, values: dict[str, Any]) -> dict[str, Any]:
        """``values`` with every file input uploaded and replaced by its id."""
        for spec in self.file_inputs:
            if spec.within:
                items = values.get(spec.within) or []
                values = {**values, spec.within: [upload(self.hook, spec, dict(it)) for it in items]}
            else:
                values = upload(self.hook, spec, values)
        return values

    def resolve(self, values: dict[str, Any]) -> PixVerseRequest:
        """The final request: files uploaded, plus any preparatory call a mode needs (swap's mask selection)."""
        values = self.upload_files(values)
        return self.parse(self.request_mode(values), values)

    def execute(self, context: Context) -> int:
        values = self.request_values()
        checked = self.validate(values)
        estimate = estimate_credits(checked)
        mode = self.request_mode(values).value
        self.log.info("PixVerse %s: estimated cost %s credits", mode, "unknown" if estimate is None else estimate)
        context["ti"].xcom_push(key=XCOM_ESTIMATED_CREDITS, value=estimate)
        submission = self.submit(self.resolve(values))
        context["ti"].xcom_push(key=XCOM_TRACE_ID, value=submission.trace_id)
        if not self.wait_for_completion:
            return submission.video_id
        video_id, trace_id = submission.video_id, submission.trace_id
        if self.deferrable:
            defer_until_done(
                self,
                video_id=video_id,
                pixverse_conn_id=self.pixverse_conn_id,
                poll_interval=self.poll_interval,
                timeout=self.timeout,
                max_poll_failures=self.max_poll_failures,
                trace_id=trace_id,
            )
        record = poll_until_done(
            self.hook, video_id=video_id, poll_interval=self.poll_interval, timeout=self.timeout, trace_id=trace_id
        )
        return self.finish(context, record)

    def execute_complete(self, context: Context, event: dict[str, Any]) -> int:
        """Resume after the trigger: fail on a failed video, else record it."""
        return self.finish(context, record_from_event(event))

    def finish(self, context: Context, record: VideoRecord) -> int:
        """Push the finished video's summary (XCom ``video``); the return value stays the ``video_id``."""
        self.log.info("PixVerse video %s is ready: %s", record.id, record.url)
        context["ti"].xcom_push(key=XCOM_VIDEO, value=video_summary(record))
        return record.id

    def submit(self, request: PixVerseRequest) -> Submission:
        submission = self.hook.submit_request(request)
        self.log.info(
            "Submitted PixVerse video %s (Ai-trace-id %s, charged %s)",
            submission.video_id,
            submission.trace_id,
            submission.credits if submission.credits is not None else submission.credit,
        )
        return submission


def _placeholders(item: Any, spec: FileInput) -> Any:
    return with_placeholders(dict(item), spec) if isinstance(item, Mapping) else item
