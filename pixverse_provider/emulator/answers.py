"""The shape of every PixVerse answer, and the error the emulator raises to give a non-zero ErrCode."""

from __future__ import annotations

from typing import Any

from pixverse_provider.api import errors


class ApiError(Exception):
    """Answer with ``code`` and ``message`` (HTTP 200, as PixVerse does) instead of a result."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def envelope(resp: Any = None, *, code: int = errors.SUCCESS, message: str = "success") -> dict[str, Any]:
    """``{"ErrCode", "ErrMsg", "Resp"}``; errors carry ``Resp: null``."""
    return {"ErrCode": code, "ErrMsg": message, "Resp": resp}


def error_envelope(error: ApiError) -> dict[str, Any]:
    return envelope(None, code=error.code, message=error.message)
