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

from pixverse_provider.loopback import is_loopback

PROG = "pixverse-emulator"


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
    from pixverse_provider.emulator.config import DEFAULT_API_KEY

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
    add(
        "--generation-seconds",
        type=_number(float, low=0),
        default=10.0,
        metavar="S",
        help="how long a generation takes (default 10)",
    )
    add(
        "--concurrency",
        type=_number(int, low=1, what="whole number"),
        default=5,
        metavar="N",
        help="concurrent generations of the plan (default 5)",
    )
    add(
        "--credits",
        type=_number(int, low=0, what="whole number"),
        default=10_000,
        metavar="C",
        help="starting credit_package balance (default 10000)",
    )
    add(
        "--credit-monthly",
        type=_number(int, low=0, what="whole number"),
        default=0,
        metavar="C",
        help="starting credit_monthly balance, spent first (default 0)",
    )
    add(
        "--max-image-side",
        type=_number(int, low=1, what="whole number"),
        default=4000,
        metavar="PX",
        help="largest accepted image side in pixels (default 4000; a newer guide says 10000)",
    )
    add(
        "--auth-error-code",
        type=_number(int, low=1, what="whole number"),
        default=400012,
        metavar="CODE",
        help="ErrCode for a missing or wrong API-KEY (PixVerse's real code is not documented)",
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
            generation_seconds=args.generation_seconds,
            concurrency=args.concurrency,
            credits=args.credits,
            credit_monthly=args.credit_monthly,
            max_image_side=args.max_image_side,
            auth_error_code=args.auth_error_code,
            media_dir=args.media_dir,
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
