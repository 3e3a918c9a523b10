"""How an emulator instance is set up: keys, timing, plan limits and credits."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from pixverse_provider.api import errors, uploads

DEFAULT_API_KEY = "emulator-key"


@dataclass(frozen=True)
class EmulatorConfig:
    """Settings of one emulator; frozen, so a running server is changed only through its state.

    ``credits`` is the starting ``credit_package`` balance of every account and ``credit_monthly`` the
    starting subscription balance. ``auth_error_code`` is configurable because PixVerse's real answer to
    a bad key is unknown (docs/api-facts.rst, 'Open questions'). ``media_dir=None`` makes the state use a temporary
    directory that it removes when it is closed.
    """

    api_keys: tuple[str, ...] = (DEFAULT_API_KEY,)
    generation_seconds: float = 10.0
    concurrency: int = 5
    credits: int = 10_000
    credit_monthly: int = 0
    max_image_side: int = uploads.IMAGE_MAX_SIDE
    auth_error_code: int = errors.INVALID_ACCOUNT
    slot_release_seconds: float = 600.0
    account_id: int = 100_000_000_000_001
    media_dir: str | None = field(default=None)

    def __post_init__(self) -> None:
        problem = self.problem()
        if problem:
            raise ValueError(problem)

    def problem(self) -> str:
        """Why these settings cannot run an emulator, or "" when they can."""
        if not self.api_keys or not all(isinstance(k, str) and k.strip() for k in self.api_keys):
            return "api_keys must hold at least one non-empty key"
        checks = (
            (self.generation_seconds >= 0 and math.isfinite(self.generation_seconds), "generation_seconds >= 0"),
            (self.concurrency >= 1, "concurrency >= 1"),
            (self.credits >= 0, "credits >= 0"),
            (self.credit_monthly >= 0, "credit_monthly >= 0"),
            (self.max_image_side >= 1, "max_image_side >= 1"),
            (self.slot_release_seconds > 0, "slot_release_seconds > 0"),
            (self.auth_error_code != errors.SUCCESS, "auth_error_code must not be 0"),
            (self.account_id > 0, "account_id > 0"),
        )
        for ok, rule in checks:
            if not ok:
                return f"invalid emulator setting: {rule} is required"
        return ""

    def public(self) -> dict[str, object]:
        """The settings as JSON, without the API keys (they are secrets and are never returned)."""
        return {
            "api_keys": len(self.api_keys),
            "generation_seconds": self.generation_seconds,
            "concurrency": self.concurrency,
            "credits": self.credits,
            "credit_monthly": self.credit_monthly,
            "max_image_side": self.max_image_side,
            "auth_error_code": self.auth_error_code,
            "slot_release_seconds": self.slot_release_seconds,
            "account_id": self.account_id,
        }
