"""The credit guard: what a request is estimated to cost, checked against ``max_credits`` and the balance
before anything is sent."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pixverse_provider.exceptions import PixVerseCreditGuardError

if TYPE_CHECKING:
    from pixverse_provider.api.request_models import PixVerseRequest
    from pixverse_provider.hooks import PixVerseHook


def guarded_estimate(
    request: PixVerseRequest, *, max_credits: float | None, check_balance: bool, hook: PixVerseHook, log: Any
) -> float | None:
    """Log the estimate and return it; raise before submitting when it breaks ``max_credits`` or the balance."""
    from pixverse_provider.api.pricing import estimate_credits  # first use: not when a DAG is parsed

    estimate = estimate_credits(request)
    mode = request.mode.value
    if estimate is None:
        log.info("PixVerse %s: PixVerse publishes no price for this request, so no estimate", mode)
    else:
        log.info("PixVerse %s: estimated cost %s credits", mode, estimate)
    if max_credits is not None:
        if estimate is None:
            log.warning("max_credits=%s cannot be checked: PixVerse publishes no price for this", max_credits)
        elif estimate > max_credits:
            raise PixVerseCreditGuardError(
                f"estimated cost {estimate} credits exceeds max_credits={max_credits}; nothing was submitted"
            )
    if check_balance:
        balance = hook.get_credit_balance().total
        log.info("PixVerse balance: %s credits", balance)
        if estimate is not None and balance < estimate:
            raise PixVerseCreditGuardError(
                f"the balance of {balance} credits is below the estimated cost of {estimate}; nothing was submitted"
            )
    return estimate
