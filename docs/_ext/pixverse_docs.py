"""Sphinx helpers for the provider's documentation: tables generated from the code, and two build guards.

The tables (error codes, per-model rules, prices, uncertain rules, emulator flags, operator parameters) are
rendered from ``pixverse_provider`` at build time, so the documentation cannot drift from the code. What a
table cannot know (what to do about an error, what a parameter means) is written in the pages, and the
build warns (an error under ``-W``) when the code gains something the pages do not cover:

- an ``ErrCode`` of ``api.errors.ERROR_CODES`` that no ``pixverse-errors`` directive explains;
- an operator of ``pixverse_provider.operators`` without a ``pixverse-parameters`` table;
- an operator parameter without a ``:param:`` line in its class's docstring.

Directives:

``.. pixverse-errors:: CODE [CODE|FIRST-LAST ...]``
    The codes' meaning and the exception the hooks raise for them, then the directive's content (the advice).
``.. pixverse-parameters:: dotted.ClassName``
    Parameter / type / default / description of the class's ``__init__``. Each description is the class's own
    ``:param name:`` docstring line, the one source of ``help()``, IDE hovers and these tables (autodoc leaves
    those lines out of the class's text, which the table shows). ``:inherited:`` also lists the parameters of
    the provider's own base classes.
``.. pixverse-file-inputs:: dotted.ClassName``
    Which inputs of a generation operator may be given as files, and the API id each replaces.
``.. pixverse-mode-rules:: mode``
    Endpoint, models and qualities of one generation mode.
``.. pixverse-model-rules::``, ``.. pixverse-mode-models::``
    The per-model matrix (durations, 1080p, ratios, switches) and the models each mode accepts.
``.. pixverse-prices:: per-video | per-second | inputs``
    The credit tables of ``api.pricing``.
``.. pixverse-uncertain-rules::``, ``.. pixverse-emulator-flags::``, ``.. pixverse-fault-kinds::``
    ``api.rules.UNCERTAIN_RULES``, the ``pixverse-emulator`` command line, the emulator's fault kinds.

Build guards (nothing in the code is changed):

- Sphinx 9's autodoc copies annotations read from the *source* of every class in a documented class's MRO
  into that class's ``__annotations__``, pydantic's ``BaseModel`` included. pydantic builds every later
  model with ``extra="allow"`` from those, and fails ("The type annotation for ``__pydantic_extra__`` must be
  ``dict[str, ...]``"), which breaks the import of ``api.responses`` and of Airflow itself. The guard
  removes what autodoc added to ``BaseModel`` before the next import can see it.
- A literal directly followed by a letter, as in the plural ``FieldProblem``s, is not valid reStructuredText
  ("Inline literal start-string without end-string"); such plurals get an escaped space (``\\ s``) before
  docutils reads them. ``api/validation.py`` has two (the module docstring and ``RULES_ERROR_TYPE``).
"""

from __future__ import annotations

import argparse
import enum
import importlib
import inspect
import re
import types
import typing
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

import pydantic
from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

# --------------------------------------------------------------------------------------------------------------
# Build guards


def _keep_basemodel_pristine(*_: Any) -> None:
    """Undo autodoc's write of source annotations into ``pydantic.BaseModel`` (see the module docstring)."""
    if "__annotations__" in pydantic.BaseModel.__dict__:
        del pydantic.BaseModel.__annotations__


_LITERAL = re.compile(r"``(?!\s)(.+?)``(?=([A-Za-z])?)")


def _escape_literal_plurals(line: str) -> str:
    """Insert an escaped space between a literal and a letter right after it; literals are matched pairwise."""
    return _LITERAL.sub(lambda m: m.group(0) + ("\\ " if m.group(2) else ""), line)


def _process_docstring(app: Any, what: str, name: str, obj: Any, options: Any, lines: list[str]) -> None:
    _keep_basemodel_pristine()
    if what == "class" and getattr(obj, "__module__", "").startswith("pixverse_provider.operators"):
        lines[:] = _without_param_fields(lines)  # a pixverse-parameters table shows them
    lines[:] = [_escape_literal_plurals(line) for line in lines]


def _without_param_fields(lines: list[str]) -> list[str]:
    """``lines`` without the ``:param name:`` entries (and their indented continuation lines)."""
    kept: list[str] = []
    in_param = False
    for line in lines:
        if line.startswith(":param "):
            in_param = True
        elif not (in_param and line.startswith(" ") and line.strip()):
            in_param = False
            kept.append(line)
    return kept


# --------------------------------------------------------------------------------------------------------------
# Readable signatures of pydantic models

_HIDDEN_MEMBERS = frozenset({"model_config"})


def _short_type(tp: Any) -> str:
    """``Annotated[StrictInt, Field(ge=0)] | None`` → ``int | None``: the wire type, without pydantic's metadata."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _short_type(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_short_type(arg) for arg in typing.get_args(tp))
    if origin is typing.ClassVar:
        return _short_type(typing.get_args(tp)[0])
    if origin is not None:
        args = ", ".join(_short_type(arg) for arg in typing.get_args(tp))
        return f"{getattr(origin, '__name__', str(origin))}[{args}]"
    if tp is type(None):
        return "None"
    return getattr(tp, "__name__", str(tp))


def _model_signature(
    app: Any, what: str, name: str, obj: Any, options: Any, signature: str | None, return_annotation: str | None
) -> tuple[str, str | None] | None:
    """A pydantic model's signature as its fields (API names, wire types, defaults)."""
    _keep_basemodel_pristine()
    if what != "class" or not (isinstance(obj, type) and issubclass(obj, pydantic.BaseModel)):
        return None
    params = []
    for field_name, field in obj.model_fields.items():
        text = f"{field.alias or field_name}: {_short_type(field.annotation)}"
        if not field.is_required():
            text += f" = {field.default!r}"
        params.append(text)
    return ("(*, " + ", ".join(params) + ")" if params else "()"), None


def _skip_member(app: Any, what: str, name: str, obj: Any, skip: bool, options: Any) -> bool | None:
    _keep_basemodel_pristine()
    return True if name in _HIDDEN_MEMBERS else None


# --------------------------------------------------------------------------------------------------------------
# Small rendering helpers


def _obj(dotted: str) -> Any:
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _cell(text: object) -> list[str]:
    lines = str(text).splitlines() or [""]
    return lines


def list_table(header: list[str], rows: Iterable[list[object]], *, widths: str | None = None) -> list[str]:
    """reST ``list-table`` lines; a cell may hold several lines of reST."""
    out = [".. list-table::", "   :header-rows: 1"]
    if widths:
        out.append(f"   :widths: {widths}")
    out.append("")
    for row in [header, *rows]:
        for i, cell in enumerate(row):
            lines = _cell(cell)
            out.append(("   * - " if i == 0 else "     - ") + lines[0])
            out.extend("       " + line for line in lines[1:])
    out.append("")
    return out


def lit(value: object) -> str:
    return f"``{value}``"


def values(items: Iterable[Any]) -> str:
    """``a``, ``b``, ``c`` for enum members or plain values (order kept)."""
    return ", ".join(lit(v.value if isinstance(v, enum.Enum) else v) for v in items)


class GeneratedDirective(SphinxDirective):
    """A directive whose output is reST text made from the code."""

    def parse(self, lines: list[str]) -> list[nodes.Node]:
        container = nodes.container()
        self.state.nested_parse(StringList(lines, source=self.get_source_info()[0]), self.content_offset, container)
        return list(container.children)

    def warn(self, message: str) -> None:
        logger.warning(message, location=self.get_location())


def _record(env: Any, attr: str, items: Iterable[Any]) -> None:
    store = env.__dict__.setdefault(attr, {})
    store.setdefault(env.docname, set()).update(items)


# --------------------------------------------------------------------------------------------------------------
# Error codes


def _codes(arguments: list[str]) -> list[int]:
    codes: list[int] = []
    for arg in arguments:
        first, dash, last = arg.partition("-")
        codes.extend(range(int(first), int(last) + 1) if dash else [int(first)])
    return codes


class ErrorsDirective(GeneratedDirective):
    required_arguments = 1
    optional_arguments = 20
    has_content = True

    def run(self) -> list[nodes.Node]:
        from pixverse_provider._compat import AirflowFailException
        from pixverse_provider.api import ERROR_CODES, ErrorKind
        from pixverse_provider.exceptions import _ERRORS_BY_KIND

        codes = _codes(self.arguments)
        unknown = [c for c in codes if c not in ERROR_CODES]
        if unknown:
            self.warn(f"pixverse-errors: {unknown} are not in api.errors.ERROR_CODES")
        known = [ERROR_CODES[c] for c in codes if c in ERROR_CODES]
        kinds = {e.kind for e in known}
        if len(kinds) > 1:
            self.warn(f"pixverse-errors: {codes} mix kinds {sorted(k.value for k in kinds)}; split the directive")
        _record(self.env, "pixverse_errors", codes)
        lines: list[str] = []
        for code in codes:
            lines += [f".. _errcode-{code}:", ""]
        lines += list_table(["ErrCode", "Meaning"], ([lit(e.code), e.message] for e in known), widths="15 85")
        if known:
            kind = known[0].kind
            cls = _ERRORS_BY_KIND[kind]
            fate = (
                "the task fails at once, without using its retries"
                if issubclass(cls, AirflowFailException)
                else "the task fails and its ``retries`` apply"
            )
            extra = ""
            if kind == ErrorKind.TRANSIENT:
                extra = " Reads and uploads are first retried by the hook, up to the connection's ``max_retries``."
            lines += [
                f"**Raised as** :class:`~pixverse_provider.exceptions.{cls.__name__}` (kind ``{kind.value}``):"
                f" {fate}.{extra}",
                "",
            ]
        nodes_ = self.parse(lines)
        container = nodes.container()
        self.state.nested_parse(self.content, self.content_offset, container)
        return nodes_ + list(container.children)


# --------------------------------------------------------------------------------------------------------------
# Operator parameters

_PARAM = re.compile(r"^:param (\w+):\s*(.*)$")


def param_docs(cls: type) -> dict[str, str]:
    """The ``:param name: text`` entries of ``cls``'s own docstring, each text on one line."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in inspect.cleandoc(cls.__doc__ or "").splitlines():
        match = _PARAM.match(line)
        if match:
            current = found.setdefault(match.group(1), [])
            current.append(match.group(2))
        elif current is not None and line.startswith(" ") and line.strip():
            current.append(line.strip())
        else:
            current = None
    return {name: " ".join(parts) for name, parts in found.items()}


def _parameters(cls: type, inherited: bool) -> list[inspect.Parameter]:
    """Named parameters of ``cls.__init__`` (and, if ``inherited``, of the provider's own bases), in order."""
    classes = [cls]
    if inherited:
        classes += [
            c for c in cls.__mro__[1:] if c.__module__.startswith("pixverse_provider") and "__init__" in c.__dict__
        ]
    seen: dict[str, inspect.Parameter] = {}
    for klass in classes:
        for param in inspect.signature(klass.__init__).parameters.values():
            if param.name == "self" or param.kind in (param.VAR_KEYWORD, param.VAR_POSITIONAL):
                continue
            seen.setdefault(param.name, param)
    return list(seen.values())


class ParametersDirective(GeneratedDirective):
    required_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {"inherited": directives.flag}

    def run(self) -> list[nodes.Node]:
        cls = _obj(self.arguments[0])
        params = _parameters(cls, "inherited" in self.options)
        described = param_docs(cls)
        for extra in sorted(set(described) - {p.name for p in params}):
            self.warn(f"pixverse-parameters: {cls.__name__}'s docstring describes {extra!r}, no parameter of it")
        files = {f.file_field for f in getattr(cls, "file_inputs", ()) if not f.within}
        rows = []
        for p in params:
            text = described.get(p.name, "")
            if not text:
                self.warn(f"pixverse-parameters: {cls.__name__}'s docstring has no ':param {p.name}:'")
            default = "*required*" if p.default is p.empty else lit(repr(p.default))
            kind = p.annotation if isinstance(p.annotation, str) else inspect.formatannotation(p.annotation)
            name = lit(p.name) + (" (file)" if p.name in files else "")
            rows.append([name, lit(kind), default, text])
        _record(self.env, "pixverse_operators", [cls.__name__])
        return self.parse(list_table(["Parameter", "Type", "Default", "Description"], rows, widths="20 17 13 50"))


class FileInputsDirective(GeneratedDirective):
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        cls = _obj(self.arguments[0])
        specs = getattr(cls, "file_inputs", ())
        if not specs:
            return self.parse(["This operator takes no file inputs: every input is an id.", ""])
        rows = []
        for spec in specs:
            where = f" in each item of ``{spec.within}``" if spec.within else ""
            given = "a list of files" if spec.many else "a file"
            if spec.id_field == "video_media_id":
                needed = "exactly one of ``source_video_id``, ``video_media_id`` and ``video``"
            elif spec.required:
                needed = f"exactly one of ``{spec.id_field}`` and ``{spec.file_field}``"
            else:
                needed = "optional; not together with the id"
            rows.append([lit(spec.file_field) + where, lit(spec.id_field), f"{given} ({spec.kind})", needed])
        lines = list_table(["File field", "Replaces the id field", "Takes", "Required"], rows)
        lines += [
            "A file is a local path, an ``http(s)`` URL (PixVerse fetches it), a binary file object or an"
            " ``ObjectStoragePath``. The whole request is validated first, with placeholder ids, so a bad"
            " parameter fails before anything is uploaded; then each file is uploaded (free) and replaced by"
            " its id. A missing local file fails the task before any request.",
            "",
        ]
        return self.parse(lines)


# --------------------------------------------------------------------------------------------------------------
# Per-model and per-mode rules


class ModeRulesDirective(GeneratedDirective):
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        from pixverse_provider.api import GENERATION_REQUESTS, CreationMode, Quality, rules

        mode = CreationMode(self.arguments[0])
        model = GENERATION_REQUESTS[mode]
        fields = model.model_fields
        lines = [f"- Endpoint: ``POST {model.endpoint.value}`` (creation type ``{mode.value}``)."]
        if "model" in fields and mode in rules.MODE_MODELS:
            lines.append(f"- Models: {values(_model_order(rules.MODE_MODELS[mode]))}.")
        elif "model" in fields:
            lines.append("- ``model`` is reserved by PixVerse for future use; the operator does not set it.")
        else:
            lines.append("- No ``model`` field.")
        if "quality" in fields:
            if mode == CreationMode.MIMIC:
                lines.append(
                    f"- Qualities: {values(rules.EDIT_QUALITIES)}; whether ``1080p`` is accepted is left to PixVerse"
                    " (the emulator refuses it, see :ref:`uncertain-rules`)."
                )
            elif mode in (CreationMode.SWAP, CreationMode.MODIFY):
                lines.append(f"- Qualities: {values(sorted(rules.EDIT_QUALITIES, key=list(Quality).index))}.")
            else:
                lines.append(f"- Qualities: {values(Quality)}.")
        else:
            lines.append("- No ``quality`` field.")
        lines.append("")
        return self.parse(lines)


def _model_order(models: Iterable[Any]) -> list[Any]:
    from pixverse_provider.api import Model

    return sorted(models, key=list(Model).index)


class ModelRulesDirective(GeneratedDirective):
    def run(self) -> list[nodes.Node]:
        from pixverse_provider.api import Model, rules

        def yes(flag: bool) -> str:
            return "yes" if flag else ""

        rows = []
        for m in Model:
            client = rules.max_duration_at_1080p(m, strict=False)
            emulator = rules.max_duration_at_1080p(m, strict=True)
            at_1080 = "every duration" if client is None else f"{client} s"
            if emulator != client:
                at_1080 += f" (emulator: {emulator} s)"
            ratios = "5 ratios" if rules.allowed_aspect_ratios(m) == rules.LEGACY_ASPECT_RATIOS else "8 ratios"
            rows.append([
                lit(m.value),
                rules.names(rules.allowed_durations(m)),
                at_1080,
                ratios,
                yes(m in rules.FAST_MOTION_MODELS),
                yes(m in rules.AUDIO_SWITCH_MODELS),
                yes(m in rules.MULTI_CLIP_MODELS),
                yes(m in rules.CAMERA_MOVEMENT_MODELS),
                yes(m in rules.LEGACY_AUDIO_MODELS),
            ])  # fmt: skip
        header = ["Model", "Durations (s)", "Longest at 1080p", "Aspect ratios", "``fast`` motion",
                  "``generate_audio_switch``", "multi-clip", "``camera_movement``", "legacy add-ons"]  # fmt: skip
        lines = list_table(header, rows)
        lines += [
            f"*5 ratios*: {values(sorted(rules.LEGACY_ASPECT_RATIOS, key=_ratio_order))}; *8 ratios* add"
            f" {values(sorted(rules.WIDE_ASPECT_RATIOS - rules.LEGACY_ASPECT_RATIOS, key=_ratio_order))}."
            " *Legacy add-ons* are ``sound_effect_*`` and ``lip_sync_tts_*`` on text-to-video, image-to-video"
            " and transition; any model takes them together with a ``template_id``.",
            "",
        ]
        return self.parse(lines)


def _ratio_order(ratio: Any) -> int:
    from pixverse_provider.api import AspectRatio

    return list(AspectRatio).index(ratio)


class ModeModelsDirective(GeneratedDirective):
    def run(self) -> list[nodes.Node]:
        from pixverse_provider.api import GENERATION_REQUESTS, rules

        rows = []
        for mode, request in GENERATION_REQUESTS.items():
            if mode in rules.MODE_MODELS:
                models = values(_model_order(rules.MODE_MODELS[mode]))
            elif "model" in request.model_fields:
                models = "reserved by PixVerse (no effect)"
            else:
                models = "no ``model`` field"
            rows.append([lit(mode.value), models])
        return self.parse(list_table(["Mode", "Models"], rows, widths="25 75"))


# --------------------------------------------------------------------------------------------------------------
# Prices


class PricesDirective(GeneratedDirective):
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        table = self.arguments[0]
        if table == "per-video":
            return self.parse(self.per_video())
        if table == "per-second":
            return self.parse(self.per_second())
        if table == "inputs":
            return self.parse(self.inputs())
        self.warn(f"pixverse-prices: unknown table {table!r} (per-video, per-second, inputs)")
        return []

    @staticmethod
    def per_video() -> list[str]:
        from pixverse_provider.api import Model, MotionMode, Quality
        from pixverse_provider.api.pricing import video_price

        def price(model: Model, quality: Quality, duration: int, **kw: Any) -> str:
            value = video_price(model, quality, duration, **kw)
            return "—" if value is None else str(value)

        rows = []
        for label, model in (("v3.5 / v4 / v4.5", Model.V4), ("v5", Model.V5)):
            for q in Quality:
                rows.append([label, q.value, *(price(model, q, d) for d in (5, 8, 10))])
        for q in (q for q in Quality if video_price(Model.V4, q, 5, motion_mode=MotionMode.FAST) is not None):
            rows.append(["v3.5 / v4 / v4.5, ``fast``", q.value, price(Model.V4, q, 5, motion_mode=MotionMode.FAST),
                         "—", "—"])  # fmt: skip
        for q in Quality:
            cells = []
            for d in (5, 8, 10):
                silent, audio = video_price(Model.V5_6, q, d), video_price(Model.V5_6, q, d, audio=True)
                cells.append("—" if silent is None else f"{silent} / {audio}")
            rows.append(["v5.6 (silent / audio)", q.value, *cells])
        for q in Quality:
            rows.append(["v5.5", q.value, *(price(Model.V5_5, q, d) for d in (5, 8, 10))])
        base = video_price(Model.V5_5, Quality.Q540P, 5) or 0
        audio = (video_price(Model.V5_5, Quality.Q540P, 5, audio=True) or 0) - base
        multi = (video_price(Model.V5_5, Quality.Q540P, 5, multi_clip=True) or 0) - base
        lines = list_table(["Model", "Quality", "5 s", "8 s", "10 s"], rows, widths="34 16 16 17 17")
        lines += [
            f"v5.5 adds {audio} credits with ``generate_audio_switch`` and {multi} with"
            " ``generate_multi_clip_switch``. A dash means the tables publish no price (the estimate is then"
            " unknown).",
            "",
        ]
        return lines

    @staticmethod
    def per_second() -> list[str]:
        from pixverse_provider.api import Model, Quality
        from pixverse_provider.api.pricing import video_price

        rows = [
            [lit(m.value), *(f"{video_price(m, q, 1)} / {video_price(m, q, 1, audio=True)}" for q in Quality)]
            for m in (Model.V6, Model.C1)
        ]
        return list_table(["Model", *(q.value for q in Quality)], rows)

    @staticmethod
    def inputs() -> list[str]:
        from pixverse_provider.api import pricing

        mimic = ", ".join(f"{q.value}: {c}" for q, c in pricing.MIMIC_PER_SECOND.items())
        rows = [
            ["Sound effects (mode, or the ``sound_effect_switch`` add-on)",
             f"{pricing.SOUND_EFFECT_PER_5S} per started 5 s"],
            ["Lip sync with an uploaded audio", f"{pricing.LIP_SYNC_PER_SECOND} per second of audio (rounded up)"],
            ["Lip sync with text-to-speech", f"{pricing.LIP_SYNC_TTS_PER_15_BYTES} per started 15 bytes of UTF-8 text"],
            ["``lip_sync_tts_switch`` add-on", f"{pricing.LIP_SYNC_PER_SECOND} per second of the video"],
            ["Mimic", f"per second of the reference video: {mimic}"],
            ["Restyle", f"{pricing.RESTYLE_PER_SECOND} per second of the source video"],
            ["Multi-transition, swap, modify", "not published"],
        ]  # fmt: skip
        return list_table(["What", "Credits"], rows, widths="45 55")


# --------------------------------------------------------------------------------------------------------------
# Uncertain rules, emulator flags, fault kinds


class UncertainRulesDirective(GeneratedDirective):
    def run(self) -> list[nodes.Node]:
        from pixverse_provider.api.rules import UNCERTAIN_RULES

        rows = [[lit(r.name), r.question, r.emulator_behaviour] for r in UNCERTAIN_RULES.values()]
        header = ["Rule", "The open question", "What the emulator does (the client leaves it to PixVerse)"]
        return self.parse(list_table(header, rows, widths="20 40 40"))


class EmulatorFlagsDirective(GeneratedDirective):
    def run(self) -> list[nodes.Node]:
        from pixverse_provider.emulator.cli import build_parser

        rows = []
        for action in build_parser()._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            flag = ", ".join(action.option_strings)
            if action.metavar:
                flag += f" {action.metavar}"
            rows.append([lit(flag), action.help or ""])
        return self.parse(list_table(["Flag", "Meaning"], rows, widths="35 65"))


class FaultKindsDirective(GeneratedDirective):
    def run(self) -> list[nodes.Node]:
        from pixverse_provider.emulator import faults

        doc = inspect.getdoc(faults.Fault) or ""
        described = dict(re.findall(r"^- ``(\w+)``: (.+?)(?=^- |\Z)", doc, flags=re.M | re.S))
        rows = []
        for kind in faults.FAULT_KINDS:
            text = " ".join(described.get(kind, "").split())
            if not text:
                self.warn(f"pixverse-fault-kinds: Fault's docstring does not describe {kind!r}")
            rows.append([lit(kind), text.rstrip(";.") + "."])
        return self.parse(list_table(["kind", "What the matching requests get"], rows, widths="18 82"))


# --------------------------------------------------------------------------------------------------------------
# Coverage checks


def _purge(app: Any, env: Any, docname: str) -> None:
    for attr in ("pixverse_errors", "pixverse_operators"):
        env.__dict__.get(attr, {}).pop(docname, None)


def _merge(app: Any, env: Any, docnames: Iterable[str], other: Any) -> None:
    for attr in ("pixverse_errors", "pixverse_operators"):
        mine = env.__dict__.setdefault(attr, {})
        for docname, items in other.__dict__.get(attr, {}).items():
            mine.setdefault(docname, set()).update(items)


def _covered(env: Any, attr: str) -> set[Any]:
    return {item for items in env.__dict__.get(attr, {}).values() for item in items}


def _check_coverage(app: Any, env: Any) -> None:
    from pixverse_provider import operators
    from pixverse_provider.api import ERROR_CODES

    missing_codes = sorted(set(ERROR_CODES) - _covered(env, "pixverse_errors"))
    if missing_codes:
        logger.warning(f"ErrCodes without a pixverse-errors entry in the docs: {missing_codes}")
    documented = _covered(env, "pixverse_operators")
    wanted = set(operators.__all__) - {"PixVerseGenerationOperator"}
    missing_ops = sorted(wanted - documented)
    if missing_ops:
        logger.warning(f"Operators without a pixverse-parameters table in the docs: {missing_ops}")


def _iter_directives() -> Iterator[tuple[str, type[SphinxDirective]]]:
    yield "pixverse-errors", ErrorsDirective
    yield "pixverse-parameters", ParametersDirective
    yield "pixverse-file-inputs", FileInputsDirective
    yield "pixverse-mode-rules", ModeRulesDirective
    yield "pixverse-model-rules", ModelRulesDirective
    yield "pixverse-mode-models", ModeModelsDirective
    yield "pixverse-prices", PricesDirective
    yield "pixverse-uncertain-rules", UncertainRulesDirective
    yield "pixverse-emulator-flags", EmulatorFlagsDirective
    yield "pixverse-fault-kinds", FaultKindsDirective


def setup(app: Any) -> dict[str, Any]:
    app.connect("autodoc-process-docstring", _process_docstring)
    app.connect("autodoc-process-signature", _model_signature)
    app.connect("autodoc-skip-member", _skip_member)
    for name, directive in _iter_directives():
        app.add_directive(name, directive)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-check-consistency", _check_coverage)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
