"""Paths of the PixVerse Platform API (docs/api-facts.rst, 'Endpoints'), relative to the base URL."""

from __future__ import annotations

from enum import Enum

API_PREFIX = "/openapi/v2"
DEFAULT_BASE_URL = "https://app-api.pixverse.ai"


class Endpoint(str, Enum):
    """Every endpoint the provider and the emulator speak; values are full paths."""

    BALANCE = f"{API_PREFIX}/account/balance"
    UPLOAD_IMAGE = f"{API_PREFIX}/image/upload"
    UPLOAD_MEDIA = f"{API_PREFIX}/media/upload"
    TEXT_TO_VIDEO = f"{API_PREFIX}/video/text/generate"
    IMAGE_TO_VIDEO = f"{API_PREFIX}/video/img/generate"
    TRANSITION = f"{API_PREFIX}/video/transition/generate"
    MULTI_TRANSITION = f"{API_PREFIX}/video/multi_transition/generate"
    FUSION = f"{API_PREFIX}/video/fusion/generate"
    EXTEND = f"{API_PREFIX}/video/extend/generate"
    LIP_SYNC = f"{API_PREFIX}/video/lip_sync/generate"
    TTS_SPEAKERS = f"{API_PREFIX}/video/lip_sync/tts_list"
    SOUND_EFFECT = f"{API_PREFIX}/video/sound_effect/generate"
    TEMPLATES = f"{API_PREFIX}/video/effects/templates/list"
    RESTYLE = f"{API_PREFIX}/video/restyle/generate"
    RESTYLE_LIST = f"{API_PREFIX}/video/restyle/list"
    MASK_SELECTION = f"{API_PREFIX}/video/mask/selection"
    SWAP = f"{API_PREFIX}/video/swap/generate"
    MIMIC = f"{API_PREFIX}/video/mimic/generate"
    MODIFY = f"{API_PREFIX}/video/modify/generate"
    IMAGE_TEMPLATE = f"{API_PREFIX}/image/template/generate"
    IMAGE_RESULT = f"{API_PREFIX}/image/result/{{image_id}}"
    VIDEO_RESULT = f"{API_PREFIX}/video/result/{{video_id}}"

    def format(self, **ids: int) -> str:  # type: ignore[override]
        """The path with its ``{...}`` placeholders filled."""
        return self.value.format(**ids)
