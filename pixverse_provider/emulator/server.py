"""Run the emulator app with uvicorn in a background thread, on a socket bound up front.

The socket is bound when the server object is made, so ``port=0`` picks a free port that is known before
``start()`` (tests and DAGs can be configured first), and a port already in use fails at once with a clear
message. ``stop()`` shuts uvicorn down, joins the thread and removes the temporary media directory.
"""

from __future__ import annotations

import copy
import errno
import socket
import threading
import time
from types import TracebackType
from typing import Any

import uvicorn
from typing_extensions import Self

from pixverse_provider.emulator.app import create_app
from pixverse_provider.emulator.config import EmulatorConfig
from pixverse_provider.emulator.faults import Fault
from pixverse_provider.emulator.state import EmulatorState

GRACEFUL_SHUTDOWN_SECONDS = 3


class EmulatorStartError(RuntimeError):
    """The emulator could not listen or did not come up."""


class EmulatorServer:
    """A PixVerse emulator on ``http://host:port``; use as a context manager or ``start()``/``stop()``.

    ``state`` is the live ``EmulatorState`` (in-process tests read counters from it directly); ``counters``,
    ``reset``, ``advance`` and ``inject`` are shortcuts to it. uvicorn's access log is off unless
    ``access_log``; ``configure_logging`` lets uvicorn install its own log handlers (the CLI does, a
    library user normally keeps their own logging).
    """

    def __init__(
        self,
        config: EmulatorConfig | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        access_log: bool = False,
        configure_logging: bool = False,
    ) -> None:
        self.config = config or EmulatorConfig()
        self.host = host
        self._state = EmulatorState(self.config)
        try:
            self._socket = _bind(host, port)
        except EmulatorStartError:
            self._state.close()
            raise
        self.port: int = self._socket.getsockname()[1]
        self._access_log = access_log
        self._configure_logging = configure_logging
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None

    # ---------------------------------------------------------------- lifecycle

    def start(self, timeout: float = 15.0) -> Self:
        """Serve in a daemon thread; returns once requests are answered (or raises EmulatorStartError)."""
        if self._thread is not None:
            return self
        config = uvicorn.Config(
            create_app(self.config, self._state),
            lifespan="off",
            access_log=self._access_log,
            log_level="info" if self._access_log else "warning",
            log_config=copy.deepcopy(uvicorn.config.LOGGING_CONFIG) if self._configure_logging else None,
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._serve, name=f"pixverse-emulator-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                reason = f": {self._failure!r}" if self._failure else ""
                raise EmulatorStartError(f"the PixVerse emulator did not start on {self.base_url}{reason}")
            time.sleep(0.01)
        return self

    def _serve(self) -> None:
        assert self._server is not None
        try:
            self._server.run(sockets=[self._socket])
        except BaseException as exc:  # reported by start()
            self._failure = exc

    def stop(self, timeout: float = 10.0) -> None:
        """Shut down (idempotent): finish open responses, join the thread, remove the temp media dir."""
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout)
            if self._thread.is_alive():
                self._server.force_exit = True
                self._thread.join(GRACEFUL_SHUTDOWN_SECONDS)
        self._socket.close()
        self._state.close()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and bool(self._server and self._server.started)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # ---------------------------------------------------------------- facts and shortcuts

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (a wildcard host is reached through loopback)."""
        host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(self.host, self.host)
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    @property
    def api_key(self) -> str:
        return self.config.api_keys[0]

    @property
    def state(self) -> EmulatorState:
        return self._state

    def counters(self) -> dict[str, Any]:
        return self._state.counters()

    def reset(self) -> None:
        self._state.reset()

    def advance(self, seconds: float) -> float:
        return self._state.advance(seconds)

    def inject(self, path: str, kind: str, count: int = 1, **params: Any) -> Fault:
        """Make the next ``count`` requests to ``path`` (path or glob) fail with ``kind`` (see ``Fault``)."""
        fault = Fault(path=path, kind=kind, count=count, **params)
        self._state.add_fault(fault)
        return fault


def _bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port``, or EmulatorStartError saying why not."""
    if not 0 <= port <= 65535:
        raise EmulatorStartError(f"port {port} is out of range (0-65535)")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        reason = "address already in use" if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))
        raise EmulatorStartError(f"cannot listen on {host}:{port}: {reason}") from None
    sock.setblocking(False)
    return sock
