"""``pixverse-catalog``: the ids a DAG needs from PixVerse's catalogues, listed from a shell.

::

    pixverse-catalog speakers  [--conn-id ID] [--json]    voices for lip_sync_tts_speaker_id
    pixverse-catalog templates [--conn-id ID] [--json] [--type video|image]    effect template_id values
    pixverse-catalog restyles  [--conn-id ID] [--json]    restyle_id values

It reads the Airflow connection (default ``pixverse_default``) like a task does, so it runs where Airflow is
configured: ``AIRFLOW_CONN_PIXVERSE_DEFAULT``, the metadata database or a secrets backend. Every page of the
catalogue is read (reads are free). Errors print one line, ``pixverse-catalog: error: ...``, and exit with 1
(2 for bad usage). The API key is never printed, and neither are Airflow's own log lines and warnings
(Airflow 3.1 prints some whenever it starts): only errors.

The ``all_*`` functions do the paging for Python callers.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from pixverse_provider.api import TemplateType

if TYPE_CHECKING:
    from pixverse_provider.api.responses import EffectTemplate, RestyleItem, TtsSpeaker
    from pixverse_provider.hooks import PixVerseHook

PROG = "pixverse-catalog"
PAGE_SIZE = 100
"""The largest page every catalogue accepts (templates: 10, 20, 50 or 100; speakers and restyles: 1-100)."""
MAX_PAGES = 100
"""A bound on the paging, in case a server keeps answering full pages."""


def _pages(read: Callable[[int], tuple[list[Any], int | None]]) -> Iterator[Any]:
    """Items of every page: until ``total`` items were seen, or a page comes back short or empty."""
    seen = 0
    for number in range(1, MAX_PAGES + 1):
        items, total = read(number)
        yield from items
        seen += len(items)
        if len(items) < PAGE_SIZE or (total is not None and seen >= total):
            return


def all_tts_speakers(hook: PixVerseHook) -> list[TtsSpeaker]:
    """Every text-to-speech voice (``lip_sync_tts_speaker_id`` values), all pages read."""

    def read(number: int) -> tuple[list[Any], int | None]:
        answer = hook.list_tts_speakers(page_num=number, page_size=PAGE_SIZE)
        return list(answer.data), answer.total

    return list(_pages(read))


def all_effect_templates(hook: PixVerseHook, template_type: TemplateType | None = None) -> list[EffectTemplate]:
    """Every effect template (``template_id`` values) of the account, optionally of one type, all pages read."""

    def read(number: int) -> tuple[list[Any], int | None]:
        answer = hook.list_effect_templates(template_type, page=number, page_size=PAGE_SIZE)
        return list(answer.effect_items), answer.total

    return list(_pages(read))


def all_restyles(hook: PixVerseHook) -> list[RestyleItem]:
    """Every restyle preset (``restyle_id`` values), all pages read."""

    def read(number: int) -> tuple[list[Any], int | None]:
        answer = hook.list_restyles(page_num=number, page_size=PAGE_SIZE)
        return list(answer.data), answer.total

    return list(_pages(read))


# --- the command line ----------------------------------------------------------------------------------------


class CliError(Exception):
    """A usage error: one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        raise CliError(message)


def build_parser() -> argparse.ArgumentParser:
    from pixverse_provider.hooks.settings import DEFAULT_CONN_ID

    parser = _Parser(prog=PROG, description="List PixVerse's TTS speakers, effect templates or restyle presets.")
    commands = parser.add_subparsers(dest="catalogue", required=True, metavar="{speakers,templates,restyles}")
    helps = {
        "speakers": "text-to-speech voices (lip_sync_tts_speaker_id)",
        "templates": "effect templates (template_id); a template must be activated in the PixVerse console",
        "restyles": "restyle presets (restyle_id)",
    }
    for name, text in helps.items():
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument(
            "--conn-id", default=DEFAULT_CONN_ID, metavar="ID", help=f"Airflow connection (default {DEFAULT_CONN_ID})"
        )
        command.add_argument("--json", action="store_true", help="one JSON object per line, as PixVerse answers")
        if name == "templates":
            command.add_argument("--type", choices=("video", "image"), help="only video or only image templates")
    return parser


COLUMNS: dict[str, list[tuple[str, str]]] = {
    "speakers": [("speaker_id", "speaker_id"), ("name", "name")],
    "templates": [("template_id", "template_id"), ("name", "display_name"), ("prompt", "display_prompt")],
    "restyles": [("restyle_id", "restyle_id"), ("name", "name")],
}


def table(rows: Sequence[dict[str, Any]], columns: list[tuple[str, str]]) -> list[str]:
    """Left-aligned columns under a header; the last column is not padded."""
    cells = [[title for title, _ in columns]] + [[str(row.get(key, "")) for _, key in columns] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(columns) - 1)]
    return ["  ".join([*(c.ljust(w) for c, w in zip(line, widths, strict=False)), line[-1]]) for line in cells]


def fetch(catalogue: str, hook: PixVerseHook, template_type: str | None = None) -> list[dict[str, Any]]:
    """The catalogue's items as PixVerse sends them (extra fields included)."""
    if catalogue == "speakers":
        items: list[Any] = all_tts_speakers(hook)
    elif catalogue == "templates":
        kind = TemplateType[template_type.upper()] if template_type else None
        items = all_effect_templates(hook, kind)
    else:
        items = all_restyles(hook)
    return [item.model_dump(mode="json") for item in items]


@contextlib.contextmanager
def _airflow_quiet() -> Iterator[None]:
    """Airflow logs errors only and warnings are not shown, while the command runs (in a process that has not
    imported Airflow yet: its logging is set up once, when it is imported)."""
    previous = os.environ.get(QUIET_SETTING)
    os.environ.setdefault(QUIET_SETTING, "ERROR")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        if previous is None:
            os.environ.pop(QUIET_SETTING, None)


QUIET_SETTING = "AIRFLOW__LOGGING__LOGGING_LEVEL"


def main(argv: Sequence[str] | None = None) -> int:
    with _airflow_quiet():
        return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except CliError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    from pixverse_provider.exceptions import PixVerseError
    from pixverse_provider.hooks import PixVerseHook

    warnings.simplefilter("ignore")  # again: importing Airflow installs its own warning filters
    try:
        rows = fetch(args.catalogue, PixVerseHook(args.conn_id), getattr(args, "type", None))
    except PixVerseError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a missing connection, a secrets backend failing: one line, no traceback
        print(f"{PROG}: error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    if args.json:
        for row in rows:
            print(json.dumps(row))
    else:
        print("\n".join(table(rows, COLUMNS[args.catalogue])))
        print(f"{len(rows)} {args.catalogue if len(rows) != 1 else args.catalogue[:-1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
