"""Mask selections: the masks found in one frame of a video, which swap and modify must then name.

A selection is billed but is not a job (it answers at once). Swap and modify may only use masks selected on
their own source video, and swap only on the same keyframe.
"""

from __future__ import annotations

from pixverse_provider.api import errors
from pixverse_provider.api import request_models as rq
from pixverse_provider.emulator.answers import ApiError
from pixverse_provider.emulator.ids import IdSource
from pixverse_provider.emulator.outputs import Source
from pixverse_provider.emulator.records import MaskSelectionRecord, VideoRef

__all__ = ["MaskBook"]

MASKS_PER_SELECTION = 3
"""One mask per name of ``MaskSelectionRecord.names``: person, object, background."""


class MaskBook:
    """The mask selections of one emulator run, by mask id.

    Not thread-safe by itself: ``EmulatorState`` calls it under its lock.

    :param ids: the emulator's id source (shared with uploads and jobs, kept across resets).
    """

    def __init__(self, ids: IdSource) -> None:
        self._ids = ids
        self._masks: dict[str, tuple[int, MaskSelectionRecord]] = {}

    def select(self, account_id: int, video: VideoRef, keyframe_id: int) -> MaskSelectionRecord:
        """Record a new selection of ``MASKS_PER_SELECTION`` masks on one frame of ``video``."""
        mask_ids = tuple(str(self._ids.next("mask")) for _ in range(MASKS_PER_SELECTION))
        selection = MaskSelectionRecord(video, keyframe_id, mask_ids)
        for mask_id in mask_ids:
            self._masks[mask_id] = (account_id, selection)
        return selection

    def check(self, account_id: int, request: rq.PixVerseRequest, source: Source) -> None:
        """Swap and modify may only use masks selected on the same video (swap: and the same keyframe)."""
        mask_ids: list[str] = []
        if isinstance(request, rq.SwapRequest):
            mask_ids = [request.mask_id]
        elif isinstance(request, rq.ModifyRequest):
            mask_ids = list(request.mask_ids or ())
        for mask_id in mask_ids:
            found = self._masks.get(mask_id)
            if found is None or found[0] != account_id or found[1].video != source.ref:
                raise ApiError(errors.INVALID_PARAMETER, f"couldn't find a matching mask for this video: {mask_id!r}")
            if isinstance(request, rq.SwapRequest) and request.keyframe_id != found[1].keyframe_id:
                raise ApiError(
                    errors.INVALID_PARAMETER,
                    f"keyframe_id {request.keyframe_id} does not match the mask selection's {found[1].keyframe_id}",
                )
