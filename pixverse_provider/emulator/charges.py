"""What the emulator charges: the published prices (``api.pricing``) plus, in this one place, the emulator's
own assumptions where PixVerse publishes none (docs/api-facts.rst, 'Prices', 'Open questions').
"""

from __future__ import annotations

import math

from pixverse_provider.api import request_models as rq
from pixverse_provider.api.pricing import estimate_credits

DEFAULT_SOURCE_SECONDS = 5.0
"""Length assumed for an input whose duration the header does not tell (MP3, AAC)."""
MULTI_TRANSITION_PER_SECOND = 10
"""Assumption: multi-transition is "tiered by duration"; the tiers are unknown."""
SWAP_PER_SECOND = 10
"""Assumption: swap pricing is unknown; charged per second of the source video."""
MODIFY_PER_SECOND = 10
"""Assumption: modify pricing is unknown; charged like restyle."""
FALLBACK_PER_SECOND = 10
"""Assumption for any other combination the tables do not price."""
MASK_SELECTION_CREDITS = 2
"""The credits shown in the official mask-selection example."""
IMAGE_TEMPLATE_CREDITS = 10
"""Assumption: image-template pricing is unknown."""


def generation_price(request: rq.PixVerseRequest, source_seconds: float | None) -> int:
    """Credits a generation costs; ``source_seconds`` is the input video's (or lip-sync audio's) length."""
    seconds = DEFAULT_SOURCE_SECONDS if source_seconds is None else source_seconds
    price = estimate_credits(request, source_seconds=seconds)
    if price is not None:
        return price
    if isinstance(request, rq.MultiTransitionRequest):
        return MULTI_TRANSITION_PER_SECOND * sum(k.duration or 0 for k in request.multi_transition)
    if isinstance(request, rq.SwapRequest):
        return SWAP_PER_SECOND * math.ceil(seconds)
    if isinstance(request, rq.ModifyRequest):
        return MODIFY_PER_SECOND * math.ceil(seconds)
    return FALLBACK_PER_SECOND * math.ceil(getattr(request, "duration", None) or seconds)
