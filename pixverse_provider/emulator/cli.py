"""``pixverse-emulator``: run the PixVerse emulator from a shell (also ``python -m pixverse_provider.emulator``).

Bad input prints ONE line, ``pixverse-emulator: error: ...``, and exits with 2 (no traceback, no usage
dump). Ctrl-C and SIGTERM stop the server cleanly and exit with 0. The API keys are never printed.
"""

from __future__ import annotations

import argparse
import math
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from types import FrameType
from typing import NoReturn

from pixverse_provider.api.loopback import is_loopback

PROG = "pixverse-emulator"
SETTING_OPTIONS: tuple[tuple[str, str, Callable[[str], float], float, str], ...] = (
    ("generation_seconds", "S", float, 0, "how long a generation takes (default 10)"),
    ("concurrency", "N", int, 1, "concurrent generations of the plan (default 5)"),
    ("credits", "C", int, 0, "starting credit_package balance (default 10000)"),
    ("credit_monthly", "C", int, 0, "starting credit_monthly balance, spent first (default 0)"),
    ("max_image_side", "PX", int, 1, "largest accepted image side in pixels (default 4000; a newer guide says 10000)"),
    (
        "auth_error_code",
        "CODE",
        int,
        1,
        "ErrCode for a missing or wrong API-KEY (PixVerse's real code is not documented)",
    ),
)
"""The ``EmulatorConfig`` settings the command line sets, in ``--help`` order: field (the flag is its name with
dashes), metavar, type, lowest value, help. Their defaults are ``EmulatorConfig``'s."""


class CliError(Exception):
    """A usage error: reported as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise CliError(message)


def _number(
    kind: Callable[[str], float], *, low: float | None = None, high: float | None = None, what: str = ""
) -> Callable[[str], float]:
    """An argparse type: ``kind`` (int or float) between ``low`` and ``high``, with a readable error."""

    def convert(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {what or 'number'}") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
            raise argparse.ArgumentTypeError(f"{text} must be {bounds}")
        return value

    return convert


def build_parser() -> argparse.ArgumentParser:
    from pixverse_provider.emulator.config import DEFAULT_API_KEY, EmulatorConfig

    parser = _Parser(
        prog=PROG,
        description="A local PixVerse API for developing and testing PixVerse DAGs offline, for free.",
    )
    add = parser.add_argument
    add("--host", default="127.0.0.1", metavar="HOST", help="interface to listen on (default 127.0.0.1, loopback only)")
    add(
        "--port",
        type=_number(int, low=0, high=65535, what="port number"),
        default=8787,
        metavar="PORT",
        help="TCP port (default 8787; 0 = any free port)",
    )
    add(
        "--api-key",
        action="append",
        dest="api_keys",
        metavar="KEY",
        help=f"an accepted API-KEY (repeatable; default {DEFAULT_API_KEY!r})",
    )
    for field, metavar, kind, lowest, text in SETTING_OPTIONS:
        add(
            "--" + field.replace("_", "-"),
            type=_number(kind, low=lowest, what="whole number" if kind is int else ""),
            default=getattr(EmulatorConfig, field),
            metavar=metavar,
            help=text,
        )
    add(
        "--media-dir",
        default=None,
        metavar="DIR",
        help="keep uploads here (default: a temporary directory, removed on exit)",
    )
    add("--access-log", action="store_true", help="log every request (off by default)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return _run(args)
    except CliError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0


def _run(args: argparse.Namespace) -> int:
    from pixverse_provider.emulator.config import EmulatorConfig
    from pixverse_provider.emulator.server import EmulatorServer, EmulatorStartError

    try:
        config = EmulatorConfig(
            api_keys=tuple(args.api_keys or EmulatorConfig.api_keys),
            media_dir=args.media_dir,
            **{field: getattr(args, field) for field, *_ in SETTING_OPTIONS},
        )
        server = EmulatorServer(
            config, host=args.host, port=args.port, access_log=args.access_log, configure_logging=True
        )
    except (ValueError, OSError, EmulatorStartError) as exc:
        raise CliError(str(exc)) from None
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        server.start()
    except EmulatorStartError as exc:
        raise CliError(str(exc)) from None
    try:
        if is_loopback(args.host):
            print(f"{PROG}: listening on {server.base_url} (loopback only)", flush=True)
        else:
            print(
                f"{PROG}: warning: listening on {server.base_url} on {args.host!r}, which is NOT loopback:"
                " other machines can reach it",
                flush=True,
            )
        while not stop.wait(0.2):
            if not server.running:
                print(f"{PROG}: error: the server stopped unexpectedly", file=sys.stderr)
                return 1
    finally:
        server.stop()
    return 0
