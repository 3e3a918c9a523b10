"""A local PixVerse API: a real HTTP server that behaves like PixVerse, for offline DAG development and CI.

``EmulatorServer(EmulatorConfig(...)).start()`` serves it in-process; ``pixverse-emulator`` runs it from a
shell. ``create_app`` gives the bare FastAPI app. The server parts are imported on first use, so importing
this package (or ``pixverse_provider.emulator.probe`` or ``.synthetic``) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pixverse_provider.emulator.config import EmulatorConfig

if TYPE_CHECKING:
    from pixverse_provider.emulator.app import create_app
    from pixverse_provider.emulator.server import EmulatorServer

__all__ = ["EmulatorConfig", "EmulatorServer", "create_app"]


def __getattr__(name: str) -> Any:
    if name == "EmulatorServer":
        from pixverse_provider.emulator.server import EmulatorServer

        return EmulatorServer
    if name == "create_app":
        from pixverse_provider.emulator.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
