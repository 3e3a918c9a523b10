"""The ASGI middleware in front of the whole app: counts and logs every request, and injects pending faults.

Every request is counted and logged, also the faulted ones (tests assert how many requests a client made).
When a fault is pending for the request's method and path (see ``faults.Fault``), the middleware answers
with the fault instead of (or, for ``slow``, before) the app. The emulator's admin API (``/_emulator/...``
except ``/_emulator/media/``) is never counted nor faulted, so a test can always reach it.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import TYPE_CHECKING, Any

from pixverse_provider.api import errors
from pixverse_provider.emulator.answers import envelope
from pixverse_provider.emulator.faults import Fault

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from pixverse_provider.emulator.state import EmulatorState

__all__ = ["FaultMiddleware", "drain", "is_admin_path"]

log = logging.getLogger(__name__)

ADMIN_PREFIX = "/_emulator/"
MEDIA_PREFIX = "/_emulator/media/"
BODY_DONE = "body_done"
"""Key in the ASGI request state set once the request body has been read to its end."""


def is_admin_path(path: str) -> bool:
    """The emulator's own control endpoints: not PixVerse, never counted, never faulted."""
    return path.startswith(ADMIN_PREFIX) and not path.startswith(MEDIA_PREFIX)


class FaultMiddleware:
    """Counts/logs requests, then applies the first pending fault that matches (see ``Fault``)."""

    def __init__(self, app: ASGIApp, state: EmulatorState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_admin_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        trace_id = _header(scope, b"ai-trace-id")
        entry = self.state.record_request(method, path, trace_id, scope.get("query_string", b"").decode("latin-1"))
        request_state = scope.setdefault("state", {})
        request_state["log_entry"] = entry
        receive = _tracking(receive, request_state)
        fault = self.state.take_fault(method, path)
        if fault is None:
            await self.app(scope, receive, send)
            return
        self.state.annotate(entry, fault=fault.kind)
        log.info("emulator: injecting fault %r into %s %s", fault.kind, method, path)
        if fault.kind == "slow":
            await asyncio.sleep(fault.delay)
            await self.app(scope, receive, send)
            return
        await drain(receive, request_state)
        await _answer(fault, send)


async def _answer(fault: Fault, send: Send) -> None:
    if fault.kind == "status":
        await _send(send, fault.status, b"emulated fault: HTTP %d\n" % fault.status, b"text/plain")
    elif fault.kind == "retry_after":
        headers = [(b"retry-after", str(fault.retry_after).encode())]
        await _send(send, 429, b"emulated fault: too many requests\n", b"text/plain", headers)
    elif fault.kind == "malformed":
        await _send(send, 200, b'{"ErrCode": 0, "ErrMsg": "succ', b"application/json")
    elif fault.kind == "err_code":
        message = errors.describe(fault.err_code).message
        body = json.dumps(envelope(None, code=fault.err_code, message=message)).encode()
        await _send(send, 200, body, b"application/json")
    elif fault.kind == "null_resp":
        await _send(send, 200, json.dumps(envelope(None)).encode(), b"application/json")
    else:  # drop: promise 1 KiB, send 16 bytes, return without finishing: the server closes the connection
        headers = [(b"content-type", b"application/json"), (b"content-length", b"1024")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b'{"ErrCode": 0, "', "more_body": True})


async def _send(
    send: Send, status: int, body: bytes, content_type: bytes, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode()), *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _tracking(receive: Receive, request_state: dict[str, Any]) -> Receive:
    """Wrap ``receive`` to note in the request state when the body has been read to its end."""

    async def tracked() -> Message:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            request_state[BODY_DONE] = True
        return message

    return tracked


async def drain(receive: Receive, request_state: dict[str, Any]) -> None:
    """Read the rest of an unread request body, so a client still uploading is answered, not cut off.

    Safe to call whatever was read before: it returns at once when the body has already ended (calling
    ``receive`` again then would wait for the client to disconnect).
    """
    while not request_state.get(BODY_DONE):
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            request_state[BODY_DONE] = True


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None
